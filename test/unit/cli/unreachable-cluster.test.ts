/**
 * Kafka unreachable or misspelt: every command that needs the cluster says so
 * in one line naming the address and what to do — exit 2 at once for an
 * address that cannot be one, exit 1 within --connect-timeout for one that
 * does not answer.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../../..');
const COMMANDS = ['engine', 'produce', 'train', 'gateway', 'models', 'notify'];
/** Arguments a command needs before it looks for the cluster. */
const ARGS: Record<string, string[]> = { notify: ['--config', 'services/notify/notify.default.json'] };

function aegis(env: Record<string, string>, ...args: string[]): Promise<{ code: number | null; stderr: string; ms: number }> {
  const started = Date.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'services/cli/main.ts', ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (c) => (stderr += c));
  return new Promise((done) => child.on('exit', (code) => done({ code, stderr, ms: Date.now() - started })));
}

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

describe('an unreachable or misspelt cluster', () => {
  test('a refused broker is one line naming it and what to do, exit 1, within --connect-timeout', async () => {
    const port = await closedPort();
    const env = { KAFKA_BROKERS: `127.0.0.1:${port}`, SCHEMA_REGISTRY_URL: `http://127.0.0.1:${port}`, AEGIS_CONNECT_TIMEOUT: '2' };
    const results = await Promise.all(COMMANDS.map((c) => aegis(env, c, ...(ARGS[c] ?? []))));
    results.forEach((r, i) => {
      const c = COMMANDS[i];
      assert.equal(r.code, 1, `${c}: ${r.stderr}`);
      assert.equal(r.stderr.trim().split('\n').length, 1, `${c}: ${r.stderr}`);
      assert.match(r.stderr, new RegExp(`^aegis: Kafka at 127\\.0\\.0\\.1:${port} is unreachable \\(.*ECONNREFUSED.*; tried for ([\\d.]+) s\\): .*aegis stack up`), c);
      const tried = Number(/tried for ([\d.]+) s/.exec(r.stderr)![1]);
      assert.ok(tried <= 2.5, `${c} tried for ${tried} s with a 2 s timeout`);
    });
  });

  test('an address that is not host:port, or a registry URL that is not http(s), is exit 2 at once', async () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ KAFKA_BROKERS: 'not a broker', SCHEMA_REGISTRY_URL: 'http://127.0.0.1:8081' }, /'not a broker' is not host:port/],
      [{ KAFKA_BROKERS: '127.0.0.1:9092,broker:99999', SCHEMA_REGISTRY_URL: 'http://127.0.0.1:8081' }, /'broker:99999' is not host:port/],
      [{ KAFKA_BROKERS: '127.0.0.1:9092', SCHEMA_REGISTRY_URL: 'registry:8081' }, /'registry:8081' is not an http\(s\) URL/],
    ];
    const results = await Promise.all(cases.map(([env], i) => aegis(env, COMMANDS[i % COMMANDS.length], ...(ARGS[COMMANDS[i % COMMANDS.length]] ?? []))));
    results.forEach((r, i) => {
      assert.equal(r.code, 2, r.stderr);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.match(r.stderr, cases[i][1]);
    });
  });
});
