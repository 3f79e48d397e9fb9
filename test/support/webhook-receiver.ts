/**
 * A real HTTP receiver on a free loopback port, for the notify tests: it
 * verifies each request's signature as a user's receiver would, records
 * everything, and misbehaves on demand — fails the first attempts of each
 * delivery, answers 429 with Retry-After, is slow — per path.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifySignature } from '../../pipeline/notify/signature.ts';

export interface Received {
  path: string;
  deliveryId: string;
  /** Which attempt of this delivery on this path (1-based), as the receiver counts them. */
  attempt: number;
  body: Record<string, unknown>;
  verified: boolean;
  receivedAt: number;
  /** The status answered (set when the answer was written). */
  answered?: number;
}

/** What to answer a delivery's `attempt`th request: a status, optional headers, after `delayMs`. */
export type Behaviour = (attempt: number) => { status: number; headers?: Record<string, string>; delayMs?: number };

export class WebhookReceiver {
  readonly received: Received[] = [];
  private readonly behaviours = new Map<string, Behaviour>();
  private readonly attempts = new Map<string, number>();
  private readonly unsignedPaths = new Set<string>();
  private server?: Server;
  url = '';

  constructor(private readonly secret: string | null) {}

  on(path: string, behaviour: Behaviour): this {
    this.behaviours.set(path, behaviour);
    return this;
  }

  /** Requests to `path` are not signed (a Slack destination without a secret). */
  unsigned(path: string): this {
    this.unsignedPaths.add(path);
    return this;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }

  /**
   * What a receiver that deduplicates on X-Aegis-Delivery acts on: the first
   * accepted request of each delivery to `path`.
   */
  effects(path: string): Received[] {
    const seen = new Set<string>();
    return this.accepted(path).filter((r) => !seen.has(r.deliveryId) && seen.add(r.deliveryId));
  }

  /** Requests to `path` that were answered 2xx, i.e. deliveries the receiver accepted. */
  accepted(path: string): Received[] {
    return this.received.filter((r) => r.path === path && r.answered !== undefined && r.answered < 300);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const path = req.url ?? '/';
    const deliveryId = String(req.headers['x-aegis-delivery'] ?? '');
    const key = `${path} ${deliveryId}`;
    const attempt = (this.attempts.get(key) ?? 0) + 1;
    this.attempts.set(key, attempt);
    const verified =
      this.secret === null ||
      (this.unsignedPaths.has(path) && req.headers['x-aegis-signature'] === undefined) ||
      verifySignature(this.secret, req.headers['x-aegis-timestamp'] as string, req.headers['x-aegis-signature'] as string, raw, Date.now()).ok;
    const record: Received = { path, deliveryId, attempt, body: JSON.parse(raw), verified, receivedAt: Date.now() };
    this.received.push(record);
    const answer: ReturnType<Behaviour> = verified ? (this.behaviours.get(path) ?? (() => ({ status: 200 })))(attempt) : { status: 401 };
    if (answer.delayMs) await new Promise((r) => setTimeout(r, answer.delayMs));
    if (req.socket.destroyed) return; // the sender is gone: nothing was accepted
    res.writeHead(answer.status, answer.headers).end('ok', () => (record.answered = answer.status));
  }
}
