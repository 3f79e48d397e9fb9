/**
 * Every applicable test on one column, the preset's drift verdict, and the
 * dataset verdict across columns (with the preset's multiple-testing
 * correction applied to the deciding p-values). Plain objects in and out.
 */
import { prepareCategorical, prepareNumeric, type ColumnKind, type PreparedColumn, type ReferenceSummary } from './column.ts';
import { adjustPValues, datasetDrift, type Correction } from './multiple-testing.ts';
import { PRESETS, type Preset, type PresetName } from './presets.ts';
import type { Sample } from './sample.ts';
import type { SharedBins } from './shared-bins.ts';
import { defaultTestsFor, getTest, isDrift, scoreOf, type TestName, type TestOutcome } from './test-registry.ts';

export interface EvaluateOptions {
  /** Preset deciding drift (default 'aegis'). */
  preset?: PresetName | Preset;
  /** Tests to compute; default: every non-opt-in test of the column's kind. The preset's test is always computed. */
  tests?: readonly TestName[];
}

export interface NumericEvaluateOptions extends EvaluateOptions {
  /** Cached reference summary (unique count, std) to skip recomputing them every interval. */
  reference?: ReferenceSummary;
}

export interface DriftVerdict {
  test: TestName;
  /** p-value (adjusted once `evaluateDataset` applies a correction) or distance. */
  score: number;
  threshold: number;
  detected: boolean;
}

export interface ColumnEvaluation {
  kind: ColumnKind;
  nReference: number;
  nCurrent: number;
  referenceUnique: number;
  tests: Partial<Record<TestName, TestOutcome>>;
  drift: DriftVerdict;
  /** Reference vs current counts on the PSI / Jensen–Shannon bins. */
  histogram: SharedBins;
}

export function resolvePreset(preset: PresetName | Preset | undefined): Preset {
  if (preset === undefined) return PRESETS.aegis;
  return typeof preset === 'string' ? PRESETS[preset] : preset;
}

export function evaluateColumn(column: PreparedColumn, options: EvaluateOptions = {}): ColumnEvaluation {
  const preset = resolvePreset(options.preset);
  const referenceUnique = column.referenceUnique();
  const choice = preset.choose({ kind: column.kind, nReference: column.nReference, referenceUnique });
  const names = new Set<TestName>(
    options.tests
      ? options.tests.filter((t) => getTest(t).kinds.includes(column.kind) && (getTest(t).applies?.(column) ?? true))
      : defaultTestsFor(column),
  );
  names.add(choice.test);
  const tests: Partial<Record<TestName, TestOutcome>> = {};
  for (const name of names) tests[name] = getTest(name).compute(column);
  const score = scoreOf(tests[choice.test]!);
  return {
    kind: column.kind,
    nReference: column.nReference,
    nCurrent: column.nCurrent,
    referenceUnique,
    tests,
    drift: {
      test: choice.test,
      score,
      threshold: choice.threshold,
      detected: isDrift(getTest(choice.test).direction, score, choice.threshold),
    },
    histogram: column.bins(),
  };
}

/**
 * All tests for one numeric column: what the drift engine calls every interval
 * with its cached sorted reference and the window's values (any order).
 */
export function evaluateNumeric(refSorted: Float64Array, current: Sample, options: NumericEvaluateOptions = {}): ColumnEvaluation {
  return evaluateColumn(prepareNumeric(refSorted, current, { reference: options.reference }), options);
}

export function evaluateCategorical(
  reference: readonly string[],
  current: readonly string[],
  options: EvaluateOptions = {},
): ColumnEvaluation {
  return evaluateColumn(prepareCategorical(reference, current), options);
}

export interface DatasetEvaluation {
  columns: ColumnEvaluation[];
  dataset: { drifted: number; total: number; share: number; threshold: number; detected: boolean; correction: Correction };
}

/**
 * Applies the preset's correction to the deciding p-values of the columns
 * (distances are left alone), re-decides each column, and the dataset.
 * Returns new objects; the inputs are not modified.
 */
export function evaluateDataset(columns: readonly ColumnEvaluation[], preset?: PresetName | Preset): DatasetEvaluation {
  const p = resolvePreset(preset);
  const pIdx = columns.map((c, i) => (getTest(c.drift.test).direction === 'p-value below' ? i : -1)).filter((i) => i >= 0);
  const adjusted = adjustPValues(
    pIdx.map((i) => columns[i].drift.score),
    p.correction,
  );
  const out = columns.map((c) => ({ ...c, drift: { ...c.drift } }));
  pIdx.forEach((i, k) => {
    const d = out[i].drift;
    d.score = adjusted[k];
    d.detected = isDrift('p-value below', d.score, d.threshold);
  });
  const summary = datasetDrift(
    out.map((c) => c.drift.detected),
    p.datasetDriftShare,
  );
  return { columns: out, dataset: { ...summary, correction: p.correction } };
}
