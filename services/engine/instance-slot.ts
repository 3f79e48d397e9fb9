/**
 * A stable name for this engine process among the engines of one group on
 * one host: the lowest slot whose lock file (in the OS temp directory) is
 * free or held by a process that no longer exists. An engine restarted after
 * `kill -9` takes the slot of the one it replaces, so its transactional id is
 * the same, and Kafka fences the dead producer and aborts its open
 * transaction at once (InitProducerId) instead of after the transaction
 * timeout, during which read-committed readers of the reports would stall.
 * Two live engines on one host get different slots.
 */
import { openSync, readFileSync, rmSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface InstanceSlot {
  slot: number;
  release(): void;
}

const MAX_SLOTS = 1000;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function claimInstanceSlot(name: string, dir = tmpdir()): InstanceSlot {
  const safe = name.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 100);
  for (let slot = 0; slot < MAX_SLOTS; slot++) {
    const file = join(dir, `aegis-engine-${safe}.${slot}.lock`);
    try {
      const holder = Number(readFileSync(file, 'utf8'));
      if (holder !== process.pid && alive(holder)) continue;
      rmSync(file, { force: true });
    } catch {
      // no lock file: free
    }
    let fd: number;
    try {
      fd = openSync(file, 'wx');
    } catch {
      continue; // another engine claimed it between the check and now
    }
    writeSync(fd, String(process.pid));
    closeSync(fd);
    return { slot, release: () => rmSync(file, { force: true }) };
  }
  throw new Error(`no free engine slot among ${MAX_SLOTS} for ${name} in ${dir}`);
}
