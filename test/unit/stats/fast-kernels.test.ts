import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { gaussian, mulberry32 } from '../../../pipeline/random.ts';
import { checkSorted, mergedStatsSorted, RADIX_MIN_LENGTH, sortFloat64, sortedCopy, upperBound } from '../../../pipeline/stats/index.ts';

const rng = mulberry32(20261130);

/** Samples that stress the key transform and the skipped passes. */
const SHAPES: Record<string, (n: number) => Float64Array> = {
  gaussian: (n) => Float64Array.from({ length: n }, () => gaussian(rng, 0, 1)),
  lognormal: (n) => Float64Array.from({ length: n }, () => Math.exp(gaussian(rng, 0, 2))),
  'rounded, many ties': (n) => Float64Array.from({ length: n }, () => Math.round(gaussian(rng, 0, 1) * 20) / 20),
  'signed zeros and integers': (n) => Float64Array.from({ length: n }, () => (rng() < 0.2 ? -0 : rng() < 0.25 ? 0 : Math.round(gaussian(rng, 0, 3)))),
  'extremes and subnormals': (n) =>
    Float64Array.from({ length: n }, () => {
      const pick = [Number.MAX_VALUE, -Number.MAX_VALUE, Number.MIN_VALUE, -Number.MIN_VALUE, 2.2e-308, -1e300, 1e-300];
      return rng() < 0.3 ? pick[Math.floor(rng() * pick.length)] : gaussian(rng, 0, 1e10);
    }),
  constant: (n) => new Float64Array(n).fill(3.25),
};

const SIZES = [1, 2, RADIX_MIN_LENGTH - 1, RADIX_MIN_LENGTH, RADIX_MIN_LENGTH + 1, 20_000];

function sameBits(actual: Float64Array, expected: Float64Array, label: string) {
  assert.equal(actual.length, expected.length, label);
  for (let i = 0; i < expected.length; i++) {
    if (!Object.is(actual[i], expected[i])) assert.fail(`${label}: index ${i}: ${actual[i]} vs ${expected[i]}`);
  }
}

describe('radix sort of Float64Array', () => {
  for (const [shape, make] of Object.entries(SHAPES)) {
    test(`${shape}: the order of Float64Array.prototype.sort, bit for bit, input untouched`, () => {
      for (const n of SIZES) {
        const values = make(n);
        const before = Float64Array.from(values);
        const expected = Float64Array.from(values).sort();
        sameBits(sortFloat64(values, 't', 'x'), expected, `${shape} n=${n}`);
        sameBits(values, before, `${shape} n=${n} input`);
        sameBits(sortFloat64(values, 't', 'x', values), expected, `${shape} n=${n} in place`);
      }
    });
  }

  test('sortedCopy sorts number[] and Float64Array alike', () => {
    const xs = Array.from({ length: RADIX_MIN_LENGTH + 10 }, () => gaussian(rng, 5, 2));
    sameBits(sortedCopy(xs, 't', 'x'), Float64Array.from(xs).sort(), 'number[]');
  });

  test('non-finite values and empty samples are rejected with the index, at every size', () => {
    for (const n of [10, RADIX_MIN_LENGTH + 10]) {
      for (const bad of [Number.NaN, Infinity, -Infinity]) {
        const values = SHAPES.gaussian(n);
        values[7] = bad;
        assert.throws(() => sortFloat64(values, 'where', 'current'), new RangeError(`where: current sample has a non-finite value (${bad}) at index 7`));
      }
    }
    assert.throws(() => sortFloat64(new Float64Array(0), 'where', 'current'), /current sample is empty/);
    assert.throws(() => sortFloat64(new Float64Array(3), 'where', 'current', new Float64Array(2)), RangeError);
  });
});

describe('checkSorted', () => {
  test('accepts ascending finite samples with ties and signed zeros', () => {
    assert.doesNotThrow(() => checkSorted(Float64Array.of(-1, -0, 0, 0, 2), 't', 'x'));
  });
  test('names a descent, and a non-finite value before a descent', () => {
    assert.throws(() => checkSorted(Float64Array.of(1, 3, 2), 't', 'x'), /x sample is not sorted \(index 2\)/);
    assert.throws(() => checkSorted(Float64Array.of(-Infinity, 3, 2), 't', 'x'), /non-finite value \(-Infinity\) at index 0/);
    assert.throws(() => checkSorted(Float64Array.of(1, Number.NaN, 2), 't', 'x'), /non-finite value \(NaN\) at index 1/);
    assert.throws(() => checkSorted(Float64Array.of(1, 2, Infinity), 't', 'x'), /non-finite value \(Infinity\) at index 2/);
    assert.throws(() => checkSorted(new Float64Array(0), 't', 'x'), /x sample is empty/);
  });
});

/**
 * scipy's definitions, evaluated value by value: ECDFs by searchsorted(side='right')
 * at each merged value; W1 = Σ |F_a − F_b|(z_k) · (z_{k+1} − z_k) in merged order.
 */
function byDefinition(a: Float64Array, b: Float64Array) {
  const all = Float64Array.from([...a, ...b]).sort();
  let maxS = 0;
  let minS = 0;
  let w1 = 0;
  for (let k = 0; k < all.length; k++) {
    const d = upperBound(a, all[k]) / a.length - upperBound(b, all[k]) / b.length;
    maxS = Math.max(maxS, d);
    minS = Math.min(minS, d);
    if (k + 1 < all.length) w1 += Math.abs(d) * (all[k + 1] - all[k]);
  }
  return { maxS, minS: Math.min(Math.max(-minS, 0), 1), w1 };
}

describe('merged pass: KS extremes and Wasserstein-1 in one walk', () => {
  test('equals the value-by-value definition on random samples with and without ties', () => {
    for (let t = 0; t < 400; t++) {
      const grain = [0, 1, 0.5, 0.01][t % 4];
      const draw = (n: number, shift: number) =>
        Float64Array.from({ length: n }, () => {
          const z = gaussian(rng, shift, 1);
          return grain ? Math.round(z / grain) * grain : z;
        }).sort();
      const a = draw(1 + Math.floor(rng() * (t < 200 ? 8 : 600)), 0);
      const b = draw(1 + Math.floor(rng() * (t < 200 ? 8 : 600)), rng() < 0.5 ? 0 : rng());
      const got = mergedStatsSorted(a, b);
      const want = byDefinition(a, b);
      const label = `case ${t} (${a.length} vs ${b.length}, grain ${grain})`;
      assert.equal(got.maxS, want.maxS, `${label} maxS`);
      assert.equal(got.minS, want.minS, `${label} minS`);
      assert.ok(Math.abs(got.w1 - want.w1) <= 1e-12 * Math.max(want.w1, 1e-300) || got.w1 === want.w1, `${label} w1 ${got.w1} vs ${want.w1}`);
    }
  });

  test('a run of equal values shared by both samples is read only at its end', () => {
    // F_a − F_b after the shared 1s is 3/4 − 1/2; reading after the a-copies alone would give 3/4.
    const got = mergedStatsSorted(Float64Array.of(0, 1, 1, 2), Float64Array.of(1, 2));
    assert.equal(got.maxS, 0.25);
    assert.equal(got.minS, 0);
  });
});
