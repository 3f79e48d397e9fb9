/**
 * One Aegis service run by `aegis start` as a child `aegis <command>`, its
 * output passed through line by line with the service's name in front, and
 * stopped with SIGTERM (SIGKILL after a grace period).
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { dieWithParent } from '../stack/parent-death.ts';
import { gracefulStopper } from '../stack/graceful-stop.ts';

const MAIN = fileURLToPath(new URL('../cli/main.ts', import.meta.url));

export interface ServiceProcess {
  readonly name: string;
  readonly exited: Promise<number>;
  /** Resolves at the first output line matching `pattern`; rejects if the service exits first or after `timeoutMs`. */
  printed(pattern: RegExp, timeoutMs: number): Promise<void>;
  stop(graceMs?: number): Promise<void>;
}

export function startService(name: string, args: string[], env: NodeJS.ProcessEnv): ServiceProcess {
  const [cmd, argv] = dieWithParent(process.execPath, ['--import', 'tsx', MAIN, ...args]);
  const child = spawn(cmd, argv, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const prefix = `[${name}] `;
  const watchers = new Set<(line: string) => void>();
  const pass = (out: NodeJS.WriteStream) => (l: string) => {
    out.write(prefix + l + '\n');
    for (const w of watchers) w(l);
  };
  createInterface({ input: child.stdout! }).on('line', pass(process.stdout));
  createInterface({ input: child.stderr! }).on('line', pass(process.stderr));
  const exited = new Promise<number>((done) => child.on('exit', (code, signal) => done(code ?? (signal ? 128 : 1))));
  const stop = gracefulStopper(child, exited);
  const printed = (pattern: RegExp, timeoutMs: number) =>
    new Promise<void>((resolve, reject) => {
      const finish = (err?: Error) => {
        watchers.delete(watch);
        clearTimeout(timer);
        if (err) reject(err);
        else resolve();
      };
      const watch = (line: string) => pattern.test(line) && finish();
      const timer = setTimeout(() => finish(new Error(`${name} did not print ${pattern} within ${timeoutMs} ms`)), timeoutMs);
      watchers.add(watch);
      void exited.then((code) => finish(new Error(`${name} exited with ${code} before printing ${pattern}`)));
    });
  return { name, exited, printed, stop: (graceMs = 15_000) => stop(graceMs) };
}
