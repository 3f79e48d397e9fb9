/**
 * `aegis report`'s model: reads two CSV files, types each common column
 * (categorical as soon as either file has a non-numeric value), runs every
 * applicable test plus the preset's deciding test, applies the preset's
 * correction across features, and returns the JSON document the command prints.
 */
import {
  evaluateColumn,
  evaluateDataset,
  prepareCategorical,
  prepareNumeric,
  type ColumnEvaluation,
  type PresetName,
  type TestName,
  type TestOutcome,
} from '../../pipeline/stats/index.ts';
import { CsvInputError, readCsvColumns, readCsvHeader, type ColumnBuffer } from './csv-columns.ts';

export interface ReportOptions {
  preset: PresetName;
  tests?: readonly TestName[];
  onProgress?: (message: string) => void;
}

export interface FeatureReport {
  name: string;
  kind: 'numeric' | 'categorical';
  nReference: number;
  nCurrent: number;
  missingReference: number;
  missingCurrent: number;
  tests: Partial<Record<TestName, TestOutcome>>;
  drift: { test: TestName; score: number; threshold: number; detected: boolean };
}

export interface ReportDocument {
  reference: { path: string; rows: number };
  current: { path: string; rows: number };
  preset: PresetName;
  features: FeatureReport[];
  dataset: { drifted: number; total: number; share: number; detected: boolean; threshold: number; correction: string };
}

export async function buildReport(referencePath: string, currentPath: string, options: ReportOptions): Promise<ReportDocument> {
  const refHeader = await readCsvHeader(referencePath);
  const curHeader = new Set(await readCsvHeader(currentPath));
  const common = refHeader.filter((name) => curHeader.has(name));
  if (common.length === 0) {
    throw new CsvInputError(`no common column between ${referencePath} and ${currentPath}`);
  }
  const keep = new Set(common);
  const progress = (path: string) => (rows: number) => options.onProgress?.(`reading ${path}: ${rows.toLocaleString('en-US')} rows`);
  const ref = await readCsvColumns(referencePath, keep, progress(referencePath));
  const cur = await readCsvColumns(currentPath, keep, progress(currentPath));

  const evaluations: ColumnEvaluation[] = [];
  const features: Omit<FeatureReport, 'drift' | 'tests'>[] = [];
  for (const [i, name] of common.entries()) {
    const r = ref.columns.get(name)!;
    const c = cur.columns.get(name)!;
    if (r.count === 0) throw new CsvInputError(`column '${name}' has no values in ${referencePath}`);
    if (c.count === 0) throw new CsvInputError(`column '${name}' has no values in ${currentPath}`);
    if (r.kind === 'categorical' || c.kind === 'categorical') {
      r.toCategorical();
      c.toCategorical();
    }
    evaluations.push(evaluateColumn(prepare(r, c), { preset: options.preset, tests: options.tests }));
    features.push({
      name,
      kind: r.kind,
      nReference: r.count,
      nCurrent: c.count,
      missingReference: r.missing,
      missingCurrent: c.missing,
    });
    r.release();
    c.release();
    if (common.length > 1) options.onProgress?.(`tested ${i + 1}/${common.length} columns`);
  }
  const { columns, dataset } = evaluateDataset(evaluations, options.preset);
  return {
    reference: { path: referencePath, rows: ref.rows },
    current: { path: currentPath, rows: cur.rows },
    preset: options.preset,
    features: features.map((f, i) => ({ ...f, tests: columns[i].tests, drift: columns[i].drift })),
    dataset: {
      drifted: dataset.drifted,
      total: dataset.total,
      share: dataset.share,
      detected: dataset.detected,
      threshold: dataset.threshold,
      correction: dataset.correction,
    },
  };
}

function prepare(r: ColumnBuffer, c: ColumnBuffer) {
  if (r.kind === 'categorical') return prepareCategorical(r.categories(), c.categories());
  const refSorted = r.numeric().sort();
  const curSorted = c.numeric().sort();
  return prepareNumeric(refSorted, curSorted, { currentSorted: true });
}
