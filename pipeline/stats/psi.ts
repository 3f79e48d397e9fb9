/**
 * Population Stability Index.
 *
 *   PSI = Σ_i (r_i − c_i) · ln(r_i / c_i)
 *
 * r, c: reference and current shares on shared bins. Evidently's form
 * (`psi_stat_test`): bins from `shared-bins.ts`; a zero share becomes 0.0001,
 * or (smallest non-zero share of that sample) / 1e6 when that smallest share is
 * <= 0.0001. The credit-risk form bins on reference deciles instead (type-7
 * quantiles via simple-statistics; bins (-∞, q10], (q10, q20], …, (q90, ∞),
 * duplicate cut points merged) with the same zero rule. PSI is symmetric in
 * (r, c) for fixed bins; the bins depend on which sample is the reference.
 */
import { quantileSorted } from 'simple-statistics';
import { upperBound } from './histogram-bin-edges.ts';
import { asNumbers, checkSorted } from './sample.ts';
import { numericSharedBins, shares, type SharedBins } from './shared-bins.ts';

/** Evidently's zero-share replacement, applied to one sample's shares. */
export function fillZeroShares(s: Float64Array): Float64Array {
  let minNonZero = Infinity;
  for (let i = 0; i < s.length; i++) if (s[i] !== 0 && s[i] < minNonZero) minNonZero = s[i];
  const fill = minNonZero <= 0.0001 ? minNonZero / 1e6 : 0.0001;
  const out = Float64Array.from(s);
  for (let i = 0; i < out.length; i++) if (out[i] === 0) out[i] = fill;
  return out;
}

/** PSI of two share vectors (zero replacement applied here). */
export function psiFromShares(referenceShares: Float64Array, currentShares: Float64Array): number {
  if (referenceShares.length !== currentShares.length || referenceShares.length === 0) {
    throw new RangeError('psiFromShares: share vectors must be non-empty and of equal length');
  }
  const r = fillZeroShares(referenceShares);
  const c = fillZeroShares(currentShares);
  let psi = 0;
  for (let i = 0; i < r.length; i++) psi += (r[i] - c[i]) * Math.log(r[i] / c[i]);
  return psi;
}

export function psiFromBins(bins: SharedBins): number {
  const s = shares(bins);
  return psiFromShares(s.reference, s.current);
}

/** Evidently PSI for two ascending numeric samples. */
export function psiSorted(refSorted: Float64Array, curSorted: Float64Array): number {
  checkSorted(refSorted, 'psiSorted', 'reference');
  checkSorted(curSorted, 'psiSorted', 'current');
  return psiFromBins(numericSharedBins(refSorted, curSorted));
}

/** Credit-risk PSI on reference deciles (or `bins` quantile bins). */
export function psiQuantileSorted(refSorted: Float64Array, curSorted: Float64Array, bins = 10): number {
  checkSorted(refSorted, 'psiQuantileSorted', 'reference');
  checkSorted(curSorted, 'psiQuantileSorted', 'current');
  if (!Number.isInteger(bins) || bins < 2) throw new RangeError('psiQuantileSorted: bins must be an integer >= 2');
  const cuts: number[] = [];
  for (let k = 1; k < bins; k++) {
    const q = quantileSorted(asNumbers(refSorted), k / bins);
    if (cuts.length === 0 || q > cuts[cuts.length - 1]) cuts.push(q);
  }
  const count = (sorted: Float64Array) => {
    const out = new Float64Array(cuts.length + 1);
    let prev = 0;
    for (let i = 0; i < cuts.length; i++) {
      const next = upperBound(sorted, cuts[i]);
      out[i] = (next - prev) / sorted.length;
      prev = next;
    }
    out[cuts.length] = (sorted.length - prev) / sorted.length;
    return out;
  };
  return psiFromShares(count(refSorted), count(curSorted));
}
