/**
 * Finding the processes of an earlier stack that outlived their `aegis`: real
 * processes running in run folders whose owner is dead or alive.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { leftoverStackJvms, waitForExit } from '../../../services/stack/leftover-jvms.ts';

const runs = realpathSync(mkdtempSync(join(tmpdir(), 'aegis-runs-')));
after(() => rmSync(runs, { recursive: true, force: true }));

function runIn(folder: string) {
  const cwd = join(runs, folder);
  mkdirSync(cwd, { recursive: true });
  return spawn('sleep', ['60'], { cwd, stdio: 'ignore' });
}

test('a process in the run folder of a dead aegis is a leftover; one of a live aegis is not', async () => {
  const deadOwner = spawnSync('true').pid!;
  const orphan = runIn(`stack-9092-${deadOwner}`);
  const owned = runIn(`stack-9093-${process.ppid}`);
  const elsewhere = spawn('sleep', ['60'], { cwd: runs, stdio: 'ignore' });
  try {
    await new Promise((r) => setTimeout(r, 200));
    assert.deepEqual(leftoverStackJvms(runs), [orphan.pid]);
    const started = Date.now();
    setTimeout(() => orphan.kill(), 300);
    assert.deepEqual(await waitForExit([orphan.pid!], 10_000), []);
    assert.ok(Date.now() - started >= 300);
    assert.deepEqual(await waitForExit([owned.pid!], 300), [owned.pid], 'a process that keeps running is returned after the timeout');
  } finally {
    for (const p of [orphan, owned, elsewhere]) p.kill();
  }
});
