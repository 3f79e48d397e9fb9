/**
 * Runs `aegis <command>` as a child process, the way a user would, with its
 * output kept for assertions and written to test-results/logs/ for post-mortems.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');
const logDir = join(root, 'test-results', 'logs');

export interface AegisProcess {
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code once the process ends. */
  readonly exited: Promise<number>;
  /** Waits until stderr/stdout matches `pattern`, or throws after `timeoutMs`. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** SIGTERM, then SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<number>;
}

export function aegis(args: string[], env: NodeJS.ProcessEnv = {}, label = args[0]): AegisProcess {
  mkdirSync(logDir, { recursive: true });
  const log = createWriteStream(join(logDir, `${label}-${Date.now()}.log`));
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'services/cli/main.ts'), ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => {
    out += d;
    log.write(d);
  });
  child.stderr!.on('data', (d: Buffer) => {
    err += d;
    log.write(d);
  });
  const exited = new Promise<number>((done) =>
    child.on('exit', (code, signal) => {
      log.end();
      done(code ?? (signal ? 128 : 1));
    }),
  );
  let ended = false;
  void exited.then(() => (ended = true));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    async waitFor(pattern, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      while (!pattern.test(out + err)) {
        if (ended) throw new Error(`aegis ${args.join(' ')} exited before ${pattern}: ${err.slice(-2000)}`);
        if (Date.now() > deadline) throw new Error(`aegis ${args.join(' ')}: no ${pattern} within ${timeoutMs} ms: ${err.slice(-2000)}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async stop(graceMs = 15_000) {
      if (!ended) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
        await exited;
        clearTimeout(timer);
      }
      return exited;
    },
  };
}
