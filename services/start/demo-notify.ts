/**
 * `aegis notify` for `npm start`: with AEGIS_NOTIFY_CONFIG set, that file
 * (point it at your Slack or webhook); otherwise a config whose one webhook is
 * the demo receiver on a loopback port, signed with a secret made up for this
 * run, so the demo shows signed notifications arriving and posts nowhere else.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDemoReceiver } from './demo-receiver.ts';

export interface DemoNotify {
  file: string;
  env: Record<string, string>;
  stop(): Promise<void>;
}

export async function demoNotifyConfig(gatewayPort: number): Promise<DemoNotify> {
  const own = process.env.AEGIS_NOTIFY_CONFIG;
  if (own) return { file: own, env: {}, stop: async () => {} };
  const secret = randomBytes(24).toString('hex');
  const receiver = await startDemoReceiver(secret, (line) => process.stdout.write(`[receiver] ${line}\n`));
  const dir = mkdtempSync(join(tmpdir(), 'aegis-demo-notify-'));
  const file = join(dir, 'notify.json');
  writeFileSync(
    file,
    JSON.stringify({
      dashboardUrl: `http://127.0.0.1:${gatewayPort}/`,
      destinations: [{ name: 'demo-receiver', kind: 'webhook', url: receiver.url, secretEnv: 'AEGIS_DEMO_HOOK_SECRET', minStatus: 'AMBER', models: ['*'] }],
    }),
  );
  return {
    file,
    env: { AEGIS_DEMO_HOOK_SECRET: secret },
    stop: async () => {
      await receiver.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
