/**
 * Counts of values in bins [e0,e1), [e1,e2), …, [e(k-1), ek] (the last bin
 * closed, as numpy.histogram), values outside [e0, ek] not counted.
 * `values` need not be sorted.
 */
export function histogramCounts(values: ArrayLike<number>, edges: readonly number[]): number[] {
  const k = edges.length - 1;
  const counts = new Array<number>(Math.max(k, 0)).fill(0);
  if (k < 1) return counts;
  const lo = edges[0];
  const hi = edges[k];
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!(v >= lo && v <= hi)) continue;
    // binary search for the last edge <= v
    let a = 0;
    let b = k;
    while (b - a > 1) {
      const m = (a + b) >> 1;
      if (edges[m] <= v) a = m;
      else b = m;
    }
    counts[v === hi ? k - 1 : a]++;
  }
  return counts;
}
