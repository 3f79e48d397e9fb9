/**
 * The traffic generator's sampling and measurement noise: reproducible from
 * the seed, different for another seed, and of the requested size.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseWdbcCsv } from '../../../pipeline/model/dataset.ts';
import { DEFAULT_SEED, splitPools } from '../../../pipeline/model/training-run.ts';
import { createScenario, DEFAULT_SCENARIO_SETTINGS } from '../../../pipeline/simulator/scenarios.ts';
import { createTrafficGenerator } from '../../../pipeline/simulator/traffic-generator.ts';

const dataset = parseWdbcCsv(readFileSync(new URL('../../../services/trainer/data/wdbc.csv', import.meta.url), 'utf8'));
const rows = splitPools(dataset, DEFAULT_SEED).traffic;
const byId = new Map(rows.map((r) => [r.id, r]));
const healthy = createScenario('healthy', { ...DEFAULT_SCENARIO_SETTINGS, features: [], stds: [] });

const take = (seed: number, noise: number, n = 500) => {
  const g = createTrafficGenerator({ rows, noise, scenario: healthy, seed });
  return Array.from({ length: n }, () => g.next());
};

describe('traffic generator', () => {
  test('the same seed reproduces rows, noise and labels; another seed does not', () => {
    assert.deepEqual(take(11, 0.01), take(11, 0.01));
    assert.notDeepEqual(take(12, 0.01).map((s) => s.values), take(11, 0.01).map((s) => s.values));
  });

  test('samples come from the pool with their labels; noise 0 replays rows exactly', () => {
    for (const s of take(5, 0)) {
      const row = byId.get(s.sourceId)!;
      assert.deepEqual(s.values, row.values);
      assert.equal(s.label, row.label);
    }
  });

  test('the noise is multiplicative with the requested standard deviation', () => {
    const noise = 0.01;
    const ratios = take(3, noise, 2000).flatMap((s) => s.values.map((v, j) => v! / byId.get(s.sourceId)!.values[j] - 1)).filter(Number.isFinite);
    const mean = ratios.reduce((a, b) => a + b, 0) / ratios.length;
    const sd = Math.sqrt(ratios.reduce((a, b) => a + (b - mean) ** 2, 0) / ratios.length);
    assert.ok(Math.abs(mean) < noise / 10, `mean relative error ${mean}`);
    assert.ok(Math.abs(sd - noise) < noise / 10, `relative sd ${sd}`);
  });

  test('every pool row is eventually drawn, roughly uniformly', () => {
    const counts = new Map<string, number>();
    for (const s of take(9, 0, rows.length * 50)) counts.set(s.sourceId, (counts.get(s.sourceId) ?? 0) + 1);
    assert.equal(counts.size, rows.length);
    for (const c of counts.values()) assert.ok(c > 20 && c < 90, `a row drawn ${c} times, expected about 50`);
  });

  test('events are numbered from 0', () => {
    const g = createTrafficGenerator({ rows, noise: 0.01, scenario: healthy, seed: 1 });
    assert.equal(g.index, 0);
    assert.equal(g.next().index, 0);
    assert.equal(g.next().index, 1);
    assert.equal(g.index, 2);
  });

  test('rejects an empty pool and negative noise', () => {
    assert.throws(() => createTrafficGenerator({ rows: [], noise: 0, scenario: healthy, seed: 1 }), /empty/);
    assert.throws(() => createTrafficGenerator({ rows, noise: -1, scenario: healthy, seed: 1 }), /noise/);
  });
});
