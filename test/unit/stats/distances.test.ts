import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { gaussian, mulberry32 } from '../../../pipeline/random.ts';
import {
  fillZeroShares,
  histogramCountsSorted,
  jensenShannonFromCounts,
  jensenShannonSorted,
  linspace,
  numericSharedBins,
  psiFromShares,
  psiQuantileSorted,
  psiSorted,
  sturgesBinEdges,
  wasserstein1Sorted,
  wassersteinNormSorted,
} from '../../../pipeline/stats/index.ts';

const rng = mulberry32(7);
const sortedNormal = (n: number, mean = 0, sd = 1) => Float64Array.from({ length: n }, () => gaussian(rng, mean, sd)).sort();

describe('Sturges bin edges and histogram counts', () => {
  test('edges span [min, max] of both samples, ascending, ⌈range / width⌉ bins', () => {
    const a = sortedNormal(500);
    const b = sortedNormal(300, 1);
    const edges = sturgesBinEdges(a, b);
    const lo = Math.min(a[0], b[0]);
    const hi = Math.max(a[a.length - 1], b[b.length - 1]);
    assert.equal(edges[0], lo);
    assert.equal(edges[edges.length - 1], hi);
    for (let i = 1; i < edges.length; i++) assert.ok(edges[i] > edges[i - 1]);
    const width = (hi - lo) / (Math.log2(800) + 1);
    assert.equal(edges.length - 1, Math.ceil((hi - lo) / width));
  });

  test('a constant sample gets one bin of width 1 around it', () => {
    assert.deepEqual([...sturgesBinEdges(Float64Array.of(2, 2), Float64Array.of(2))], [1.5, 2.5]);
  });

  test('counts cover every value once, the last bin closed', () => {
    const a = sortedNormal(1000);
    const edges = sturgesBinEdges(a, a);
    const counts = histogramCountsSorted(a, edges);
    assert.equal(counts.reduce((s, c) => s + c, 0), a.length);
    const onEdges = Float64Array.of(0, 1, 1, 2, 3, 4);
    assert.deepEqual([...histogramCountsSorted(onEdges, linspace(0, 4, 5))], [1, 2, 1, 2]);
  });

  test('linspace ends exactly on stop', () => {
    const y = linspace(0.1, 0.7, 7);
    assert.equal(y[0], 0.1);
    assert.equal(y[6], 0.7);
  });

  test('value bins are used at <= 20 unique reference values, edges above', () => {
    const few = Float64Array.from({ length: 200 }, (_, i) => i % 20).sort();
    assert.equal(numericSharedBins(few, few).kind, 'values');
    const many = Float64Array.from({ length: 200 }, (_, i) => i % 21).sort();
    assert.equal(numericSharedBins(many, many).kind, 'edges');
  });
});

describe('PSI', () => {
  test('is zero for identical samples and positive under a shift', () => {
    const a = sortedNormal(2000);
    assert.equal(psiSorted(a, a), 0);
    assert.ok(psiSorted(a, sortedNormal(2000, 0.5)) > 0.1);
  });

  test('is symmetric in the shares for fixed bins', () => {
    const r = Float64Array.of(0.1, 0.2, 0.3, 0.4);
    const c = Float64Array.of(0.25, 0.25, 0.2, 0.3);
    assert.ok(Math.abs(psiFromShares(r, c) - psiFromShares(c, r)) < 1e-15);
  });

  test('zero shares become 1e-4, or the smallest share / 1e6 when that is <= 1e-4', () => {
    assert.deepEqual([...fillZeroShares(Float64Array.of(0, 0.5, 0.5))], [0.0001, 0.5, 0.5]);
    const tiny = fillZeroShares(Float64Array.of(0, 0.00005, 0.99995));
    assert.equal(tiny[0], 0.00005 / 1e6);
  });

  test('decile PSI: ~0 for a second sample of the same law, large for a shift', () => {
    const a = sortedNormal(5000);
    assert.ok(psiQuantileSorted(a, sortedNormal(5000)) < 0.02);
    assert.ok(psiQuantileSorted(a, sortedNormal(5000, 1)) > 0.5);
    assert.equal(psiQuantileSorted(a, a), 0);
  });
});

describe('Wasserstein', () => {
  test('W1 is symmetric and equals the shift for a translated sample', () => {
    const a = sortedNormal(700);
    const b = sortedNormal(400, 0.3);
    assert.ok(Math.abs(wasserstein1Sorted(a, b) - wasserstein1Sorted(b, a)) < 1e-12);
    const shifted = a.map((x) => x + 2.5);
    assert.ok(Math.abs(wasserstein1Sorted(a, shifted) - 2.5) < 1e-9);
  });

  test('normalization uses the population std of the reference, floored at 0.001', () => {
    const a = Float64Array.of(0, 2);
    const b = Float64Array.of(1, 3);
    assert.equal(wassersteinNormSorted(a, b), 1);
    const constant = Float64Array.of(5, 5, 5);
    assert.ok(Math.abs(wassersteinNormSorted(constant, Float64Array.of(6)) - 1 / 0.001) < 1e-9);
  });

  test('identical samples give 0', () => {
    const a = sortedNormal(100);
    assert.equal(wasserstein1Sorted(a, a), 0);
  });
});

describe('Jensen–Shannon distance', () => {
  test('is symmetric, 0 for equal distributions, sqrt(ln 2) for disjoint ones', () => {
    const r = Float64Array.of(5, 1, 0, 7);
    const c = Float64Array.of(2, 2, 3, 1);
    assert.ok(Math.abs(jensenShannonFromCounts(r, c) - jensenShannonFromCounts(c, r)) < 1e-15);
    assert.equal(jensenShannonFromCounts(r, r.map((x) => x * 3)), 0);
    const d = jensenShannonFromCounts(Float64Array.of(1, 0), Float64Array.of(0, 4));
    assert.ok(Math.abs(d - Math.sqrt(Math.LN2)) < 1e-15);
  });

  test('on samples: 0 for identical, bounded by sqrt(ln 2)', () => {
    const a = sortedNormal(1000);
    assert.equal(jensenShannonSorted(a, a), 0);
    const far = jensenShannonSorted(a, sortedNormal(1000, 50));
    assert.ok(far > 0.8 && far <= Math.sqrt(Math.LN2) + 1e-15);
  });
});

describe('input validation', () => {
  test('empty and non-finite samples are rejected with a RangeError naming the argument', () => {
    const a = sortedNormal(10);
    assert.throws(() => psiSorted(new Float64Array(0), a), /psiSorted: reference sample is empty/);
    assert.throws(() => wasserstein1Sorted(a, new Float64Array(0)), /wasserstein1Sorted: current sample is empty/);
    assert.throws(() => jensenShannonSorted(a, Float64Array.of(Infinity)), /non-finite/);
    assert.throws(() => psiFromShares(new Float64Array(0), new Float64Array(0)), RangeError);
  });

  test('one-element samples are accepted', () => {
    const one = Float64Array.of(1);
    assert.equal(wasserstein1Sorted(one, Float64Array.of(3)), 2);
    assert.ok(Number.isFinite(psiSorted(one, Float64Array.of(3))));
    assert.ok(Math.abs(jensenShannonSorted(one, Float64Array.of(3)) - Math.sqrt(Math.LN2)) < 1e-15);
  });
});
