/**
 * Chi-square tests for categorical drift, on per-category counts r_i
 * (reference) and c_i (current), k categories, N_r = Σ r_i, N_c = Σ c_i.
 *
 * Goodness of fit, Evidently's `chisquare_stat_test` (scipy.stats.chisquare):
 *   E_i = r_i · N_c / N_r,  X² = Σ (c_i − E_i)² / E_i,  df = k − 1.
 *   Treats the reference shares as exact, so it over-alerts on small
 *   references; a category absent from the reference gives X² = ∞, p = 0.
 *
 * Homogeneity of the 2×k table (scipy.stats.chi2_contingency, correction=False):
 *   E_si = N_s · (r_i + c_i) / (N_r + N_c),  X² = Σ_s Σ_i (O_si − E_si)² / E_si,
 *   df = k − 1. Accounts for sampling noise on both sides; for k = 2 it equals
 *   the pooled two-proportion z-test (X² = z²).
 *
 * p = Q((k−1)/2, X²/2). With a single category both return X² = 0, p = 1
 * (scipy returns NaN for the goodness of fit with df = 0).
 */
import { chiSquareSf } from './incomplete-gamma.ts';
import { categoricalSharedBins } from './shared-bins.ts';

export interface ChiSquareResult {
  statistic: number;
  pValue: number;
  df: number;
}

function checkCounts(where: string, r: ArrayLike<number>, c: ArrayLike<number>): [number, number] {
  if (r.length !== c.length || r.length === 0) throw new RangeError(`${where}: count vectors must be non-empty and of equal length`);
  let nr = 0;
  let nc = 0;
  for (let i = 0; i < r.length; i++) {
    if (!(r[i] >= 0 && c[i] >= 0)) throw new RangeError(`${where}: counts must be non-negative numbers`);
    nr += r[i];
    nc += c[i];
  }
  if (nr === 0) throw new RangeError(`${where}: reference sample is empty`);
  if (nc === 0) throw new RangeError(`${where}: current sample is empty`);
  return [nr, nc];
}

export function chiSquareGoodnessOfFitFromCounts(reference: ArrayLike<number>, current: ArrayLike<number>): ChiSquareResult {
  const [nr, nc] = checkCounts('chiSquareGoodnessOfFit', reference, current);
  const k = reference.length;
  if (k === 1) return { statistic: 0, pValue: 1, df: 0 };
  const kNorm = nc / nr;
  let stat = 0;
  for (let i = 0; i < k; i++) {
    const e = reference[i] * kNorm;
    const d = current[i] - e;
    stat += (d * d) / e;
  }
  if (Number.isNaN(stat)) stat = Infinity;
  return { statistic: stat, pValue: chiSquareSf(stat, k - 1), df: k - 1 };
}

export function chiSquareHomogeneityFromCounts(reference: ArrayLike<number>, current: ArrayLike<number>): ChiSquareResult {
  const [nr, nc] = checkCounts('chiSquareHomogeneity', reference, current);
  const k = reference.length;
  let nonEmpty = 0;
  for (let i = 0; i < k; i++) if (reference[i] + current[i] > 0) nonEmpty++;
  if (nonEmpty !== k) throw new RangeError('chiSquareHomogeneity: a category has no observations in either sample');
  if (k === 1) return { statistic: 0, pValue: 1, df: 0 };
  const total = nr + nc;
  let stat = 0;
  for (let i = 0; i < k; i++) {
    const col = reference[i] + current[i];
    const er = (nr * col) / total;
    const ec = (nc * col) / total;
    stat += ((reference[i] - er) * (reference[i] - er)) / er + ((current[i] - ec) * (current[i] - ec)) / ec;
  }
  return { statistic: stat, pValue: chiSquareSf(stat, k - 1), df: k - 1 };
}

export function chiSquareGoodnessOfFit(reference: readonly string[], current: readonly string[]): ChiSquareResult {
  const bins = categoricalSharedBins(reference, current);
  return chiSquareGoodnessOfFitFromCounts(bins.referenceCounts, bins.currentCounts);
}

export function chiSquareHomogeneity(reference: readonly string[], current: readonly string[]): ChiSquareResult {
  const bins = categoricalSharedBins(reference, current);
  return chiSquareHomogeneityFromCounts(bins.referenceCounts, bins.currentCounts);
}
