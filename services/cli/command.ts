/**
 * The shape every `aegis <command>` module exports, and the one error type that
 * means "bad input": the CLI prints its message on one line and exits 2.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

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
 * node:util parseArgs in strict mode, with its errors turned into UsageErrors
 * that name the offending argument. `--help` is always accepted.
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
    throw new UsageError((err as Error).message.split('\n')[0]);
  }
}

/** Parses a flag or env value as a number in [min, max], naming `label` on failure. */
export function numberOption(
  raw: string | undefined,
  label: string,
  fallback: number,
  { min = -Infinity, max = Infinity, integer = false } = {},
): number {
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
    const kind = integer ? 'an integer' : 'a number';
    const range = Number.isFinite(min) || Number.isFinite(max) ? ` in [${min}, ${max}]` : '';
    throw new UsageError(`${label} must be ${kind}${range}, got '${raw}'`);
  }
  return value;
}
