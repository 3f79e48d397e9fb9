/**
 * `aegis report`'s model: reads two CSV files, decides each common column's
 * kind (column-kinds.ts: the reference decides; a stray non-number is an
 * invalid cell, not a categorical column), runs every applicable test plus the
 * preset's deciding test, applies the preset's correction across features,
 * checks each column's integrity, and returns the JSON document the command
 * prints.
 *
 * Integrity (the engine's rule, DEFAULT_POLICY.redMissing): a column whose
 * share of missing or invalid rows in the current file exceeds the
 * reference's by 20 points or more — a dead sensor, a broken join — or that
 * has values in one file only, has failed; it counts as drifted and makes the
 * dataset drifted, whatever the distribution tests say.
 */
import {
  datasetDrift,
  evaluateColumn,
  evaluateDataset,
  prepareCategorical,
  prepareNumeric,
  PRESETS,
  type ColumnEvaluation,
  type PresetName,
  type TestName,
  type TestOutcome,
} from '../../pipeline/stats/index.ts';
import { DEFAULT_POLICY } from '../../pipeline/drift/drift-policy.ts';
import { COLUMN_OVERHEAD_BYTES, CsvInputError, estimateRows, readCsvColumns, readCsvHeader, type ColumnBuffer, type CsvColumns } from './csv-columns.ts';
import { DEFAULT_MAX_RECORD_MB } from './csv-records.ts';
import { checkForcedKinds, guessKind, showDelimiter, suspectedDelimiter, type ColumnKind, type CsvInput } from './column-kinds.ts';

/** Column buffers held at once, in MB (AEGIS_REPORT_MEMORY_MB overrides). */
export const DEFAULT_MEMORY_BUDGET_MB = 256;

/** Rise in the share of missing or invalid rows at which a column fails integrity. */
export const INTEGRITY_THRESHOLD = DEFAULT_POLICY.redMissing;

export interface ReportOptions {
  preset: PresetName;
  tests?: readonly TestName[];
  onProgress?: (message: string) => void;
  /** One line per column with invalid cells, and other things worth knowing. */
  onWarning?: (message: string) => void;
  /** Budget for the column buffers held at once; wider inputs are read in several passes. */
  memoryBudgetMB?: number;
  /** Delimiter, record limit, forced kinds (column-kinds.ts); default: commas, guessed kinds. */
  csv?: CsvInput;
}

/**
 * Splits the columns into groups whose buffers (8 bytes a cell, both files,
 * plus a fixed cost a column) fit the budget; each group costs one more read
 * of both files.
 */
export function columnGroups(columns: readonly string[], rows: number, budgetMB: number): string[][] {
  const perColumn = rows * 8 + COLUMN_OVERHEAD_BYTES;
  const size = Math.max(1, Math.floor((budgetMB * 1024 * 1024) / perColumn));
  const groups: string[][] = [];
  for (let i = 0; i < columns.length; i += size) groups.push(columns.slice(i, i + size));
  return groups;
}

export interface FeatureReport {
  name: string;
  kind: ColumnKind;
  /** 'forced' by --numeric / --categorical, else 'guessed'. */
  kindSource: 'guessed' | 'forced';
  /** Values used by the tests. */
  nReference: number;
  nCurrent: number;
  /** Empty (or NaN) cells. */
  missingReference: number;
  missingCurrent: number;
  /** Cells of a numeric column that are not finite numbers. */
  invalidReference: number;
  invalidCurrent: number;
  /** Shares of rows missing or invalid; `failed` as in the module comment. */
  integrity: { referenceShare: number; currentShare: number; failed: boolean };
  tests: Partial<Record<TestName, TestOutcome>>;
  drift: { test: TestName | 'integrity'; score: number; threshold: number; detected: boolean };
}

export interface ReportDocument {
  reference: { path: string; rows: number };
  current: { path: string; rows: number };
  preset: PresetName;
  features: FeatureReport[];
  dataset: {
    drifted: number;
    total: number;
    share: number;
    detected: boolean;
    threshold: number;
    correction: string;
    /** Columns that failed integrity; any makes the dataset drifted. */
    integrityFailures: number;
  };
}

const DEFAULT_CSV: CsvInput = { read: { delimiter: ',', maxRecordChars: DEFAULT_MAX_RECORD_MB << 20 }, kinds: new Map(), delimiterGiven: false };

/** The common columns, after checking that the files do not look like another delimiter's. */
async function commonColumns(referencePath: string, currentPath: string, csv: CsvInput): Promise<string[]> {
  const refHeader = await readCsvHeader(referencePath, csv.read);
  const curHeader = await readCsvHeader(currentPath, csv.read);
  const suspects = [suspectedDelimiter(refHeader), suspectedDelimiter(curHeader)];
  const guess = suspects.find(Boolean);
  const hint = guess && !csv.delimiterGiven ? `: the files look ${showDelimiter(guess)}-delimited; pass --delimiter ${showDelimiter(guess)}` : '';
  if (hint && suspects.every(Boolean)) {
    throw new CsvInputError(`${referencePath} and ${currentPath} have one column each, named '${refHeader[0].length > 60 ? `${refHeader[0].slice(0, 60)}…` : refHeader[0]}'${hint}`);
  }
  const cur = new Set(curHeader);
  const common = refHeader.filter((name) => cur.has(name));
  if (common.length === 0) throw new CsvInputError(`no common column between ${referencePath} and ${currentPath}${hint}`);
  checkForcedKinds(csv, common);
  return common;
}

interface ColumnResult {
  feature: Omit<FeatureReport, 'tests' | 'drift'>;
  evaluation?: ColumnEvaluation;
}

function evaluate(name: string, r: ColumnBuffer, c: ColumnBuffer, ref: CsvColumns, cur: CsvColumns, options: ReportOptions, csv: CsvInput): ColumnResult {
  const forced = csv.kinds.get(name);
  const kind = forced ?? guessKind([r.counts(), c.counts()]);
  const nReference = r.count(kind);
  const nCurrent = c.count(kind);
  const invalidReference = r.invalid(kind);
  const invalidCurrent = c.invalid(kind);
  const referenceShare = (r.missing + invalidReference) / ref.rows;
  const currentShare = (c.missing + invalidCurrent) / cur.rows;
  const failed = (nReference === 0) !== (nCurrent === 0) || currentShare - referenceShare >= INTEGRITY_THRESHOLD;
  if (invalidReference + invalidCurrent > 0) {
    const example = r.exampleText() ?? c.exampleText() ?? 'inf';
    options.onWarning?.(
      `column '${name}': ${invalidReference} cell(s) in the reference and ${invalidCurrent} in the current file are not finite numbers ` +
        `(e.g. '${example.slice(0, 40)}'); counted as invalid, like missing values${forced ? '' : ` (--categorical ${name} reads it as categories)`}`,
    );
  }
  let evaluation: ColumnEvaluation | undefined;
  if (nReference > 0 && nCurrent > 0) {
    const prepared =
      kind === 'categorical'
        ? prepareCategorical(r.categories(), c.categories())
        : prepareNumeric(r.numeric().sort(), c.numeric().sort(), { currentSorted: true });
    evaluation = evaluateColumn(prepared, { preset: options.preset, tests: options.tests });
  }
  return {
    feature: {
      name,
      kind,
      kindSource: forced ? 'forced' : 'guessed',
      nReference,
      nCurrent,
      missingReference: r.missing,
      missingCurrent: c.missing,
      invalidReference,
      invalidCurrent,
      integrity: { referenceShare, currentShare, failed },
    },
    evaluation,
  };
}

export async function buildReport(referencePath: string, currentPath: string, options: ReportOptions): Promise<ReportDocument> {
  const csv = options.csv ?? DEFAULT_CSV;
  const common = await commonColumns(referencePath, currentPath, csv);
  const budget = options.memoryBudgetMB ?? DEFAULT_MEMORY_BUDGET_MB;
  const rowsEstimate = (await estimateRows(referencePath)) + (await estimateRows(currentPath));
  const groups = columnGroups(common, rowsEstimate, budget);
  const progress = (path: string, pass: number) => (rows: number) =>
    options.onProgress?.(`reading ${path}${groups.length > 1 ? ` (pass ${pass}/${groups.length})` : ''}: ${rows.toLocaleString('en-US')} rows`);

  const results: ColumnResult[] = [];
  let refRows = 0;
  let curRows = 0;
  for (const [g, group] of groups.entries()) {
    const keep = new Set(group);
    const ref = await readCsvColumns(referencePath, keep, progress(referencePath, g + 1), csv.read);
    const cur = await readCsvColumns(currentPath, keep, progress(currentPath, g + 1), csv.read);
    if (ref.rows === 0) throw new CsvInputError(`${referencePath}: no data rows, only a header`);
    if (cur.rows === 0) throw new CsvInputError(`${currentPath}: no data rows, only a header`);
    refRows = ref.rows;
    curRows = cur.rows;
    for (const name of group) {
      const r = ref.columns.get(name)!;
      const c = cur.columns.get(name)!;
      results.push(evaluate(name, r, c, ref, cur, options, csv));
      r.release();
      c.release();
      if (common.length > 1) options.onProgress?.(`tested ${results.length}/${common.length} columns`);
    }
  }

  const tested = results.filter((r) => r.evaluation);
  const corrected = evaluateDataset(
    tested.map((r) => r.evaluation!),
    options.preset,
  );
  const after = new Map(tested.map((r, i) => [r, corrected.columns[i]]));
  const features: FeatureReport[] = results.map((r) => {
    const e = after.get(r);
    const { integrity } = r.feature;
    const integrityDrift = {
      test: 'integrity' as const,
      score: integrity.currentShare - integrity.referenceShare,
      threshold: INTEGRITY_THRESHOLD,
      detected: integrity.failed,
    };
    return { ...r.feature, tests: e?.tests ?? {}, drift: integrity.failed || !e ? integrityDrift : e.drift };
  });
  const preset = PRESETS[options.preset];
  const summary = datasetDrift(
    features.map((f) => f.drift.detected),
    preset.datasetDriftShare,
  );
  const integrityFailures = features.filter((f) => f.integrity.failed).length;
  return {
    reference: { path: referencePath, rows: refRows },
    current: { path: currentPath, rows: curRows },
    preset: options.preset,
    features,
    dataset: {
      drifted: summary.drifted,
      total: summary.total,
      share: summary.share,
      detected: summary.detected || integrityFailures > 0,
      threshold: summary.threshold,
      correction: corrected.dataset.correction,
      integrityFailures,
    },
  };
}
