/**
 * The trainer's split: stratified by diagnosis, disjoint, covering every row,
 * and a pure function of its seed.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseWdbcCsv, CLASSES } from '../../../pipeline/model/dataset.ts';
import { stratifiedSplit } from '../../../pipeline/model/stratified-split.ts';
import { POOL_SHARES, splitPools, DEFAULT_SEED, type PoolName } from '../../../pipeline/model/training-run.ts';

const dataset = parseWdbcCsv(readFileSync(new URL('../../../services/trainer/data/wdbc.csv', import.meta.url), 'utf8'));
const POOLS = Object.keys(POOL_SHARES) as PoolName[];
const ids = (rows: { id: string }[]) => rows.map((r) => r.id);

describe('stratified split of the WDBC rows', () => {
  const pools = splitPools(dataset, DEFAULT_SEED);

  test('the data set parses to 569 labelled rows of 30 features', () => {
    assert.equal(dataset.rows.length, 569);
    assert.equal(dataset.features.length, 30);
    assert.ok(dataset.rows.every((r) => r.values.length === 30 && r.values.every(Number.isFinite)));
  });

  test('pools are disjoint and together cover every row exactly once', () => {
    const all = POOLS.flatMap((p) => ids(pools[p]));
    assert.equal(all.length, dataset.rows.length);
    assert.equal(new Set(all).size, all.length);
    assert.deepEqual(new Set(all), new Set(ids(dataset.rows)));
  });

  test('each pool has its share of each class, to within one row', () => {
    for (const label of CLASSES) {
      const n = dataset.rows.filter((r) => r.label === label).length;
      for (const pool of POOLS) {
        const k = pools[pool].filter((r) => r.label === label).length;
        assert.ok(Math.abs(k - n * POOL_SHARES[pool]) <= 1, `${pool}: ${k} ${label} rows of ${n}, share ${POOL_SHARES[pool]}`);
      }
    }
  });

  test('the same seed gives the same pools; another seed gives different ones', () => {
    const again = splitPools(dataset, DEFAULT_SEED);
    for (const pool of POOLS) assert.deepEqual(ids(again[pool]), ids(pools[pool]));
    const other = splitPools(dataset, DEFAULT_SEED + 1);
    assert.notDeepEqual(ids(other.training), ids(pools.training));
  });

  test('every row keeps its values and label', () => {
    const byId = new Map(dataset.rows.map((r) => [r.id, r]));
    for (const pool of POOLS) for (const r of pools[pool]) assert.equal(r, byId.get(r.id));
  });
});

describe('stratifiedSplit', () => {
  const rows = Array.from({ length: 103 }, (_, i) => ({ id: String(i), group: i % 3 === 0 ? 'a' : i % 3 === 1 ? 'b' : 'c' }));

  test('works for any strata and shares, keeping input order within a pool', () => {
    const pools = stratifiedSplit(rows, { x: 0.5, y: 0.25, z: 0.25 }, (r) => r.group, 7);
    for (const name of ['x', 'y', 'z'] as const) {
      const positions = pools[name].map((r) => Number(r.id));
      assert.deepEqual(positions, [...positions].sort((a, b) => a - b));
    }
    assert.equal(pools.x.length + pools.y.length + pools.z.length, rows.length);
  });

  test('rejects shares that do not sum to 1', () => {
    assert.throws(() => stratifiedSplit(rows, { x: 0.5, y: 0.4 }, (r) => r.group, 1), /sum to 1/);
    assert.throws(() => stratifiedSplit(rows, { x: 1.5, y: -0.5 }, (r) => r.group, 1), /non-negative/);
  });
});
