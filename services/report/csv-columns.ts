/**
 * Streams a CSV file (csv-records.ts) into compact per-column buffers. Each
 * cell is classified once (pipeline/reference/column-kind.ts: missing, a
 * finite number, or text); numbers go to Float64Array chunks, text to Int32Array codes and a
 * dictionary, so the column's kind can be decided after both files are read
 * (and overridden) without keeping the raw cells. Chunks start small and
 * double up to 64 Ki values, so a wide file with few rows costs little per
 * column: memory is ~8 bytes per numeric cell, ~4 per text cell, plus about
 * COLUMN_OVERHEAD_BYTES per column (build-report.ts reads column groups to
 * stay within a memory budget).
 */
import { open, stat } from 'node:fs/promises';
import { checkRegularFile, csvRecords, CsvInputError, CsvSyntaxError, type CsvReadOptions } from './csv-records.ts';
import { classifyCell, countCell, emptyCounts, type CellCounts } from '../../pipeline/reference/column-kind.ts';
import type { ColumnKind } from './column-kinds.ts';

export { CsvInputError };

const FIRST_CHUNK = 64;
const MAX_CHUNK = 1 << 16;

/** Bytes a column costs before its first value (objects, maps, first chunks), as measured on 10,000 columns. */
export const COLUMN_OVERHEAD_BYTES = 2048;

/** Typed-array chunks that start at 64 values and double up to 64 Ki. */
class Chunks<A extends Float64Array | Int32Array> {
  private chunks: A[] = [];
  private fill = 0;
  length = 0;

  constructor(private readonly make: (n: number) => A) {}

  push(value: number): void {
    let last = this.chunks[this.chunks.length - 1];
    if (!last || this.fill === last.length) {
      last = this.make(last ? Math.min(last.length * 2, MAX_CHUNK) : FIRST_CHUNK);
      this.chunks.push(last);
      this.fill = 0;
    }
    last[this.fill++] = value;
    this.length++;
  }

  forEach(f: (value: number) => void): void {
    let left = this.length;
    for (const chunk of this.chunks) {
      const n = Math.min(chunk.length, left);
      for (let i = 0; i < n; i++) f(chunk[i]);
      left -= n;
    }
  }

  /** All values in one array. */
  toArray(out: A): A {
    let at = 0;
    let left = this.length;
    for (const chunk of this.chunks) {
      const n = Math.min(chunk.length, left);
      out.set(chunk.subarray(0, n), at);
      at += n;
      left -= n;
    }
    return out;
  }
}

/** One column of one file. */
export class ColumnBuffer {
  private tally = emptyCounts();
  private numbers = new Chunks((n) => new Float64Array(n));
  private texts = new Chunks((n) => new Int32Array(n));
  private dictionary = new Map<string, number>();
  private labels: string[] = [];

  push(raw: string | undefined): void {
    const cell = classifyCell(raw ?? '');
    countCell(this.tally, cell);
    if (cell.kind === 'number') this.numbers.push(cell.value);
    else if (cell.kind !== 'missing') this.texts.push(this.code(cell.text));
  }

  /** Empty, whitespace-only and NaN cells. */
  get missing(): number {
    return this.tally.missing;
  }

  private code(label: string): number {
    let c = this.dictionary.get(label);
    if (c === undefined) {
      c = this.labels.length;
      this.dictionary.set(label, c);
      this.labels.push(label);
    }
    return c;
  }

  /** What the kind guess needs (column-kinds.ts). */
  counts(): CellCounts {
    return { ...this.tally };
  }

  /** A cell that is not a number, for messages. */
  exampleText(): string | undefined {
    return this.labels.find((l) => classifyCell(l).kind === 'text');
  }

  /** Values usable as `kind`: in a numeric column, text and non-finite cells are invalid. */
  count(kind: ColumnKind): number {
    return kind === 'numeric' ? this.numbers.length : this.numbers.length + this.texts.length;
  }

  invalid(kind: ColumnKind): number {
    return kind === 'numeric' ? this.texts.length : 0;
  }

  /** The finite numbers, in file order. */
  numeric(): Float64Array {
    return this.numbers.toArray(new Float64Array(this.numbers.length));
  }

  /**
   * Every non-missing cell as a category: numbers spelled as JavaScript prints
   * them ("1.0" and "1" are one category), text as written. Order: numbers
   * first, then text (the categorical tests use counts only).
   */
  categories(): string[] {
    const out: string[] = [];
    this.numbers.forEach((v) => out.push(String(v)));
    this.texts.forEach((c) => out.push(this.labels[c]));
    return out;
  }

  release(): void {
    this.tally = emptyCounts();
    this.numbers = new Chunks((n) => new Float64Array(n));
    this.texts = new Chunks((n) => new Int32Array(n));
    this.dictionary.clear();
    this.labels = [];
  }
}

export interface CsvColumns {
  header: string[];
  rows: number;
  columns: Map<string, ColumnBuffer>;
}

export function describe(path: string, err: unknown): CsvInputError {
  if (err instanceof CsvInputError) return err;
  const e = err as NodeJS.ErrnoException;
  if (e?.code === 'ENOENT') return new CsvInputError(`${path}: no such file`);
  if (e?.code === 'EACCES') return new CsvInputError(`${path}: permission denied`);
  if (e?.code === 'EISDIR') return new CsvInputError(`${path}: is a directory`);
  if (err instanceof CsvSyntaxError) return new CsvInputError(`${path}: unparseable CSV: ${err.message}`);
  return new CsvInputError(`${path}: ${(e?.message ?? String(err)).split('\n')[0]}`);
}

function checkHeader(path: string, header: string[]): string[] {
  const names = header.map((h) => h.trim());
  const seen = new Set<string>();
  for (const n of names) {
    if (n === '') throw new CsvInputError(`${path}: the header has an empty column name`);
    if (seen.has(n)) throw new CsvInputError(`${path}: the header repeats column '${n}'`);
    seen.add(n);
  }
  return names;
}

/** The header row alone. */
export async function readCsvHeader(path: string, options: CsvReadOptions = {}): Promise<string[]> {
  try {
    for await (const record of csvRecords(path, options)) return checkHeader(path, record);
  } catch (err) {
    throw describe(path, err);
  }
  throw new CsvInputError(`${path}: empty file (no header row)`);
}

/**
 * Reads the columns named in `keep` (all when omitted). `onProgress(rows)` is
 * called about every 100,000 rows.
 */
export async function readCsvColumns(
  path: string,
  keep?: ReadonlySet<string>,
  onProgress?: (rows: number) => void,
  options: CsvReadOptions = {},
): Promise<CsvColumns> {
  let header: string[] | undefined;
  let picks: { index: number; buffer: ColumnBuffer }[] = [];
  const columns = new Map<string, ColumnBuffer>();
  let rows = 0;
  try {
    for await (const cells of csvRecords(path, options)) {
      if (!header) {
        header = checkHeader(path, cells);
        header.forEach((name, index) => {
          if (keep && !keep.has(name)) return;
          const buffer = new ColumnBuffer();
          columns.set(name, buffer);
          picks.push({ index, buffer });
        });
        continue;
      }
      for (const { index, buffer } of picks) buffer.push(cells[index]);
      rows++;
      if (onProgress && rows % 100_000 === 0) onProgress(rows);
    }
  } catch (err) {
    throw describe(path, err);
  }
  if (!header) throw new CsvInputError(`${path}: empty file (no header row)`);
  picks = [];
  return { header, rows, columns };
}

/**
 * Rows in a file, estimated from the bytes per row of its first MiB (exact
 * for files under a MiB). Used only to size column groups.
 */
export async function estimateRows(path: string): Promise<number> {
  try {
    await checkRegularFile(path);
    const { size } = await stat(path);
    const handle = await open(path, 'r');
    try {
      const probe = Buffer.alloc(Math.min(size, 1 << 20));
      const { bytesRead } = await handle.read(probe, 0, probe.length, 0);
      let lines = 0;
      for (let i = 0; i < bytesRead; i++) if (probe[i] === 10) lines++;
      if (bytesRead === size) return Math.max(lines, 1);
      return Math.ceil((size / bytesRead) * Math.max(lines, 1));
    } finally {
      await handle.close();
    }
  } catch (err) {
    throw describe(path, err);
  }
}
