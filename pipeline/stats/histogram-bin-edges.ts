/**
 * numpy.histogram_bin_edges(values, bins='sturges') over the union of two
 * samples, bit for bit (numpy 2.4): range [min, max] (widened by ±0.5 when
 * min == max), width = (max - min) / (log2(N) + 1), ⌈(max - min)/width⌉ equal
 * bins, edges from numpy.linspace (i·step + first, last edge = max exactly).
 * Integer-dtype inputs (where numpy forces width >= 1) are not modelled: all
 * inputs are float64.
 *
 * Ported from NumPy: Copyright (c) 2005-2017, NumPy Developers; BSD-3-Clause,
 * full text in LICENSES.md.
 */
export function sturgesBinEdges(a: Float64Array, b: Float64Array): Float64Array {
  const size = a.length + b.length;
  if (size === 0) throw new RangeError('sturgesBinEdges: both samples are empty');
  let lo = Infinity;
  let hi = -Infinity;
  for (const x of [a, b]) {
    for (let i = 0; i < x.length; i++) {
      if (x[i] < lo) lo = x[i];
      if (x[i] > hi) hi = x[i];
    }
  }
  return sturgesFromRange(lo, hi, size, 'sturgesBinEdges');
}

/** sturgesBinEdges for two ascending non-empty samples: the range is read off their ends, O(1). */
export function sturgesBinEdgesSorted(a: Float64Array, b: Float64Array): Float64Array {
  if (a.length === 0 || b.length === 0) return sturgesBinEdges(a, b);
  const lo = b[0] < a[0] ? b[0] : a[0];
  const aHi = a[a.length - 1];
  const bHi = b[b.length - 1];
  return sturgesFromRange(lo, bHi > aHi ? bHi : aHi, a.length + b.length, 'sturgesBinEdgesSorted');
}

function sturgesFromRange(lo: number, hi: number, size: number, where: string): Float64Array {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) {
    throw new RangeError(`${where}: autodetected range of [${lo}, ${hi}] is not finite`);
  }
  const width = (hi - lo) / (Math.log2(size) + 1);
  let first = lo;
  let last = hi;
  if (first === last) {
    first -= 0.5;
    last += 0.5;
  }
  // a range wider than the largest double (-1e308 to 1e308) overflows: Sturges' count is then ceil(log2(n) + 1)
  const bins = !Number.isFinite(width) ? Math.ceil(Math.log2(size) + 1) : width ? Math.ceil((last - first) / width) : 1;
  return linspace(first, last, bins + 1);
}

/** numpy.linspace(start, stop, num, endpoint=True) for float64. */
export function linspace(start: number, stop: number, num: number): Float64Array {
  const out = new Float64Array(num);
  const div = num - 1;
  const delta = stop - start;
  if (div > 0) {
    const step = Number.isFinite(delta) ? delta / div : stop / div - start / div;
    for (let i = 0; i < num; i++) out[i] = step === 0 ? (i / div) * delta + start : i * step + start;
    out[num - 1] = stop;
  } else if (num === 1) {
    out[0] = start;
  }
  return out;
}

/**
 * numpy.histogram(sorted, edges) counts: bin i holds edges[i] <= v < edges[i+1],
 * the last bin also holds v == edges[last]; values outside are not counted.
 */
export function histogramCountsSorted(sorted: Float64Array, edges: Float64Array): Float64Array {
  const k = edges.length - 1;
  const counts = new Float64Array(Math.max(k, 0));
  if (k <= 0) return counts;
  let prev = lowerBound(sorted, edges[0]);
  for (let i = 0; i < k; i++) {
    const next = i === k - 1 ? upperBound(sorted, edges[k]) : lowerBound(sorted, edges[i + 1]);
    counts[i] = next - prev;
    prev = next;
  }
  return counts;
}

/** First index with sorted[i] >= x. */
export function lowerBound(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index with sorted[i] > x. */
export function upperBound(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
