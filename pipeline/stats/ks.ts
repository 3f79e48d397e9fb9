/**
 * Two-sample Kolmogorov–Smirnov test, two-sided, identical to
 * scipy.stats.ks_2samp(a, b) with method='auto' (scipy 1.17):
 *
 *   D = sup_x |F_a(x) - F_b(x)|   (right-continuous ECDFs; ties handled exactly)
 *
 * p-value: exact when max(n_a, n_b) <= 10,000 (D is snapped to h/lcm(n_a, n_b)
 * as scipy does; equal sizes use the closed form, unequal sizes the inside
 * method), otherwise kstwo.sf(D, round(n_a·n_b/(n_a+n_b))). If the exact sum
 * is not a probability, scipy falls back to the asymptotic form; so do we.
 * Identical samples give D = 0 and p = 1. Samples of one value are accepted
 * (the statistic is defined); empty samples throw a RangeError.
 */
import { probOutsideInside, probOutsideSquare } from './ks-exact.ts';
import { kolmogorovNSf } from './kolmogorov-n.ts';
import { checkSorted, gcd, roundHalfEven, sortedCopy, type Sample } from './sample.ts';
import { mergedStatsSorted } from './sorted-merge.ts';

export interface KsResult {
  statistic: number;
  pValue: number;
  method: 'exact' | 'asymp';
}

export const KS_MAX_EXACT_N = 10_000;

/** KS on two samples; sorts copies. */
export function ks2(reference: Sample, current: Sample): KsResult {
  return ks2SortedUnchecked(sortedCopy(reference, 'ks2', 'reference'), sortedCopy(current, 'ks2', 'current'));
}

/** KS on two ascending Float64Arrays (validated in O(n)). */
export function ks2Sorted(referenceSorted: Float64Array, currentSorted: Float64Array): KsResult {
  checkSorted(referenceSorted, 'ks2Sorted', 'reference');
  checkSorted(currentSorted, 'ks2Sorted', 'current');
  return ks2SortedUnchecked(referenceSorted, currentSorted);
}

/** sup of F_a - F_b and of F_b - F_a over all observed values (sorted-merge.ts). */
export function ksExtremes(a: Float64Array, b: Float64Array): { maxS: number; minS: number } {
  const { maxS, minS } = mergedStatsSorted(a, b);
  return { maxS, minS };
}

export function ks2SortedUnchecked(a: Float64Array, b: Float64Array): KsResult {
  return ks2FromExtremes(a.length, b.length, mergedStatsSorted(a, b));
}

/** The test from the ECDF extremes of samples of sizes n1 and n2 (e.g. a column's memoized merged pass). */
export function ks2FromExtremes(n1: number, n2: number, { maxS, minS }: { maxS: number; minS: number }): KsResult {
  let d = minS > maxS ? minS : maxS;
  if (Math.max(n1, n2) <= KS_MAX_EXACT_N) {
    const g = gcd(n1, n2);
    const lcm = (n1 / g) * n2;
    const h = roundHalfEven(d * lcm);
    d = h / lcm;
    if (h === 0) return { statistic: d, pValue: 1, method: 'exact' };
    const prob = n1 === n2 ? probOutsideSquare(n1, h) : probOutsideInside(n1, n2, g, h);
    if (prob >= 0 && prob <= 1) return { statistic: d, pValue: prob, method: 'exact' };
  }
  const m = Math.max(n1, n2);
  const n = Math.min(n1, n2);
  const en = (m * n) / (m + n);
  const p = kolmogorovNSf(roundHalfEven(en), d);
  return { statistic: d, pValue: Math.min(Math.max(p, 0), 1), method: 'asymp' };
}
