import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { gaussian, mulberry32 } from '../../../pipeline/random.ts';
import {
  durbinMatrixCdf,
  kolmogorovNSf,
  ks2,
  ks2Sorted,
  pomeranzCdf,
  probOutsideInside,
  probOutsideSquare,
  smirnovSf,
} from '../../../pipeline/stats/index.ts';

const rng = mulberry32(20261129);
const normal = (n: number, mean = 0, sd = 1) => Float64Array.from({ length: n }, () => gaussian(rng, mean, sd));

/** P(D >= h/lcm) by enumerating every interleaving of m reference and n current ranks. */
function bruteForceTail(m: number, n: number, h: number): number {
  const lcm = (m * n) / gcdOf(m, n);
  let hits = 0;
  let total = 0;
  const walk = (x: number, y: number, reached: boolean) => {
    if (x === m && y === n) {
      total++;
      if (reached) hits++;
      return;
    }
    if (x < m) {
      const nx = x + 1;
      walk(nx, y, reached || Math.abs(nx * (lcm / m) - y * (lcm / n)) >= h);
    }
    if (y < n) {
      const ny = y + 1;
      walk(x, ny, reached || Math.abs(x * (lcm / m) - ny * (lcm / n)) >= h);
    }
  };
  walk(0, 0, false);
  return hits / total;
}

function gcdOf(a: number, b: number): number {
  return b === 0 ? a : gcdOf(b, a % b);
}

describe('exact two-sample KS distribution', () => {
  test('equal sizes: closed form equals path enumeration', () => {
    for (const n of [1, 2, 5, 8]) {
      for (let h = 1; h <= n; h++) {
        const expected = bruteForceTail(n, n, h);
        assert.ok(Math.abs(probOutsideSquare(n, h) - expected) < 1e-12, `n=${n} h=${h}`);
      }
    }
  });

  test('unequal sizes: inside method equals path enumeration', () => {
    for (const [m, n] of [
      [3, 5],
      [4, 6],
      [7, 2],
      [6, 9],
      [8, 5],
    ]) {
      const g = gcdOf(m, n);
      const lcm = (m * n) / g;
      for (let h = 1; h <= lcm; h += Math.max(1, Math.floor(lcm / 12))) {
        const expected = bruteForceTail(m, n, h);
        assert.ok(Math.abs(probOutsideInside(m, n, g, h) - expected) < 1e-12, `m=${m} n=${n} h=${h}: ${probOutsideInside(m, n, g, h)} vs ${expected}`);
      }
    }
  });
});

describe('one-sample KS distributions', () => {
  test('Durbin matrix and Pomeranz recursion agree where both are exact', () => {
    for (const n of [3, 10, 41, 100, 140]) {
      for (const x of [1.5 / n, 2.2 / n, 0.05, 0.1, 0.2, 0.3, 0.45]) {
        if (n * x <= 1 || x >= 0.5) continue;
        const a = durbinMatrixCdf(n, x);
        const b = pomeranzCdf(n, x);
        assert.ok(Math.abs(a - b) <= 1e-12 + 1e-10 * Math.abs(a), `n=${n} x=${x}: ${a} vs ${b}`);
      }
    }
  });

  test('n = 1 has the closed forms P(D+ >= x) = 1 - x and P(D >= x) = 2(1 - x) for x >= 1/2', () => {
    for (const x of [0.1, 0.5, 0.75, 0.99]) assert.ok(Math.abs(smirnovSf(1, x) - (1 - x)) < 1e-15);
    for (const x of [0.5, 0.6, 0.9]) assert.ok(Math.abs(kolmogorovNSf(1, x) - 2 * (1 - x)) < 1e-15);
  });

  test('smirnov matches the Birnbaum–Tingey sum evaluated directly for small n', () => {
    for (const n of [2, 5, 12, 30]) {
      for (const x of [0.05, 0.2, 0.41, 0.7]) {
        let s = 0;
        let c = 1;
        for (let v = 0; v <= Math.floor(n * (1 - x)); v++) {
          s += c * Math.pow(x + v / n, v - 1) * Math.pow(1 - x - v / n, n - v);
          c = (c * (n - v)) / (v + 1);
        }
        const direct = x * s;
        assert.ok(Math.abs(smirnovSf(n, x) - direct) <= 1e-12 * Math.max(direct, 1e-300) + 1e-300, `n=${n} x=${x}`);
      }
    }
  });

  test('survival functions are monotone non-increasing in x', () => {
    for (const n of [7, 150, 6667, 200000]) {
      let prev = 1;
      for (let i = 1; i < 200; i++) {
        const x = i / 200;
        const p = kolmogorovNSf(n, x);
        assert.ok(p >= 0 && p <= 1 && p <= prev + 1e-12, `n=${n} x=${x}: ${p} > ${prev}`);
        prev = p;
      }
    }
  });
});

describe('ks2', () => {
  test('is symmetric in its two samples (statistic and p-value)', () => {
    for (const [m, n] of [
      [40, 55],
      [300, 300],
      [12000, 900],
    ]) {
      const a = normal(m);
      const b = normal(n, 0.1);
      const ab = ks2(a, b);
      const ba = ks2(b, a);
      assert.equal(ab.statistic, ba.statistic);
      assert.ok(Math.abs(ab.pValue - ba.pValue) <= 1e-12 * ab.pValue + 1e-300);
    }
  });

  test('identical samples give D = 0 and p = 1', () => {
    const a = normal(250);
    const r = ks2(a, Float64Array.from(a).reverse());
    assert.equal(r.statistic, 0);
    assert.equal(r.pValue, 1);
    const big = normal(20000);
    assert.deepEqual([ks2(big, big).statistic, ks2(big, big).pValue], [0, 1]);
  });

  test('is invariant under strictly increasing transforms', () => {
    const a = normal(333);
    const b = normal(517, 0.2);
    const base = ks2(a, b);
    for (const f of [Math.exp, (x: number) => 3 * x - 7, (x: number) => Math.atan(x), (x: number) => x * x * x]) {
      const t = ks2(a.map(f), b.map(f));
      assert.equal(t.statistic, base.statistic);
      assert.equal(t.pValue, base.pValue);
    }
  });

  test('detects a shift and not its absence', () => {
    assert.ok(ks2(normal(800), normal(800, 0.5)).pValue < 1e-6);
    const same = ks2(normal(800), normal(800));
    assert.ok(same.pValue > 1e-4);
  });

  test('uses the exact distribution up to 10,000 values and the asymptotic one above', () => {
    assert.equal(ks2(normal(10000), normal(10000)).method, 'exact');
    assert.equal(ks2(normal(10001), normal(50)).method, 'asymp');
  });

  test('one-element samples are accepted; empty and non-finite samples are rejected', () => {
    const r = ks2([1], [2]);
    assert.equal(r.statistic, 1);
    assert.ok(r.pValue > 0 && r.pValue <= 1);
    assert.throws(() => ks2([], [1, 2]), (e: Error) => e instanceof RangeError && /reference sample is empty/.test(e.message));
    assert.throws(() => ks2([1, 2], []), (e: Error) => e instanceof RangeError && /current sample is empty/.test(e.message));
    assert.throws(() => ks2([1, NaN], [1, 2]), RangeError);
    assert.throws(() => ks2Sorted(Float64Array.of(2, 1), Float64Array.of(1)), /not sorted/);
  });

  test('does not modify its inputs', () => {
    const a = Float64Array.of(3, 1, 2);
    ks2(a, [0.5, 4]);
    assert.deepEqual([...a], [3, 1, 2]);
  });
});
