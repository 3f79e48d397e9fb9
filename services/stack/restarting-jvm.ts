/**
 * A JVM kept running for the life of the stack: when it dies, it is started
 * again (on the same configuration and data) after a backoff of
 * min(250 ms × 2^n, 10 s), n = crashes in a row, and `exited` resolves only
 * when it is stopped or given up on.
 *
 * A crash counts towards n unless the run before it stayed up `stableMs`; so a
 * JVM that dies at start (its port taken, its disk full) is retried for about
 * a minute, then given up on with the cause from its log, instead of being
 * restarted forever or the stack staying up without it.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { JvmProcess } from './jvm-process.ts';
import { logCause } from './log-cause.ts';

export interface RestartLog {
  info(o: object, m: string): void;
  warn(o: object, m: string): void;
  error(o: object, m: string): void;
}

export interface RestartPolicy {
  /** Starts the JVM again. */
  spawn: () => JvmProcess;
  /** Resolves once the JVM answers; rejects at `deadline` or when `alive()` turns false. */
  ready: (deadline: number, alive: () => boolean) => Promise<void>;
  log: RestartLog;
  readyTimeoutMs?: number;
  stableMs?: number;
  maxCrashesInARow?: number;
}

export interface RestartingJvm {
  readonly name: string;
  readonly logFile: string;
  /** The pid of the JVM running now. */
  readonly pid: number;
  readonly restarts: number;
  /** Resolves when stopped (with the last exit code) or given up on (with why). */
  readonly exited: Promise<number | string>;
  stop(): Promise<void>;
}

export function restartBackoffMs(crashesInARow: number): number {
  return Math.min(250 * 2 ** crashesInARow, 10_000);
}

export function keepRunning(first: JvmProcess, policy: RestartPolicy): RestartingJvm {
  const { log, readyTimeoutMs = 120_000, stableMs = 60_000, maxCrashesInARow = 8 } = policy;
  let current = first;
  let upSince = Date.now();
  let restarts = 0;
  let stopping = false;
  const stopped = new AbortController();

  const supervise = async (): Promise<number | string> => {
    let crashes = 0;
    for (;;) {
      const code = await current.exited;
      if (stopping) return code;
      const crashedAt = Date.now();
      crashes = crashedAt - upSince >= stableMs ? 1 : crashes + 1;
      let cause = logCause(current.logFile) ?? `exit code ${String(code)}`;
      log.warn({ process: current.name, pid: current.pid, code, lastLog: cause, log: current.logFile }, `${current.name} exited: restarting it`);
      for (;;) {
        if (crashes > maxCrashesInARow) {
          const why = `${current.name} crashed ${crashes} times in a row and was given up on: ${cause} (log: ${current.logFile})`;
          log.error({ process: current.name, crashes, cause, log: current.logFile }, why);
          return why;
        }
        await sleep(restartBackoffMs(crashes - 1), undefined, { signal: stopped.signal }).catch(() => undefined);
        if (stopping) return code;
        current = policy.spawn();
        restarts++;
        const jvm = current;
        let alive = true;
        void jvm.exited.then(() => (alive = false));
        try {
          await policy.ready(Date.now() + readyTimeoutMs, () => alive && !stopping);
          upSince = Date.now();
          log.info({ process: jvm.name, pid: jvm.pid, restarts, seconds: (upSince - crashedAt) / 1000 }, `${jvm.name} is back`);
          break;
        } catch (err) {
          if (stopping) return jvm.exited;
          if (alive) await jvm.stop();
          cause = logCause(jvm.logFile) ?? (err as Error).message;
          crashes++;
          log.warn({ process: jvm.name, crashes, nextBackoffMs: restartBackoffMs(crashes - 1), cause }, `${jvm.name} did not come back`);
        }
      }
    }
  };
  const exited = supervise();
  return {
    name: first.name,
    logFile: first.logFile,
    get pid() {
      return current.pid;
    },
    get restarts() {
      return restarts;
    },
    exited,
    async stop() {
      stopping = true;
      stopped.abort();
      await current.stop();
      await exited;
    },
  };
}
