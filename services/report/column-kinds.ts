/**
 * The CSV reading options of `aegis report` and the column kinds it uses: the
 * guess itself is pipeline/reference/column-kind.ts (shared with `aegis
 * reference`); here are `--numeric` / `--categorical` to override it,
 * `--delimiter` for other separators, the record-size limit, and the check
 * that catches a file read as one column named 'a;b;c'.
 */
import { kindFromCounts, type CellCounts } from '../../pipeline/reference/column-kind.ts';
import { UsageError } from '../cli/command.ts';
import type { OptionTable } from '../cli/options.ts';
import { DEFAULT_MAX_RECORD_MB, isDelimiter, type CsvReadOptions } from './csv-records.ts';

export type ColumnKind = 'numeric' | 'categorical';
export { classifyCell, type CellCounts } from '../../pipeline/reference/column-kind.ts';

/** The kind of a column from its counts in each file, the reference first (pipeline/reference/column-kind.ts). */
export function guessKind(files: readonly CellCounts[]): ColumnKind {
  return kindFromCounts(files) === 'NUMERIC' ? 'numeric' : 'categorical';
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
