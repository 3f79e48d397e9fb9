/**
 * Multiple-testing corrections across features, returning adjusted p-values
 * (reject H0_i when adjusted_i < alpha):
 * - Bonferroni: min(1, m·p_i). Controls the family-wise error rate.
 * - Benjamini–Hochberg step-up: with p_(1) <= … <= p_(m),
 *   adj_(i) = min_{j >= i} min(1, m·p_(j)/j). Controls the false discovery rate
 *   (independent or positively dependent tests); same as
 *   statsmodels multipletests(method='fdr_bh').
 * NaN p-values are passed through and not counted in m.
 */
export type Correction = 'none' | 'bonferroni' | 'bh';

export function bonferroni(pValues: readonly number[]): number[] {
  const m = pValues.filter((p) => !Number.isNaN(p)).length;
  return pValues.map((p) => (Number.isNaN(p) ? p : Math.min(1, p * m)));
}

export function benjaminiHochberg(pValues: readonly number[]): number[] {
  const idx = pValues.map((_, i) => i).filter((i) => !Number.isNaN(pValues[i]));
  const m = idx.length;
  idx.sort((a, b) => pValues[a] - pValues[b]);
  const out = pValues.slice();
  let running = 1;
  for (let r = m - 1; r >= 0; r--) {
    const i = idx[r];
    running = Math.min(running, (pValues[i] * m) / (r + 1));
    out[i] = Math.min(1, running);
  }
  return out;
}

export function adjustPValues(pValues: readonly number[], correction: Correction): number[] {
  if (correction === 'bonferroni') return bonferroni(pValues);
  if (correction === 'bh') return benjaminiHochberg(pValues);
  return pValues.slice();
}

/** Dataset drift: share of drifted features at or above `threshold` (Evidently: 0.5). */
export function datasetDrift(drifted: readonly boolean[], threshold = 0.5) {
  const total = drifted.length;
  const count = drifted.filter(Boolean).length;
  const share = total === 0 ? 0 : count / total;
  return { drifted: count, total, share, threshold, detected: total > 0 && share >= threshold };
}
