/** The seeded generators of pipeline/random.ts: reproducible, uniform, normal. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { deriveSeed, gaussian, mulberry32, shuffled } from '../../pipeline/random.ts';

const draw = (seed: number, n: number) => {
  const rng = mulberry32(seed);
  return Array.from({ length: n }, () => rng());
};

describe('seeded random numbers', () => {
  test('mulberry32 is reproducible, seed-dependent and in [0, 1)', () => {
    assert.deepEqual(draw(1, 100), draw(1, 100));
    assert.notDeepEqual(draw(1, 100), draw(2, 100));
    assert.ok(draw(3, 10_000).every((u) => u >= 0 && u < 1));
  });

  test('mulberry32 is roughly uniform: ten equal bins within 5 standard errors', () => {
    const n = 50_000;
    const bins = new Array(10).fill(0);
    for (const u of draw(4, n)) bins[Math.floor(u * 10)]++;
    const sd = Math.sqrt(n * 0.1 * 0.9);
    for (const b of bins) assert.ok(Math.abs(b - n / 10) < 5 * sd, `bin count ${b}`);
  });

  test('gaussian has the requested mean and standard deviation', () => {
    const rng = mulberry32(5);
    const n = 50_000;
    const xs = Array.from({ length: n }, () => gaussian(rng, 3, 2));
    const mean = xs.reduce((a, b) => a + b, 0) / n;
    const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / n);
    assert.ok(Math.abs(mean - 3) < 5 * (2 / Math.sqrt(n)), `mean ${mean}`);
    assert.ok(Math.abs(sd - 2) < 0.05, `sd ${sd}`);
  });

  test('shuffled is a permutation and leaves its input alone', () => {
    const items = Array.from({ length: 50 }, (_, i) => i);
    const out = shuffled(mulberry32(6), items);
    assert.deepEqual([...out].sort((a, b) => a - b), items);
    assert.notDeepEqual(out, items);
    assert.deepEqual(items, Array.from({ length: 50 }, (_, i) => i));
  });

  test('derived seeds differ per stream', () => {
    const seeds = new Set([0, 1, 2, 3].map((s) => deriveSeed(42, s)));
    assert.equal(seeds.size, 4);
    assert.notDeepEqual(draw(deriveSeed(42, 0), 5), draw(deriveSeed(42, 1), 5));
  });
});
