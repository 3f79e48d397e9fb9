/**
 * One pass over two ascending samples a (n₁ values) and b (n₂) in merged
 * order, yielding what KS and Wasserstein-1 need:
 *
 *   maxS = sup_x (F_a(x) − F_b(x)),  minS = sup_x (F_b(x) − F_a(x)) clipped to [0, 1]
 *   W1   = Σ_k |F_a(z_k) − F_b(z_k)| · (z_{k+1} − z_k)   over the merged values z
 *
 * with right-continuous ECDFs, so the KS differences are read only at the end
 * of a run of equal values (inside a run shared by both samples the partial
 * counts are no ECDF value). W1 is summed per element: an element equal to the
 * previous one adds |·|·0 = 0, so the sum equals the per-distinct-value sum bit
 * for bit, and every difference is i/n₁ − j/n₂ as in scipy — the results are
 * those of the separate per-statistic loops, not approximations of them.
 *
 * The hot loop runs while neither sample is on its last element, so that the
 * look-ahead needs no bounds test; the rest (one sample exhausted, or the
 * last run) goes through the grouped loop, which may resume mid-run.
 */
export interface MergedStats {
  maxS: number;
  minS: number;
  w1: number;
}

export function mergedStatsSorted(a: Float64Array, b: Float64Array): MergedStats {
  const n1 = a.length;
  const n2 = b.length;
  let i = 0;
  let j = 0;
  let maxD = 0;
  let minD = 0;
  let w = 0;
  let prev = Math.min(a[0], b[0]);
  const lastA = n1 - 1;
  const lastB = n2 - 1;
  while (i < lastA && j < lastB) {
    const x = a[i];
    const y = b[j];
    let v: number;
    let next: number;
    if (x <= y) {
      v = x;
      w += Math.abs(i / n1 - j / n2) * (v - prev);
      i++;
      const ax = a[i];
      next = ax <= y ? ax : y;
    } else {
      v = y;
      w += Math.abs(i / n1 - j / n2) * (v - prev);
      j++;
      const by = b[j];
      next = x <= by ? x : by;
    }
    prev = v;
    if (next !== v) {
      const d = i / n1 - j / n2;
      if (d > maxD) maxD = d;
      else if (d < minD) minD = d;
    }
  }
  while (i < n1 || j < n2) {
    const v = j >= n2 || (i < n1 && a[i] <= b[j]) ? a[i] : b[j];
    w += Math.abs(i / n1 - j / n2) * (v - prev);
    while (i < n1 && a[i] <= v) i++;
    while (j < n2 && b[j] <= v) j++;
    prev = v;
    const d = i / n1 - j / n2;
    if (d > maxD) maxD = d;
    if (d < minD) minD = d;
  }
  return { maxS: maxD, minS: Math.min(Math.max(-minD, 0), 1), w1: w };
}
