/**
 * Input handling shared by the statistics: a sample is a Float64Array or a
 * number[] of finite values. Empty samples and NaN/±Infinity are rejected with
 * a RangeError naming the function and the argument, because every statistic
 * here is undefined (or silently wrong) on them; callers drop missing values.
 */
import { sortFloat64 } from './radix-sort.ts';

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

/** A sorted copy (the input is never mutated); radix sort, see radix-sort.ts. */
export function sortedCopy(values: Sample, where: string, label: string): Float64Array {
  if (values instanceof Float64Array) return sortFloat64(values, where, label);
  const copy = Float64Array.from(values);
  return sortFloat64(copy, where, label, copy);
}

/**
 * Checks that an already-sorted sample is non-empty, finite and ascending, in
 * one pass: `!(x >= previous)` is true for a descent and for NaN, and an
 * ascending run is finite when its ends are.
 */
export function checkSorted(values: Float64Array, where: string, label: string): Float64Array {
  const n = values.length;
  if (n === 0) throw new RangeError(`${where}: ${label} sample is empty`);
  let previous = values[0];
  for (let i = 1; i < n; i++) {
    const x = values[i];
    if (!(x >= previous)) {
      toFloat64(values, where, label);
      throw new RangeError(`${where}: ${label} sample is not sorted (index ${i})`);
    }
    previous = x;
  }
  if (!Number.isFinite(values[0]) || !Number.isFinite(previous)) toFloat64(values, where, label);
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
