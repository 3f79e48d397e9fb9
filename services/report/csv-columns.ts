/**
 * Streams a CSV file (csv-records.ts) into compact per-column buffers: numbers in
 * chunked Float64Arrays while every value parses as a decimal number, category
 * codes (Int32Array chunks + a dictionary) from the first non-numeric value on.
 * An empty (or whitespace-only) cell is missing: counted, not stored. Memory is
 * ~8 bytes per numeric cell, ~4 per categorical cell, so 1M rows × 30 columns
 * takes ~240 MB per file (build-report.ts reads column groups to stay within
 * a memory budget).
 */
import { open, stat } from 'node:fs/promises';
import { csvRecords, CsvSyntaxError } from './csv-records.ts';

const CHUNK = 1 << 16;
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

export class CsvInputError extends Error {
  override name = 'CsvInputError';
}

export class ColumnBuffer {
  missing = 0;
  count = 0;
  kind: 'numeric' | 'categorical' = 'numeric';
  private numbers: Float64Array[] = [];
  private codes: Int32Array[] = [];
  private dictionary = new Map<string, number>();
  private labels: string[] = [];

  push(raw: string): void {
    const text = raw.trim();
    if (text === '') {
      this.missing++;
      return;
    }
    if (this.kind === 'numeric') {
      if (NUMBER.test(text)) {
        const value = Number(text);
        if (Number.isFinite(value)) {
          this.pushNumber(value);
          return;
        }
      }
      this.toCategorical();
    }
    this.pushCode(this.code(NUMBER.test(text) ? String(Number(text)) : text));
  }

  private pushNumber(value: number) {
    const k = this.count % CHUNK;
    if (k === 0) this.numbers.push(new Float64Array(CHUNK));
    this.numbers[this.numbers.length - 1][k] = value;
    this.count++;
  }

  private pushCode(code: number) {
    const k = this.count % CHUNK;
    if (k === 0) this.codes.push(new Int32Array(CHUNK));
    this.codes[this.codes.length - 1][k] = code;
    this.count++;
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

  /**
   * Numbers seen so far become categories spelled as JavaScript prints them;
   * numeric-looking labels read later are spelled the same way ("1.0" = "1").
   */
  toCategorical(): void {
    if (this.kind === 'categorical') return;
    const values = this.numeric();
    this.kind = 'categorical';
    this.numbers = [];
    this.count = 0;
    for (let i = 0; i < values.length; i++) this.pushCode(this.code(String(values[i])));
  }

  numeric(): Float64Array {
    if (this.kind !== 'numeric') throw new Error('numeric(): column is categorical');
    const out = new Float64Array(this.count);
    this.numbers.forEach((chunk, i) => out.set(chunk.subarray(0, Math.min(CHUNK, this.count - i * CHUNK)), i * CHUNK));
    return out;
  }

  categories(): string[] {
    if (this.kind !== 'categorical') throw new Error('categories(): column is numeric');
    const out = new Array<string>(this.count);
    for (let i = 0; i < this.count; i++) out[i] = this.labels[this.codes[(i / CHUNK) | 0][i % CHUNK]];
    return out;
  }

  release(): void {
    this.numbers = [];
    this.codes = [];
  }
}

export interface CsvColumns {
  header: string[];
  rows: number;
  columns: Map<string, ColumnBuffer>;
}

function describe(path: string, err: unknown): CsvInputError {
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
export async function readCsvHeader(path: string): Promise<string[]> {
  try {
    for await (const record of csvRecords(path)) return checkHeader(path, record);
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
): Promise<CsvColumns> {
  let header: string[] | undefined;
  let picks: { index: number; buffer: ColumnBuffer }[] = [];
  const columns = new Map<string, ColumnBuffer>();
  let rows = 0;
  try {
    for await (const cells of csvRecords(path)) {
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
}
