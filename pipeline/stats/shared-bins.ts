/**
 * Reference and current counts on common bins, as Evidently's
 * `get_binned_data` builds them for PSI and Jensen–Shannon:
 * - numeric column whose reference has more than 20 unique values: Sturges
 *   edges over reference + current (numpy.histogram_bin_edges), numpy
 *   histogram counts;
 * - otherwise (and for categories): one bin per value seen in either sample.
 * The same counts feed the dashboard's reference-vs-current histogram.
 */
import { uniqueCountSorted as uniqueCountSortedFn } from 'simple-statistics';
import { histogramCountsSorted, sturgesBinEdgesSorted } from './histogram-bin-edges.ts';
import { asNumbers } from './sample.ts';

export const EVIDENTLY_MAX_UNIQUE_FOR_VALUE_BINS = 20;

export type SharedBins =
  | { kind: 'edges'; edges: Float64Array; referenceCounts: Float64Array; currentCounts: Float64Array }
  | { kind: 'values'; values: Float64Array; referenceCounts: Float64Array; currentCounts: Float64Array }
  | { kind: 'categories'; categories: string[]; referenceCounts: Float64Array; currentCounts: Float64Array };

export function uniqueCountSorted(sorted: Float64Array): number {
  return uniqueCountSortedFn(asNumbers(sorted));
}

/** Bins for two ascending numeric samples (non-empty, finite: callers check). */
export function numericSharedBins(refSorted: Float64Array, curSorted: Float64Array, referenceUnique?: number): SharedBins {
  const unique = referenceUnique ?? uniqueCountSorted(refSorted);
  if (unique > EVIDENTLY_MAX_UNIQUE_FOR_VALUE_BINS) {
    const edges = sturgesBinEdgesSorted(refSorted, curSorted);
    return {
      kind: 'edges',
      edges,
      referenceCounts: histogramCountsSorted(refSorted, edges),
      currentCounts: histogramCountsSorted(curSorted, edges),
    };
  }
  const values: number[] = [];
  const refCounts: number[] = [];
  const curCounts: number[] = [];
  let i = 0;
  let j = 0;
  while (i < refSorted.length || j < curSorted.length) {
    const v = j >= curSorted.length || (i < refSorted.length && refSorted[i] <= curSorted[j]) ? refSorted[i] : curSorted[j];
    let r = 0;
    let c = 0;
    while (i < refSorted.length && refSorted[i] === v) {
      i++;
      r++;
    }
    while (j < curSorted.length && curSorted[j] === v) {
      j++;
      c++;
    }
    values.push(v);
    refCounts.push(r);
    curCounts.push(c);
  }
  return {
    kind: 'values',
    values: Float64Array.from(values),
    referenceCounts: Float64Array.from(refCounts),
    currentCounts: Float64Array.from(curCounts),
  };
}

/** One bin per category seen in either sample, in order of first appearance (reference first). */
export function categoricalSharedBins(reference: readonly string[], current: readonly string[]): SharedBins {
  const index = new Map<string, number>();
  const ref: number[] = [];
  const cur: number[] = [];
  const slot = (key: string) => {
    let k = index.get(key);
    if (k === undefined) {
      k = index.size;
      index.set(key, k);
      ref.push(0);
      cur.push(0);
    }
    return k;
  };
  for (const v of reference) ref[slot(v)]++;
  for (const v of current) cur[slot(v)]++;
  return {
    kind: 'categories',
    categories: [...index.keys()],
    referenceCounts: Float64Array.from(ref),
    currentCounts: Float64Array.from(cur),
  };
}

/** counts / n for each sample. */
export function shares(bins: SharedBins): { reference: Float64Array; current: Float64Array } {
  return { reference: normalize(bins.referenceCounts), current: normalize(bins.currentCounts) };
}

function normalize(counts: Float64Array): Float64Array {
  let n = 0;
  for (let i = 0; i < counts.length; i++) n += counts[i];
  const out = new Float64Array(counts.length);
  for (let i = 0; i < counts.length; i++) out[i] = counts[i] / n;
  return out;
}
