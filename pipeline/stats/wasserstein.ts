/**
 * First Wasserstein distance between two empirical distributions
 * (scipy.stats.wasserstein_distance):
 *
 *   W1 = ∫ |F_ref(x) − F_cur(x)| dx = Σ_k |F_ref(z_k) − F_cur(z_k)| · (z_{k+1} − z_k)
 *
 * over the merged sorted values z, and Evidently's normalized form
 * W1 / max(σ_ref, 0.001) with σ_ref the population standard deviation
 * (numpy.std, ddof = 0; simple-statistics standardDeviation).
 */
import { standardDeviation } from 'simple-statistics';
import { asNumbers, checkSorted } from './sample.ts';
import { mergedStatsSorted } from './sorted-merge.ts';

export function wasserstein1Sorted(a: Float64Array, b: Float64Array): number {
  checkSorted(a, 'wasserstein1Sorted', 'reference');
  checkSorted(b, 'wasserstein1Sorted', 'current');
  return wasserstein1SortedUnchecked(a, b);
}

/** The merged pass of sorted-merge.ts (which also yields the KS extremes). */
export function wasserstein1SortedUnchecked(a: Float64Array, b: Float64Array): number {
  return mergedStatsSorted(a, b).w1;
}

export function populationStd(values: Float64Array): number {
  return standardDeviation(asNumbers(values));
}

/** W1(ref, cur) / max(σ_ref, 0.001); `referenceStd` may be precomputed. */
export function wassersteinNormSorted(refSorted: Float64Array, curSorted: Float64Array, referenceStd?: number): number {
  const w = wasserstein1Sorted(refSorted, curSorted);
  return w / Math.max(referenceStd ?? populationStd(refSorted), 0.001);
}
