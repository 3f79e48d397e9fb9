/**
 * JVMs of an earlier local stack that are still shutting down: a stack killed
 * outright (SIGKILL) leaves its JVMs to the kernel's parent-death signal, and
 * they can hold their ports for seconds after it. Found through /proc (Linux):
 * a process whose working directory is a run folder `stack-<port>-<pid>` of
 * the cache, whose owner <pid> is gone.
 */
import { readdirSync, readlinkSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function leftoverStackJvms(runsDir: string): number[] {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((p) => /^\d+$/.test(p));
  } catch {
    return [];
  }
  return pids.map(Number).filter((pid) => {
    let cwd: string;
    try {
      cwd = readlinkSync(`/proc/${pid}/cwd`);
    } catch {
      return false; // gone, or not ours to read
    }
    const owner = /^stack-\d+-(\d+)$/.exec(basename(cwd))?.[1];
    return dirname(cwd) === runsDir && owner !== undefined && Number(owner) !== process.pid && !isAlive(Number(owner));
  });
}

/** Waits until none of `pids` runs, or `timeoutMs` passes; returns those still running. */
export async function waitForExit(pids: number[], timeoutMs: number): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  let running = pids.filter(isAlive);
  while (running.length && Date.now() < deadline) {
    await sleep(200);
    running = running.filter(isAlive);
  }
  return running;
}
