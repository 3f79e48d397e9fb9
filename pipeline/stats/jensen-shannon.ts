/**
 * Jensen–Shannon distance, natural log (scipy.spatial.distance.jensenshannon):
 *
 *   p = r/Σr, q = c/Σc, m = (p + q)/2,
 *   JS = sqrt( (Σ p·ln(p/m) + Σ q·ln(q/m)) / 2 ),  with 0·ln(0/·) = 0
 *
 * on the PSI bins without zero replacement (Evidently's
 * `jensenshannon_stat_test`). Symmetric, in [0, sqrt(ln 2)].
 */
import { checkSorted } from './sample.ts';
import { numericSharedBins, type SharedBins } from './shared-bins.ts';

export function jensenShannonFromCounts(reference: Float64Array, current: Float64Array): number {
  if (reference.length !== current.length || reference.length === 0) {
    throw new RangeError('jensenShannonFromCounts: vectors must be non-empty and of equal length');
  }
  let sr = 0;
  let sc = 0;
  for (let i = 0; i < reference.length; i++) {
    sr += reference[i];
    sc += current[i];
  }
  if (!(sr > 0 && sc > 0)) throw new RangeError('jensenShannonFromCounts: a distribution has zero mass');
  let left = 0;
  let right = 0;
  for (let i = 0; i < reference.length; i++) {
    const p = reference[i] / sr;
    const q = current[i] / sc;
    const m = (p + q) / 2;
    if (p > 0) left += p * Math.log(p / m);
    if (q > 0) right += q * Math.log(q / m);
  }
  return Math.sqrt(Math.max(left + right, 0) / 2);
}

export function jensenShannonFromBins(bins: SharedBins): number {
  return jensenShannonFromCounts(bins.referenceCounts, bins.currentCounts);
}

export function jensenShannonSorted(refSorted: Float64Array, curSorted: Float64Array): number {
  checkSorted(refSorted, 'jensenShannonSorted', 'reference');
  checkSorted(curSorted, 'jensenShannonSorted', 'current');
  return jensenShannonFromBins(numericSharedBins(refSorted, curSorted));
}
