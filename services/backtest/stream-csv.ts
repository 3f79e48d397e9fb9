/**
 * The rows of a recorded stream CSV (header row, one event per row, in
 * arrival order), streamed one at a time as the feature values of an
 * inference event: each of the reference's features by column name, a
 * NUMERIC cell parsed as a number (kept as text when it is not one, which the
 * engine counts as invalid), an empty cell missing; other columns ignored.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { parse } from 'csv-parse';
import { UsageError } from '../cli/command.ts';
import type { FeatureValue } from '../../pipeline/serde/inference-event.ts';
import type { ReferenceProfile } from '../../pipeline/serde/reference-profile.ts';
import { parseNumberCell } from '../../pipeline/reference/column-kind.ts';

const MAX_RECORD_BYTES = 16 * 1024 * 1024;

export async function* streamRows(file: string, profile: ReferenceProfile, delimiter: string): AsyncGenerator<Record<string, FeatureValue>> {
  const info = await stat(file).catch((err: NodeJS.ErrnoException) => {
    throw new UsageError(`--stream: cannot read ${file} (${err.code ?? err.message})`);
  });
  if (!info.isFile()) throw new UsageError(`--stream: ${file} is not a regular file`);
  const parser = createReadStream(file).pipe(parse({ delimiter, skip_empty_lines: true, bom: true, max_record_size: MAX_RECORD_BYTES }));
  let columns: Array<{ name: string; numeric: boolean; index: number }> | undefined;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      if (!columns) {
        const header = record.map((h) => h.trim());
        columns = profile.features.map((f) => ({ name: f.name, numeric: f.kind === 'NUMERIC', index: header.indexOf(f.name) })).filter((c) => c.index >= 0);
        if (columns.length === 0) throw new UsageError(`--stream: ${file} has none of the reference's columns (${profile.features.slice(0, 10).map((f) => f.name).join(', ')}…)`);
        continue;
      }
      const features: Record<string, FeatureValue> = {};
      for (const c of columns) {
        const cell = record[c.index] ?? '';
        if (cell.trim() === '') features[c.name] = null;
        else if (c.numeric) {
          const x = parseNumberCell(cell);
          features[c.name] = Number.isNaN(x) ? cell : x;
        } else features[c.name] = cell;
      }
      yield features;
    }
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`--stream: ${file} is not a valid CSV file (${(err as Error).message.split('\n')[0]})`);
  }
  if (!columns) throw new UsageError(`--stream: ${file} is empty`);
}
