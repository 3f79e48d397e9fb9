/**
 * Stopping a child process the polite way: SIGTERM, then SIGKILL if it has
 * not exited after a grace period. `stop()` resolves once it is gone.
 */
import type { ChildProcess } from 'node:child_process';

export function gracefulStopper(child: ChildProcess, exited: Promise<unknown>): (graceMs: number) => Promise<void> {
  let done = false;
  void exited.then(() => (done = true));
  return async (graceMs) => {
    if (done) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  };
}
