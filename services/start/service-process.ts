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
  stop(graceMs?: number): Promise<void>;
}

export function startService(name: string, args: string[], env: NodeJS.ProcessEnv): ServiceProcess {
  const [cmd, argv] = dieWithParent(process.execPath, ['--import', 'tsx', MAIN, ...args]);
  const child = spawn(cmd, argv, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const prefix = `[${name}] `;
  createInterface({ input: child.stdout! }).on('line', (l) => process.stdout.write(prefix + l + '\n'));
  createInterface({ input: child.stderr! }).on('line', (l) => process.stderr.write(prefix + l + '\n'));
  const exited = new Promise<number>((done) => child.on('exit', (code, signal) => done(code ?? (signal ? 128 : 1))));
  const stop = gracefulStopper(child, exited);
  return { name, exited, stop: (graceMs = 15_000) => stop(graceMs) };
}
