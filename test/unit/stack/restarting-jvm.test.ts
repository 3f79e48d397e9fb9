/**
 * The broker's keeper with real child processes standing in for the JVM
 * (node scripts that run, crash or fail at start): a crash is followed by a
 * restart, a process that keeps failing at start is given up on with the
 * cause from its log, and stop() ends it for good.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnJvm } from '../../../services/stack/jvm-process.ts';
import { keepRunning, restartBackoffMs } from '../../../services/stack/restarting-jvm.ts';

const dir = mkdtempSync(join(tmpdir(), 'aegis-restart-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A stand-in JVM: a node process running `script`, its output in `log`. */
const fake = (script: string, log: string) => () => spawnJvm({ name: 'fake', java: process.execPath, args: ['-e', script], cwd: dir, logFile: join(dir, log) });

/** Ready once the process has written "up" to its log. */
const readyWhenUp = (file: string) => async (deadline: number, alive: () => boolean) => {
  while (Date.now() < deadline && alive()) {
    if (readFileSync(join(dir, file), 'utf8').includes('up')) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(alive() ? 'timeout' : 'exited');
};

function recorder() {
  const lines: { level: string; o: object; m: string }[] = [];
  const at = (level: string) => (o: object, m: string) => lines.push({ level, o, m });
  return { lines, log: { info: at('info'), warn: at('warn'), error: at('error') } };
}

describe('keepRunning', () => {
  test('backoff doubles from 250 ms and stops at 10 s', () => {
    assert.deepEqual([0, 1, 2, 3, 5, 6, 20].map(restartBackoffMs), [250, 500, 1000, 2000, 8000, 10_000, 10_000]);
  });

  test('a process killed with SIGKILL is started again and stays supervised', async () => {
    const spawn = fake("console.log('up'); setInterval(() => {}, 1000)", 'long.log');
    const first = spawn();
    await readyWhenUp('long.log')(Date.now() + 10_000, () => true);
    const { lines, log } = recorder();
    const kept = keepRunning(first, { spawn, ready: readyWhenUp('long.log'), log });
    process.kill(first.pid, 'SIGKILL');
    while (kept.restarts === 0 || !lines.some((l) => l.m === 'fake is back')) await new Promise((r) => setTimeout(r, 20));
    assert.notEqual(kept.pid, first.pid);
    assert.doesNotThrow(() => process.kill(kept.pid, 0), 'the new process runs');
    let done = false;
    void kept.exited.then(() => (done = true));
    await kept.stop();
    assert.ok(done, 'exited resolves once stopped');
    assert.throws(() => process.kill(kept.pid, 0), 'and the process is gone');
    assert.equal(kept.restarts, 1);
  });

  test('a process that fails at every start is given up on, with the cause from its log', async () => {
    writeFileSync(join(dir, 'bad.log'), '');
    const spawn = fake("console.log('[x] ERROR Socket server failed to bind to 127.0.0.1:1: Address already in use.'); process.exit(1)", 'bad.log');
    const good = fake("console.log('up'); setInterval(() => {}, 1000)", 'good.log');
    const first = good();
    await readyWhenUp('good.log')(Date.now() + 10_000, () => true);
    const { lines, log } = recorder();
    const started = Date.now();
    const kept = keepRunning(first, { spawn, ready: readyWhenUp('bad.log'), log, maxCrashesInARow: 3 });
    process.kill(first.pid, 'SIGKILL');
    const why = await kept.exited;
    assert.equal(kept.restarts, 3);
    assert.ok(Date.now() - started >= 250 + 500 + 1000, 'after backing off');
    assert.match(String(why), /^fake crashed 4 times in a row and was given up on: Socket server failed to bind to 127\.0\.0\.1:1: Address already in use\. \(log: .*bad\.log\)$/);
    assert.equal(lines.filter((l) => l.level === 'error').length, 1);
  });

  test('stop() during the backoff starts nothing more', async () => {
    const spawn = fake("console.log('up'); setInterval(() => {}, 1000)", 'stop.log');
    const first = spawn();
    await readyWhenUp('stop.log')(Date.now() + 10_000, () => true);
    const { log } = recorder();
    const kept = keepRunning(first, { spawn, ready: readyWhenUp('stop.log'), log, stableMs: 0 });
    process.kill(first.pid, 'SIGKILL');
    await first.exited;
    await kept.stop();
    assert.equal(kept.restarts, 0);
  });
});
