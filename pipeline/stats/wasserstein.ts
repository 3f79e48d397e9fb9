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

export function wasserstein1Sorted(a: Float64Array, b: Float64Array): number {
  checkSorted(a, 'wasserstein1Sorted', 'reference');
  checkSorted(b, 'wasserstein1Sorted', 'current');
  return wasserstein1SortedUnchecked(a, b);
}

export function wasserstein1SortedUnchecked(a: Float64Array, b: Float64Array): number {
  const na = a.length;
  const nb = b.length;
  let i = 0;
  let j = 0;
  let total = 0;
  let prev = Math.min(a[0], b[0]);
  while (i < na || j < nb) {
    const v = j >= nb || (i < na && a[i] <= b[j]) ? a[i] : b[j];
    total += Math.abs(i / na - j / nb) * (v - prev);
    while (i < na && a[i] <= v) i++;
    while (j < nb && b[j] <= v) j++;
    prev = v;
  }
  return total;
}

export function populationStd(values: Float64Array): number {
  return standardDeviation(asNumbers(values));
}

/** W1(ref, cur) / max(σ_ref, 0.001); `referenceStd` may be precomputed. */
export function wassersteinNormSorted(refSorted: Float64Array, curSorted: Float64Array, referenceStd?: number): number {
  const w = wasserstein1Sorted(refSorted, curSorted);
  return w / Math.max(referenceStd ?? populationStd(refSorted), 0.001);
}
