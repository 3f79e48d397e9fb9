/**
 * `aegis <command>` as a child process in its own process group, for the
 * integration and end-to-end tests: output kept (and written to test-results/e2e/logs/),
 * `waitFor` a line, and `stop` that signals the whole group, so that nothing
 * a test started outlives it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');
export const E2E_OUTPUT = join(root, 'test-results', 'e2e');

export class AegisChild {
  readonly child: ChildProcess;
  readonly exited: Promise<number>;
  private output = '';
  /** What the command printed on stdout alone (its result, not its logs). */
  stdout = '';
  private done = false;

  constructor(
    readonly args: string[],
    env: NodeJS.ProcessEnv,
  ) {
    const logDir = join(E2E_OUTPUT, 'logs');
    mkdirSync(logDir, { recursive: true });
    const log = createWriteStream(join(logDir, `${args[0]}-${Date.now()}.log`));
    this.child = spawn(process.execPath, ['--import', 'tsx', join(root, 'services/cli/main.ts'), ...args], {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const keep = (chunk: Buffer) => {
      this.output += chunk;
      if (this.output.length > 4_000_000) this.output = this.output.slice(-2_000_000);
      log.write(chunk);
    };
    this.child.stdout!.on('data', (chunk: Buffer) => {
      this.stdout += chunk;
      keep(chunk);
    });
    this.child.stderr!.on('data', keep);
    this.exited = new Promise((done) =>
      this.child.on('exit', (code, signal) => {
        this.done = true;
        log.end();
        done(code ?? (signal ? 128 : 1));
      }),
    );
  }

  tail(chars = 3000): string {
    return this.output.slice(-chars);
  }

  async waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const match = pattern.exec(this.output);
      if (match) return match;
      if (this.done) throw new Error(`aegis ${this.args.join(' ')} exited before printing ${pattern}:\n${this.tail()}`);
      if (Date.now() > deadline) throw new Error(`aegis ${this.args.join(' ')}: no ${pattern} within ${timeoutMs} ms:\n${this.tail()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** SIGTERM to the process group, SIGKILL after `graceMs`. */
  async stop(graceMs = 15_000): Promise<number> {
    if (this.done) return this.exited;
    const signal = (s: NodeJS.Signals) => {
      try {
        process.kill(-this.child.pid!, s);
      } catch {
        // the group is gone already
      }
    };
    signal('SIGTERM');
    const timer = setTimeout(() => signal('SIGKILL'), graceMs);
    const code = await this.exited;
    clearTimeout(timer);
    return code;
  }
}
