/**
 * Input handling shared by the statistics: a sample is a Float64Array or a
 * number[] of finite values. Empty samples and NaN/±Infinity are rejected with
 * a RangeError naming the function and the argument, because every statistic
 * here is undefined (or silently wrong) on them; callers drop missing values.
 */
export type Sample = Float64Array | readonly number[];

export function toFloat64(values: Sample, where: string, label: string): Float64Array {
  const out = values instanceof Float64Array ? values : Float64Array.from(values);
  if (out.length === 0) throw new RangeError(`${where}: ${label} sample is empty`);
  for (let i = 0; i < out.length; i++) {
    if (!Number.isFinite(out[i])) {
      throw new RangeError(`${where}: ${label} sample has a non-finite value (${out[i]}) at index ${i}`);
    }
  }
  return out;
}

/** A sorted copy (the input is never mutated). */
export function sortedCopy(values: Sample, where: string, label: string): Float64Array {
  const out = Float64Array.from(toFloat64(values, where, label));
  out.sort();
  return out;
}

/** Checks that an already-sorted sample is non-empty, finite and ascending. */
export function checkSorted(values: Float64Array, where: string, label: string): Float64Array {
  toFloat64(values, where, label);
  for (let i = 1; i < values.length; i++) {
    if (values[i] < values[i - 1]) throw new RangeError(`${where}: ${label} sample is not sorted (index ${i})`);
  }
  return values;
}

/**
 * simple-statistics declares number[] but only reads `length` and indexes, so a
 * typed array is safe to pass.
 */
export function asNumbers(values: Float64Array): number[] {
  return values as unknown as number[];
}

/** numpy's np.round: round half to even. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

export function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}
