/**
 * The shape every `aegis <command>` module exports, and the one error type that
 * means "bad input": the CLI prints its message on one line and exits 2.
 * Options are declared in a table (options.ts).
 */
import { PoisonError } from '../../pipeline/errors.ts';

export interface Command {
  name: string;
  summary: string;
  /** Full `--help` text. */
  help: string;
  /** Returns the process exit code. `argv` excludes the command name. */
  run(argv: string[]): Promise<number>;
}

/** Bad input: retrying the same command cannot help (pipeline/errors.ts). */
export class UsageError extends PoisonError {
  override name = 'UsageError';
}

/**
 * A dependency failed or cannot be reached (e.g. the local stack did not
 * start): the CLI prints its message on one line and exits 1. `retriable`
 * says whether trying again as is may succeed.
 */
export class DependencyError extends Error {
  override name = 'DependencyError';
  constructor(
    message: string,
    readonly retriable: boolean,
  ) {
    super(message.replace(/\s*\n\s*/g, ' '));
  }
}
