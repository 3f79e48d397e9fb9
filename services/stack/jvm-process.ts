/**
 * A JVM child process that cannot outlive us (see parent-death.ts), with its
 * output in a log file.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import { dieWithParent } from './parent-death.ts';
import { gracefulStopper } from './graceful-stop.ts';
import { useClassArchive } from './class-archive.ts';

export interface JvmProcess {
  readonly name: string;
  readonly pid: number;
  readonly logFile: string;
  /** Resolves with the exit code (or signal name) when the JVM ends. */
  readonly exited: Promise<number | string>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
  stop(graceMs?: number): Promise<void>;
}

export interface JvmSpec {
  name: string;
  java: string;
  args: string[];
  cwd: string;
  logFile: string;
  env?: NodeJS.ProcessEnv;
  /** Class-data-sharing archive to use, or to record at exit when missing (class-archive.ts). */
  classArchive?: string;
}

export function spawnJvm(spec: JvmSpec): JvmProcess {
  const out = openSync(spec.logFile, 'a');
  const archive = useClassArchive(spec.classArchive);
  const [cmd, args] = dieWithParent(spec.java, [...archive.flags, ...spec.args]);
  let child: ChildProcess;
  try {
    child = spawn(cmd, args, {
      cwd: spec.cwd,
      env: { ...process.env, ...spec.env },
      stdio: ['ignore', out, out],
      detached: false,
    });
  } finally {
    closeSync(out);
  }
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => {
      archive.exited(code ?? signal ?? 'unknown');
      resolve(code ?? signal ?? 'unknown');
    });
    child.once('error', () => resolve('spawn-error'));
  });
  const stop = gracefulStopper(child, exited);
  // a JVM recording its class archive writes it on the way out: tens of MB, seconds on a busy machine
  const defaultGraceMs = archive.recording ? 120_000 : 20_000;
  return {
    name: spec.name,
    pid: child.pid ?? -1,
    logFile: spec.logFile,
    exited,
    stop: (graceMs = defaultGraceMs) => stop(graceMs),
  };
}
