/**
 * A column prepared once for all tests: sorted numeric samples (or category
 * lists) plus lazily computed, memoized shared quantities (unique count,
 * reference std, the KS/Wasserstein merged pass, PSI/JS bins, per-value
 * counts), so that computing every test on a column sorts, merges and bins it
 * only once.
 */
import { checkSorted, sortedCopy, type Sample } from './sample.ts';
import { categoricalSharedBins, numericSharedBins, uniqueCountSorted, type SharedBins } from './shared-bins.ts';
import { mergedStatsSorted, type MergedStats } from './sorted-merge.ts';
import { populationStd } from './wasserstein.ts';

export type ColumnKind = 'numeric' | 'categorical';

export interface NumericColumn {
  kind: 'numeric';
  refSorted: Float64Array;
  curSorted: Float64Array;
  nReference: number;
  nCurrent: number;
  referenceUnique(): number;
  referenceStd(): number;
  /** KS extremes and Wasserstein-1 from one merged pass over both samples (sorted-merge.ts). */
  merged(): MergedStats;
  /** PSI / Jensen–Shannon bins (Evidently's rule). */
  bins(): SharedBins;
  /** One bin per distinct value, for the categorical tests on a numeric column. */
  valueBins(): SharedBins;
}

export interface CategoricalColumn {
  kind: 'categorical';
  nReference: number;
  nCurrent: number;
  referenceUnique(): number;
  bins(): SharedBins;
  valueBins(): SharedBins;
}

export type PreparedColumn = NumericColumn | CategoricalColumn;

function memo<T>(f: () => T): () => T {
  let done = false;
  let value: T;
  return () => {
    if (!done) {
      value = f();
      done = true;
    }
    return value;
  };
}

/** From an ascending reference (e.g. the engine's cached profile) and any current sample. */
export interface ReferenceSummary {
  /** Distinct values in the reference (else counted on first use). */
  unique?: number;
  /** Population standard deviation of the reference (else computed on first use). */
  std?: number;
}

export function prepareNumeric(
  refSorted: Float64Array,
  current: Sample,
  options: { currentSorted?: boolean; reference?: ReferenceSummary } = {},
): NumericColumn {
  checkSorted(refSorted, 'prepareNumeric', 'reference');
  const curSorted =
    options.currentSorted && current instanceof Float64Array
      ? checkSorted(current, 'prepareNumeric', 'current')
      : sortedCopy(current, 'prepareNumeric', 'current');
  const known = options.reference ?? {};
  const referenceUnique = memo(() => known.unique ?? uniqueCountSorted(refSorted));
  return {
    kind: 'numeric',
    refSorted,
    curSorted,
    nReference: refSorted.length,
    nCurrent: curSorted.length,
    referenceUnique,
    referenceStd: memo(() => known.std ?? populationStd(refSorted)),
    merged: memo(() => mergedStatsSorted(refSorted, curSorted)),
    bins: memo(() => numericSharedBins(refSorted, curSorted, referenceUnique())),
    valueBins: memo(() => numericSharedBins(refSorted, curSorted, 0)),
  };
}

export function prepareCategorical(reference: readonly string[], current: readonly string[]): CategoricalColumn {
  if (reference.length === 0) throw new RangeError('prepareCategorical: reference sample is empty');
  if (current.length === 0) throw new RangeError('prepareCategorical: current sample is empty');
  const bins = memo(() => categoricalSharedBins(reference, current));
  return {
    kind: 'categorical',
    nReference: reference.length,
    nCurrent: current.length,
    referenceUnique: memo(() => {
      const counts = bins().referenceCounts;
      let k = 0;
      for (let i = 0; i < counts.length; i++) if (counts[i] > 0) k++;
      return k;
    }),
    bins,
    valueBins: bins,
  };
}

/**
 * A categorical column from counts per category (the drift engine keeps its
 * window as category codes): `categories[i]` has `referenceCounts[i]` and
 * `currentCounts[i]`. The same bins as prepareCategorical builds from the raw
 * values when the categories are listed in order of first appearance.
 */
export function prepareCategoricalCounts(
  categories: readonly string[],
  referenceCounts: Float64Array,
  currentCounts: Float64Array,
): CategoricalColumn {
  const sum = (a: Float64Array) => a.reduce((s, x) => s + x, 0);
  const nReference = sum(referenceCounts);
  const nCurrent = sum(currentCounts);
  if (nReference === 0) throw new RangeError('prepareCategoricalCounts: reference sample is empty');
  if (nCurrent === 0) throw new RangeError('prepareCategoricalCounts: current sample is empty');
  const bins: SharedBins = { kind: 'categories', categories: [...categories], referenceCounts, currentCounts };
  return {
    kind: 'categorical',
    nReference,
    nCurrent,
    referenceUnique: memo(() => referenceCounts.reduce((k, c) => k + (c > 0 ? 1 : 0), 0)),
    bins: () => bins,
    valueBins: () => bins,
  };
}
