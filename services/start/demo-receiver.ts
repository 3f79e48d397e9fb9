/**
 * The demo's stand-in for a team's webhook endpoint: a loopback HTTP server
 * that verifies each notification's signature, as a real receiver must, and
 * prints one line per notification — so `npm start` shows alerts reaching
 * someone without posting anywhere outside the machine.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifySignature } from '../../pipeline/notify/signature.ts';
import type { WebhookBody } from '../../pipeline/notify/payloads.ts';

export interface DemoReceiver {
  url: string;
  stop(): Promise<void>;
}

export async function startDemoReceiver(secret: string, print: (line: string) => void): Promise<DemoReceiver> {
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const check = verifySignature(secret, req.headers['x-aegis-timestamp'] as string, req.headers['x-aegis-signature'] as string, raw, Date.now());
    if (!check.ok) {
      print(`refused a request: ${check.why}`);
      res.writeHead(401).end();
      return;
    }
    const body = JSON.parse(raw) as WebhookBody;
    const features = body.features.map((f) => `${f.name} ${f.status}`).join(', ');
    print(`${body.event} ${body.modelId} ${body.status} (was ${body.previousStatus}): ${body.reason}${features ? ` [${features}]` : ''} — signature ok, ${body.dashboardUrl}`);
    res.writeHead(204).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/aegis`,
    stop: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
