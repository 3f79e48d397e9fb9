import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { gaussian, mulberry32 } from '../../../pipeline/random.ts';
import {
  benjaminiHochberg,
  bonferroni,
  datasetDrift,
  evaluateCategorical,
  evaluateDataset,
  evaluateNumeric,
  getTest,
  ks2,
  PRESETS,
  populationStd,
  TEST_NAMES,
  TEST_REGISTRY,
} from '../../../pipeline/stats/index.ts';

const rng = mulberry32(3);
const normal = (n: number, mean = 0) => Float64Array.from({ length: n }, () => gaussian(rng, mean, 1));

describe('multiple testing', () => {
  const p = [0.001, 0.04, 0.03, 0.5, 0.012, NaN];

  test('Bonferroni multiplies by the number of tests, capped at 1', () => {
    const adj = bonferroni(p);
    p.forEach((x, i) => (Number.isNaN(x) ? assert.ok(Number.isNaN(adj[i])) : assert.equal(adj[i], Math.min(1, x * 5))));
  });

  test('BH adjusted p-values lie between p and Bonferroni, and keep the order of p', () => {
    const bh = benjaminiHochberg(p);
    const bf = bonferroni(p);
    for (let i = 0; i < 5; i++) assert.ok(bh[i] >= p[i] && bh[i] <= bf[i] + 1e-15);
    const order = [0, 1, 2, 3, 4].sort((a, b) => p[a] - p[b]);
    for (let k = 1; k < order.length; k++) assert.ok(bh[order[k]] >= bh[order[k - 1]]);
  });

  test('BH rejections at alpha are those of the step-up rule p_(k) <= k·alpha/m', () => {
    const ps = Array.from({ length: 40 }, () => rng() ** 3);
    const alpha = 0.05;
    const sorted = [...ps].sort((a, b) => a - b);
    let kMax = 0;
    sorted.forEach((x, i) => {
      if (x <= ((i + 1) * alpha) / ps.length) kMax = i + 1;
    });
    const rejected = benjaminiHochberg(ps).filter((x) => x <= alpha).length;
    assert.equal(rejected, kMax);
  });

  test('dataset drift at a share threshold', () => {
    assert.equal(datasetDrift([true, false]).detected, true);
    assert.equal(datasetDrift([true, false, false]).detected, false);
    assert.equal(datasetDrift([], 0.5).detected, false);
  });
});

describe('registry and presets', () => {
  test('every registered test has a kind, a threshold and a direction', () => {
    for (const name of TEST_NAMES) {
      const t = TEST_REGISTRY.get(name)!;
      assert.ok(t.kinds.length > 0 && t.defaultThreshold > 0);
      assert.ok(t.direction === 'p-value below' || t.direction === 'distance above');
    }
  });

  test('evidently preset follows DataDriftPreset rules', () => {
    const e = PRESETS.evidently;
    assert.equal(e.choose({ kind: 'numeric', nReference: 1000, referenceUnique: 6 }).test, 'ks');
    assert.equal(e.choose({ kind: 'numeric', nReference: 1001, referenceUnique: 6 }).test, 'wassersteinNorm');
    assert.equal(e.choose({ kind: 'numeric', nReference: 500, referenceUnique: 5 }).test, 'chiSquare');
    assert.equal(e.choose({ kind: 'numeric', nReference: 500, referenceUnique: 2 }).test, 'zTest');
    assert.equal(e.choose({ kind: 'numeric', nReference: 5000, referenceUnique: 4 }).test, 'jensenShannon');
    assert.equal(e.choose({ kind: 'categorical', nReference: 900, referenceUnique: 3 }).test, 'chiSquare');
    assert.equal(e.choose({ kind: 'categorical', nReference: 900, referenceUnique: 2 }).test, 'zTest');
    assert.equal(e.choose({ kind: 'categorical', nReference: 1200, referenceUnique: 2 }).test, 'jensenShannon');
    assert.equal(e.choose({ kind: 'numeric', nReference: 10, referenceUnique: 10 }).threshold, 0.05);
    assert.equal(e.choose({ kind: 'numeric', nReference: 5000, referenceUnique: 5000 }).threshold, 0.1);
  });
});

describe('evaluateNumeric / evaluateCategorical / evaluateDataset', () => {
  test('computes every numeric test and decides with the preset', () => {
    const ref = normal(800).sort();
    const cur = normal(300, 0.6);
    const r = evaluateNumeric(ref, cur, { preset: 'evidently' });
    assert.deepEqual(Object.keys(r.tests).sort(), ['jensenShannon', 'ks', 'psi', 'wassersteinNorm']);
    assert.equal(r.drift.test, 'ks');
    const ks = ks2(ref, cur);
    assert.deepEqual(r.tests.ks, { statistic: ks.statistic, pValue: ks.pValue });
    assert.equal(r.drift.score, ks.pValue);
    assert.equal(r.drift.detected, true);
    assert.equal(r.histogram.referenceCounts.reduce((s, x) => s + x, 0), 800);
    assert.equal(r.histogram.currentCounts.reduce((s, x) => s + x, 0), 300);
  });

  test('a cached reference summary gives the same evaluation', () => {
    const ref = normal(1500).sort();
    const cur = normal(400, 0.2);
    const fresh = evaluateNumeric(ref, cur);
    const prepared = evaluateNumeric(ref, cur, { reference: { unique: fresh.referenceUnique, std: populationStd(ref) } });
    assert.deepEqual(prepared.tests, fresh.tests);
    assert.deepEqual(prepared.drift, fresh.drift);
  });

  test('--tests style selection still computes the deciding test', () => {
    const r = evaluateNumeric(normal(2000).sort(), normal(2000), { preset: 'aegis', tests: ['ks'] });
    assert.deepEqual(Object.keys(r.tests).sort(), ['ks', 'wassersteinNorm']);
    assert.equal(r.drift.test, 'wassersteinNorm');
  });

  test('categorical: aegis decides by homogeneity, evidently by goodness of fit or z', () => {
    const ref = Array.from({ length: 400 }, (_, i) => ['a', 'b', 'c'][i % 3]);
    const cur = Array.from({ length: 200 }, (_, i) => ['a', 'b', 'c'][(i * 7) % 3]);
    assert.equal(evaluateCategorical(ref, cur, { preset: 'aegis' }).drift.test, 'chiSquareHomogeneity');
    assert.equal(evaluateCategorical(ref, cur, { preset: 'evidently' }).drift.test, 'chiSquare');
    const binary = evaluateCategorical(['y', 'n', 'y'], ['n', 'n'], { preset: 'evidently' });
    assert.equal(binary.drift.test, 'zTest');
    assert.ok('zTest' in binary.tests);
    assert.ok(!('zTest' in evaluateCategorical(ref, cur).tests));
  });

  test('the dataset correction only touches p-value decisions and never lowers them', () => {
    const cols = Array.from({ length: 6 }, (_, i) => evaluateNumeric(normal(300).sort(), normal(300, i * 0.1), { preset: 'aegis' }));
    const plain = evaluateDataset(cols, 'evidently');
    const bh = evaluateDataset(cols, 'aegis');
    assert.equal(bh.dataset.correction, 'bh');
    bh.columns.forEach((c, i) => {
      assert.ok(c.drift.score >= cols[i].drift.score);
      assert.equal(c.drift.detected, c.drift.score < c.drift.threshold);
    });
    assert.equal(plain.dataset.total, 6);
    assert.ok(bh.dataset.drifted <= plain.dataset.drifted);
    assert.equal(getTest(cols[0].drift.test).direction, 'p-value below');
  });
});
