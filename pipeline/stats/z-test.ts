/**
 * Two-proportion z-test (pooled), Evidently's `z_stat_test` for columns with at
 * most two distinct reference values:
 *
 *   p1 = r_t/N_r, p2 = c_t/N_c, P = (r_t + c_t)/(N_r + N_c),
 *   z = (p1 − p2) / sqrt(P(1 − P)(1/N_r + 1/N_c)),  p = 2(1 − Φ(|z|))
 *
 * for a target category t. Evidently takes t as the first element of a Python
 * set (hash order); we take the first category of the counts (the first value
 * seen in the reference), which tests the same hypothesis when two categories
 * exist. Both samples constant and equal: p = 1, as in Evidently. The tail is
 * computed as erfc(|z|/√2), exact where Evidently's 1 − Φ rounds to 0.
 */
import { normalTwoSidedP } from './incomplete-gamma.ts';

export interface ZTestResult {
  statistic: number;
  pValue: number;
}

export function proportionsZTestFromCounts(reference: ArrayLike<number>, current: ArrayLike<number>, target = 0): ZTestResult {
  if (reference.length !== current.length || reference.length === 0) {
    throw new RangeError('proportionsZTest: count vectors must be non-empty and of equal length');
  }
  let nr = 0;
  let nc = 0;
  let refKinds = 0;
  let curKinds = 0;
  let shared = -1;
  for (let i = 0; i < reference.length; i++) {
    nr += reference[i];
    nc += current[i];
    if (reference[i] > 0) refKinds++;
    if (current[i] > 0) curKinds++;
    if (reference[i] > 0 && current[i] > 0) shared = i;
  }
  if (nr === 0) throw new RangeError('proportionsZTest: reference sample is empty');
  if (nc === 0) throw new RangeError('proportionsZTest: current sample is empty');
  if (refKinds === 1 && curKinds === 1 && shared >= 0) return { statistic: 0, pValue: 1 };
  const p1 = reference[target] / nr;
  const p2 = current[target] / nc;
  const P = (p1 * nr + p2 * nc) / (nr + nc);
  const z = (p1 - p2) / Math.sqrt(P * (1 - P) * (1 / nr + 1 / nc));
  return { statistic: z, pValue: normalTwoSidedP(z) };
}
