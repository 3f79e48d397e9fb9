/**
 * The shape every `aegis <command>` module exports, and the one error type that
 * means "bad input": the CLI prints its message on one line and exits 2.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { argsErrorMessage, parseNumber } from './options.ts';

export interface Command {
  name: string;
  summary: string;
  /** Full `--help` text. */
  help: string;
  /** Returns the process exit code. `argv` excludes the command name. */
  run(argv: string[]): Promise<number>;
}

export class UsageError extends Error {
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

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * node:util parseArgs in strict mode, with its errors turned into UsageErrors.
 * New code declares an option table instead (options.ts), which also derives
 * --help and the environment lookup.
 */
export function parseFlags<O extends Options>(argv: string[], options: O, allowPositionals = false) {
  try {
    return parseArgs({
      args: argv,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals,
    });
  } catch (err) {
    throw new UsageError(argsErrorMessage(err));
  }
}

/** Parses a flag or env value strictly as a number in [min, max]; empty or absent gives `fallback`. */
export function numberOption(
  raw: string | undefined,
  label: string,
  fallback: number,
  range: { min?: number; max?: number; integer?: boolean } = {},
): number {
  return raw === undefined || raw === '' ? fallback : parseNumber(raw, label, range);
}
