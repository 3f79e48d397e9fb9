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

/** sup of F_a - F_b and of F_b - F_a over all observed values. */
export function ksExtremes(a: Float64Array, b: Float64Array): { maxS: number; minS: number } {
  const n1 = a.length;
  const n2 = b.length;
  let i = 0;
  let j = 0;
  let maxDiff = -Infinity;
  let minDiff = Infinity;
  while (i < n1 || j < n2) {
    const v = j >= n2 || (i < n1 && a[i] <= b[j]) ? a[i] : b[j];
    while (i < n1 && a[i] <= v) i++;
    while (j < n2 && b[j] <= v) j++;
    const diff = i / n1 - j / n2;
    if (diff > maxDiff) maxDiff = diff;
    if (diff < minDiff) minDiff = diff;
  }
  return { maxS: maxDiff, minS: Math.min(Math.max(-minDiff, 0), 1) };
}

export function ks2SortedUnchecked(a: Float64Array, b: Float64Array): KsResult {
  const n1 = a.length;
  const n2 = b.length;
  const { maxS, minS } = ksExtremes(a, b);
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
