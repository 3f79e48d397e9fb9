/**
 * Numeric or categorical: how a CSV column's kind is decided, in one place for
 * every command that reads CSV (`aegis report`, and reference profiles built
 * from a training file). One stray cell must not flip a verdict: a column is
 * numeric when almost all of its non-empty cells in the deciding file are
 * numbers (the reference, or the first file that has values); the cells that
 * are not are counted as invalid — like missing values, excluded from the
 * tests, reported — rather than turning the column categorical. `--numeric`
 * and `--categorical` override the guess; `--delimiter` reads other
 * separators, and a file that is one column named 'a;b;c' is caught.
 */
import { parseDecimal } from '../../pipeline/decimal.ts';
import { UsageError } from '../cli/command.ts';
import type { OptionTable } from '../cli/options.ts';
import { DEFAULT_MAX_RECORD_MB, isDelimiter, type CsvReadOptions } from './csv-records.ts';

export type ColumnKind = 'numeric' | 'categorical';

/**
 * One cell: empty, whitespace and NaN spellings ('nan', 'NaN', '-nan', as
 * numpy and pandas write a missing float) are missing; a decimal number is a
 * number; ±inf / ±infinity spellings and decimals that overflow ('1e400')
 * are numbers that are not finite — invalid in a numeric column, since no
 * distance or bin can use them, but no sign of a categorical column; anything
 * else is text.
 */
export type Cell = { kind: 'missing' } | { kind: 'number'; value: number } | { kind: 'non-finite'; text: string } | { kind: 'text'; text: string };

const NAN = /^[+-]?nan$/i;
const INF = /^[+-]?inf(?:inity)?$/i;
const MISSING: Cell = { kind: 'missing' };

export function classifyCell(raw: string): Cell {
  const text = raw.trim();
  if (text === '' || NAN.test(text)) return MISSING;
  const value = parseDecimal(text);
  if (value !== undefined) return Number.isFinite(value) ? { kind: 'number', value } : { kind: 'non-finite', text };
  return INF.test(text) ? { kind: 'non-finite', text } : { kind: 'text', text };
}

/** A column's cells in one file, by class. */
export interface CellCounts {
  numbers: number;
  /** Cells that are not numbers at all. */
  texts: number;
  nonFinite: number;
  missing: number;
}

/** Share of a numeric column's non-empty cells that may be text (at least one cell). */
export const MAX_TEXT_SHARE = 0.01;

/**
 * The kind of a column from its counts in each file, the reference first:
 * the first file with non-missing cells decides; numeric when it has numbers
 * and at most 1 % of its non-empty cells (at least one, fewer than its
 * numbers) are text. A column with no values anywhere is numeric.
 */
export function guessKind(files: readonly CellCounts[]): ColumnKind {
  const base = files.find((c) => c.numbers + c.texts + c.nonFinite > 0);
  if (!base) return 'numeric';
  const nonEmpty = base.numbers + base.texts + base.nonFinite;
  const allowed = Math.max(1, Math.floor(MAX_TEXT_SHARE * nonEmpty));
  return base.numbers > 0 && base.texts <= allowed && base.texts < base.numbers ? 'numeric' : 'categorical';
}

/** The CSV options shared by every command that reads CSV files; spread into its option table. */
export const CSV_OPTIONS = {
  delimiter: { type: 'string', arg: 'CHAR', default: ',', help: "field delimiter: one character, or 'tab'" },
  numeric: {
    type: 'string',
    arg: 'COLS',
    help: 'comma-separated columns read as numbers whatever the guess\n(their cells that are not numbers count as invalid)',
  },
  categorical: { type: 'string', arg: 'COLS', help: 'comma-separated columns read as categories whatever the guess' },
  'max-record-mb': {
    type: 'number',
    envOnly: true,
    env: 'AEGIS_REPORT_MAX_RECORD_MB',
    min: 1,
    max: 4096,
    default: DEFAULT_MAX_RECORD_MB,
    help: 'longest CSV record read, in MB (a longer one is an error)',
  },
} as const satisfies OptionTable;

export interface CsvInput {
  read: Required<Pick<CsvReadOptions, 'delimiter' | 'maxRecordChars'>>;
  /** Kinds forced by --numeric / --categorical. */
  kinds: Map<string, ColumnKind>;
  /** --delimiter was given (so a one-column file is not second-guessed). */
  delimiterGiven: boolean;
}

const names = (raw: string | undefined) => (raw ?? '').split(',').map((s) => s.trim()).filter(Boolean);

/** The values of CSV_OPTIONS as reading options and forced kinds. */
export function csvInput(values: { delimiter: string; numeric?: string; categorical?: string; 'max-record-mb': number }): CsvInput {
  const delimiter = /^(tab|\\t)$/i.test(values.delimiter) ? '\t' : values.delimiter;
  if (!isDelimiter(delimiter)) {
    throw new UsageError(`--delimiter must be one character (not a quote or a line break) or 'tab', got '${values.delimiter}'`);
  }
  const kinds = new Map<string, ColumnKind>();
  for (const n of names(values.numeric)) kinds.set(n, 'numeric');
  for (const n of names(values.categorical)) {
    if (kinds.has(n)) throw new UsageError(`column '${n}' is in both --numeric and --categorical`);
    kinds.set(n, 'categorical');
  }
  return { read: { delimiter, maxRecordChars: values['max-record-mb'] * 2 ** 20 }, kinds, delimiterGiven: values.delimiter !== ',' };
}

/** The kinds forced for columns the files do not share are an error naming the first. */
export function checkForcedKinds(input: CsvInput, columns: readonly string[]): void {
  const known = new Set(columns);
  for (const [name, kind] of input.kinds) {
    if (!known.has(name)) throw new UsageError(`--${kind}: no column '${name}' in ${columns.length ? 'both files' : 'the files'}`);
  }
}

/** The delimiter a header of one column seems to use instead ('a;b;c' → ';'), if any. */
export function suspectedDelimiter(header: readonly string[]): string | undefined {
  if (header.length !== 1) return undefined;
  return [';', '\t', '|'].find((d) => header[0].includes(d));
}

/** How a delimiter is written in a message and on the command line. */
export function showDelimiter(d: string): string {
  return d === '\t' ? 'tab' : `'${d}'`;
}
