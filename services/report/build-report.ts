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
import { CsvInputError, estimateRows, readCsvColumns, readCsvHeader, type ColumnBuffer } from './csv-columns.ts';

/** Column buffers held at once, in MB (AEGIS_REPORT_MEMORY_MB overrides). */
export const DEFAULT_MEMORY_BUDGET_MB = 256;

export interface ReportOptions {
  preset: PresetName;
  tests?: readonly TestName[];
  onProgress?: (message: string) => void;
  /** Budget for the column buffers held at once; wider inputs are read in several passes. */
  memoryBudgetMB?: number;
}

/**
 * Splits the columns into groups whose buffers (8 bytes a cell, both files)
 * fit the budget; each group costs one more read of both files.
 */
export function columnGroups(columns: readonly string[], rows: number, budgetMB: number): string[][] {
  const perColumn = rows * 8;
  const size = Math.max(1, Math.floor((budgetMB * 1024 * 1024) / Math.max(perColumn, 1)));
  const groups: string[][] = [];
  for (let i = 0; i < columns.length; i += size) groups.push(columns.slice(i, i + size));
  return groups;
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
  const budget = options.memoryBudgetMB ?? DEFAULT_MEMORY_BUDGET_MB;
  const rowsEstimate = (await estimateRows(referencePath)) + (await estimateRows(currentPath));
  const groups = columnGroups(common, rowsEstimate, budget);
  const progress = (path: string, pass: number) => (rows: number) =>
    options.onProgress?.(
      `reading ${path}${groups.length > 1 ? ` (pass ${pass}/${groups.length})` : ''}: ${rows.toLocaleString('en-US')} rows`,
    );

  const evaluations: ColumnEvaluation[] = [];
  const features: Omit<FeatureReport, 'drift' | 'tests'>[] = [];
  let refRows = 0;
  let curRows = 0;
  for (const [g, group] of groups.entries()) {
    const keep = new Set(group);
    const ref = await readCsvColumns(referencePath, keep, progress(referencePath, g + 1));
    const cur = await readCsvColumns(currentPath, keep, progress(currentPath, g + 1));
    refRows = ref.rows;
    curRows = cur.rows;
    for (const name of group) {
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
      if (common.length > 1) options.onProgress?.(`tested ${evaluations.length}/${common.length} columns`);
    }
  }
  const { columns, dataset } = evaluateDataset(evaluations, options.preset);
  return {
    reference: { path: referencePath, rows: refRows },
    current: { path: currentPath, rows: curRows },
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
