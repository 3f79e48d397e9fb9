/**
 * A stratified random split of labelled rows into named pools: within each
 * class the rows are shuffled with a seeded generator and cut by the pools'
 * shares, so every pool keeps the data set's class balance and the same seed
 * always gives the same pools.
 */
import { mulberry32, shuffled } from '../random.ts';

/**
 * Splits `rows` into pools with the given shares (which must sum to 1), by
 * the stratum `stratumOf(row)`. Per stratum of n rows, pool k gets
 * round(n · cumulative share up to k) − round(n · cumulative share before k)
 * rows, so the pools cover each stratum exactly. Each pool keeps the input
 * order of its rows.
 */
export function stratifiedSplit<T, P extends string>(
  rows: readonly T[],
  shares: Record<P, number>,
  stratumOf: (row: T) => string,
  seed: number,
): Record<P, T[]> {
  const names = Object.keys(shares) as P[];
  const total = names.reduce((sum, name) => sum + shares[name], 0);
  if (names.length === 0 || names.some((name) => !(shares[name] >= 0)) || Math.abs(total - 1) > 1e-9) {
    throw new Error(`pool shares must be non-negative and sum to 1, got ${JSON.stringify(shares)}`);
  }
  const strata = new Map<string, number[]>();
  rows.forEach((row, i) => {
    const key = stratumOf(row);
    strata.set(key, [...(strata.get(key) ?? []), i]);
  });
  const poolOf = new Array<P>(rows.length);
  const rng = mulberry32(seed);
  for (const key of [...strata.keys()].sort()) {
    const order = shuffled(rng, strata.get(key)!);
    let cumulative = 0;
    let start = 0;
    for (const name of names) {
      cumulative += shares[name];
      const end = name === names[names.length - 1] ? order.length : Math.round(order.length * cumulative);
      for (const i of order.slice(start, end)) poolOf[i] = name;
      start = end;
    }
  }
  const pools = Object.fromEntries(names.map((name) => [name, [] as T[]])) as Record<P, T[]>;
  rows.forEach((row, i) => pools[poolOf[i]].push(row));
  return pools;
}
