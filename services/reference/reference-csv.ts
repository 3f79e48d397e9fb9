/**
 * `aegis reference` without the flag parsing: reads a team's reference CSV
 * (header row, one row per reference prediction), decides each feature's kind,
 * and builds the profile with the same builder the demo trainer uses.
 */
import { csvRecords } from '../report/csv-records.ts';
import { describe } from '../report/csv-columns.ts';
import { UsageError } from '../cli/command.ts';
import type { FeatureValue } from '../../pipeline/serde/inference-event.ts';
import type { ReferenceProfile } from '../../pipeline/serde/reference-profile.ts';
import { buildProfile, MAX_FEATURES, type ReferenceColumn } from '../../pipeline/reference/build-profile.ts';
import { guessKind, parseNumberCell } from '../../pipeline/reference/column-kind.ts';

export interface ReferenceCsvOptions {
  modelId: string;
  version: string;
  file: string;
  predictionColumn?: string;
  scoreColumn?: string;
  labelColumn?: string;
  positiveLabel?: string;
  categorical: readonly string[];
  numeric: readonly string[];
  delimiter: string;
  createdAt: number;
  warn: (line: string) => void;
}

/** The whole file through the same reader as `aegis report` (regular files only, bounded records). */
async function readRows(file: string, delimiter: string): Promise<{ header: string[]; rows: string[][] }> {
  let header: string[] | undefined;
  const rows: string[][] = [];
  try {
    for await (const record of csvRecords(file, { delimiter })) {
      if (!header) header = record.map((h) => h.trim());
      else rows.push(record);
    }
  } catch (err) {
    throw new UsageError(`--from: ${describe(file, err).message}`);
  }
  if (!header) throw new UsageError(`--from: ${file} is empty`);
  if (rows.length === 0) throw new UsageError(`--from: ${file} has a header but no rows`);
  return { header, rows };
}

export async function profileFromCsv(o: ReferenceCsvOptions): Promise<{ profile: ReferenceProfile; rows: number }> {
  const { header, rows } = await readRows(o.file, o.delimiter);
  const seen = new Set<string>();
  for (const h of header) {
    if (h === '') throw new UsageError(`--from: ${o.file} has an empty column name`);
    if (seen.has(h)) throw new UsageError(`--from: ${o.file} has the column '${h}' twice`);
    seen.add(h);
  }
  const special = [o.predictionColumn, o.scoreColumn, o.labelColumn].filter((c): c is string => c !== undefined);
  for (const c of [...special, ...o.categorical, ...o.numeric]) {
    if (!seen.has(c)) throw new UsageError(`column '${c}' is not in ${o.file} (columns: ${header.slice(0, 20).join(', ')}${header.length > 20 ? ', …' : ''})`);
  }
  const both = o.categorical.find((c) => o.numeric.includes(c));
  if (both) throw new UsageError(`column '${both}' is given as both --categorical and --numeric`);
  const cells = (name: string) => {
    const j = header.indexOf(name);
    return rows.map((r) => r[j] ?? '');
  };
  const featureNames = header.filter((h) => !special.includes(h));
  if (featureNames.length === 0) throw new UsageError(`${o.file} has no feature column left besides the prediction, score and label`);
  if (featureNames.length > MAX_FEATURES) throw new UsageError(`${o.file} has ${featureNames.length} feature columns; a model has at most ${MAX_FEATURES}`);

  const features: ReferenceColumn[] = featureNames.map((name) => {
    const column = cells(name);
    const guess = guessKind(column);
    const kind = o.categorical.includes(name) ? 'CATEGORICAL' : o.numeric.includes(name) ? 'NUMERIC' : guess.kind;
    if (kind === 'NUMERIC') {
      const values = column.map((c): FeatureValue => (c.trim() === '' ? null : parseNumberCell(c)));
      const invalid = values.filter((v) => typeof v === 'number' && Number.isNaN(v)).length;
      if (invalid) o.warn(`column '${name}': ${invalid} of ${column.length} cells are not numbers; left out as invalid`);
      return { name, kind, values };
    }
    return { name, kind, values: column.map((c) => (c.trim() === '' ? null : c)) };
  });
  const optional = (name: string | undefined) => (name === undefined ? undefined : cells(name).map((c) => (c.trim() === '' ? null : c)));
  const scores = o.scoreColumn === undefined ? undefined : cells(o.scoreColumn).map((c) => (c.trim() === '' ? null : parseNumberCell(c)));
  const profile = buildProfile({
    modelId: o.modelId,
    modelVersion: o.version,
    createdAt: o.createdAt,
    features,
    predictions: optional(o.predictionColumn),
    scores,
    labels: optional(o.labelColumn),
    positiveLabel: o.positiveLabel,
  });
  return { profile, rows: rows.length };
}
