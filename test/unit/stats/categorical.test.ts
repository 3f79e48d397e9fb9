import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mulberry32 } from '../../../pipeline/random.ts';
import {
  chiSquareGoodnessOfFit,
  chiSquareGoodnessOfFitFromCounts,
  chiSquareHomogeneity,
  chiSquareHomogeneityFromCounts,
  chiSquareSf,
  normalTwoSidedP,
  proportionsZTestFromCounts,
  regularizedGammaP,
  regularizedGammaQ,
} from '../../../pipeline/stats/index.ts';

const rng = mulberry32(11);
const draw = (n: number, cats: string[], weights: number[]) => {
  const total = weights.reduce((s, w) => s + w, 0);
  return Array.from({ length: n }, () => {
    let u = rng() * total;
    for (let i = 0; i < cats.length; i++) if ((u -= weights[i]) < 0) return cats[i];
    return cats[cats.length - 1];
  });
};

describe('incomplete gamma and chi-square tail', () => {
  test('P + Q = 1 across both branches', () => {
    for (const a of [0.5, 1, 2.5, 10, 75]) {
      for (const x of [0.01, 0.7, 3, 10, 80, 200]) {
        assert.ok(Math.abs(regularizedGammaP(a, x) + regularizedGammaQ(a, x) - 1) < 1e-13, `a=${a} x=${x}`);
      }
    }
  });

  test('closed forms: df = 2 is exp(-x/2); df = 4 is (1 + x/2)exp(-x/2); z tails', () => {
    for (const x of [0.1, 1, 7.3, 40, 900]) {
      const e = Math.exp(-x / 2);
      assert.ok(Math.abs(chiSquareSf(x, 2) - e) <= 1e-12 * e);
      assert.ok(Math.abs(chiSquareSf(x, 4) - (1 + x / 2) * e) <= 1e-12 * (1 + x / 2) * e);
    }
    assert.equal(normalTwoSidedP(0), 1);
    assert.ok(Math.abs(normalTwoSidedP(1.959963984540054) - 0.05) < 1e-12);
    assert.ok(normalTwoSidedP(30) > 0 && normalTwoSidedP(30) < 1e-190);
  });
});

describe('chi-square tests', () => {
  test('homogeneity is symmetric in reference and current', () => {
    const r = [30, 12, 5, 53];
    const c = [10, 20, 4, 11];
    const a = chiSquareHomogeneityFromCounts(r, c);
    const b = chiSquareHomogeneityFromCounts(c, r);
    assert.ok(Math.abs(a.statistic - b.statistic) < 1e-12 * a.statistic);
    assert.ok(Math.abs(a.pValue - b.pValue) < 1e-12 * a.pValue);
  });

  test('with two categories, homogeneity X² equals the pooled z² and gives the same p', () => {
    const r = [130, 70];
    const c = [40, 45];
    const h = chiSquareHomogeneityFromCounts(r, c);
    const z = proportionsZTestFromCounts(r, c);
    assert.ok(Math.abs(h.statistic - z.statistic ** 2) < 1e-12 * h.statistic);
    assert.ok(Math.abs(h.pValue - z.pValue) < 1e-12 * h.pValue);
  });

  test('goodness of fit treats the reference as exact: never less significant than homogeneity', () => {
    for (let k = 0; k < 20; k++) {
      const ref = draw(300, ['a', 'b', 'c', 'd'], [4, 3, 2, 1]);
      const cur = draw(250, ['a', 'b', 'c', 'd'], [4, 3, 2, 1]);
      const g = chiSquareGoodnessOfFit(ref, cur);
      const h = chiSquareHomogeneity(ref, cur);
      assert.ok(g.statistic >= h.statistic - 1e-9);
    }
  });

  test('a category absent from the reference makes the goodness of fit infinite', () => {
    const g = chiSquareGoodnessOfFitFromCounts([10, 0], [5, 5]);
    assert.equal(g.statistic, Infinity);
    assert.equal(g.pValue, 0);
    assert.ok(chiSquareHomogeneityFromCounts([10, 0], [5, 5]).pValue < 0.01);
  });

  test('single category: statistic 0, p 1; empty samples rejected', () => {
    assert.deepEqual(chiSquareHomogeneity(['a', 'a'], ['a']), { statistic: 0, pValue: 1, df: 0 });
    assert.deepEqual(chiSquareGoodnessOfFit(['a'], ['a', 'a']), { statistic: 0, pValue: 1, df: 0 });
    assert.throws(() => chiSquareHomogeneity([], ['a']), /reference sample is empty/);
    assert.throws(() => chiSquareGoodnessOfFit(['a'], []), /current sample is empty/);
  });

  test('under the null, homogeneity p-values are roughly uniform', () => {
    let below = 0;
    const runs = 400;
    for (let k = 0; k < runs; k++) {
      const ref = draw(200, ['x', 'y', 'z'], [5, 3, 2]);
      const cur = draw(150, ['x', 'y', 'z'], [5, 3, 2]);
      if (chiSquareHomogeneity(ref, cur).pValue < 0.1) below++;
    }
    assert.ok(below > runs * 0.05 && below < runs * 0.16, `${below} of ${runs} below 0.1`);
  });
});

describe('z-test', () => {
  test('both samples constant and equal: p = 1', () => {
    assert.equal(proportionsZTestFromCounts([10], [4]).pValue, 1);
  });

  test('the statistic changes sign, not magnitude, with the target category', () => {
    const a = proportionsZTestFromCounts([60, 40], [30, 50], 0);
    const b = proportionsZTestFromCounts([60, 40], [30, 50], 1);
    assert.ok(Math.abs(a.statistic + b.statistic) < 1e-12);
    assert.ok(Math.abs(a.pValue - b.pValue) < 1e-15);
  });
});
