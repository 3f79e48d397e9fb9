/**
 * Is a share of bad values (missing, invalid, outside the reference range)
 * higher than the rate p0 expected of healthy traffic? One-sided:
 *
 *   p = P(X ≥ k),  X ~ Poisson(n·p0)  =  P(k, n·p0)  (regularized lower gamma)
 *
 * The Poisson tail is slightly above the binomial one for small p0 (its
 * variance n·p0 exceeds n·p0(1 − p0)), so the test errs towards silence.
 */
import { regularizedGammaP } from './incomplete-gamma.ts';

export function excessRatePValue(k: number, n: number, p0: number): number {
  if (k <= 0 || n <= 0) return 1;
  const lambda = n * Math.min(Math.max(p0, 0), 1);
  if (lambda === 0) return 0;
  return regularizedGammaP(k, lambda);
}

/**
 * The healthy rate of a count seen `k` times in `n` reference rows, with one
 * pseudo-count either way (Laplace): a reference with no missing value does
 * not make a single missing value impossible.
 */
export function referenceRate(k: number, n: number): number {
  return (k + 1) / (n + 2);
}

/**
 * The chance that a new value falls outside [min, max] of n reference values
 * of a continuous distribution: 2 / (n + 1), exact for any such distribution.
 */
export function outsideRangeRate(n: number): number {
  return 2 / (n + 1);
}
