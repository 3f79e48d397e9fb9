/**
 * The reference profile: per-feature invariants (sorted values, range, moments,
 * Sturges edges), prediction shares that sum to 1, and validity against the
 * Avro contract it is published with.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseWdbcCsv } from '../../../pipeline/model/dataset.ts';
import { predict, predictProba } from '../../../pipeline/model/cart-model.ts';
import {
  buildProfile,
  countCategories,
  MAX_CATEGORIES,
  numericFeatureProfile,
  pointsPerFeature,
  positiveClass,
  quantilePoints,
} from '../../../pipeline/reference/build-profile.ts';
import { ks2Sorted } from '../../../pipeline/stats/ks.ts';
import { gaussian, mulberry32 } from '../../../pipeline/random.ts';
import { runTraining } from '../../../pipeline/model/training-run.ts';
import { avroType, invalidPaths } from '../../../pipeline/serde/schemas.ts';

const dataset = parseWdbcCsv(readFileSync(new URL('../../../services/trainer/data/wdbc.csv', import.meta.url), 'utf8'));
const createdAt = Date.UTC(2026, 10, 29);
const run = runTraining({ modelId: 'wdbc-test', dataset, createdAt });
const { profile } = run;

describe('reference profile', () => {
  test('identifies the model and covers the reference pool', () => {
    assert.equal(profile.modelId, 'wdbc-test');
    assert.equal(profile.modelVersion, run.version);
    assert.equal(profile.createdAt, createdAt);
    assert.equal(profile.rowCount, run.pools.reference.length);
    assert.deepEqual(profile.features.map((f) => f.name), dataset.features);
  });

  test('per feature: sorted reference values, their min, max, mean and population std', () => {
    profile.features.forEach((f, j) => {
      const column = run.pools.reference.map((r) => r.values[j]);
      assert.deepEqual(f.values, [...column].sort((a, b) => a - b), f.name);
      for (let i = 1; i < f.values.length; i++) assert.ok(f.values[i - 1] <= f.values[i]);
      assert.equal(f.min, f.values[0]);
      assert.equal(f.max, f.values[f.values.length - 1]);
      assert.equal(f.missingShare, 0);
      const mean = column.reduce((a, b) => a + b, 0) / column.length;
      const std = Math.sqrt(column.reduce((a, b) => a + (b - mean) ** 2, 0) / column.length);
      assert.ok(Math.abs(f.mean - mean) <= 1e-9 * Math.max(1, Math.abs(mean)), `${f.name} mean`);
      assert.ok(Math.abs(f.std - std) <= 1e-9 * Math.max(1, std), `${f.name} std`);
    });
  });

  test('prediction classes: every class listed, counts match the model, shares sum to 1', () => {
    const rows = run.pools.reference;
    assert.deepEqual(profile.prediction.classes.map((c) => c.label), run.model.classes);
    for (const c of profile.prediction.classes) {
      assert.equal(c.count, rows.filter((r) => predict(run.model, r.values) === c.label).length);
      assert.equal(c.share, c.count / rows.length);
    }
    const total = profile.prediction.classes.reduce((a, c) => a + c.share, 0);
    assert.ok(Math.abs(total - 1) < 1e-12, `shares sum to ${total}`);
  });

  test('prediction scores: the model on each reference row, sorted', () => {
    const expected = run.pools.reference.map((r) => predictProba(run.model, r.values)).sort((a, b) => a - b);
    assert.deepEqual(profile.prediction.scores, expected);
  });

  test('is a valid reference-profile.avsc record', () => {
    assert.deepEqual(invalidPaths(avroType('reference-profile'), profile), []);
  });

  test('missing values are counted, not profiled', () => {
    const f = numericFeatureProfile('x', [3, null, 1, NaN, 2], 100);
    assert.deepEqual(f.values, [1, 2, 3]);
    assert.equal(f.missingShare, 2 / 5);
    assert.equal(f.count, 3);
    assert.equal(f.exact, true);
    assert.equal(f.min, 1);
    assert.equal(f.max, 3);
    const empty = numericFeatureProfile('y', [null, null], 100);
    assert.equal(empty.missingShare, 1);
    assert.deepEqual(empty.values, []);
  });
});

describe('reference profile of any model', () => {
  test('kinds: numeric columns keep sorted values, categorical ones category counts, most frequent first', () => {
    const p = buildProfile({
      modelId: 'm',
      modelVersion: 'v',
      createdAt: 0,
      features: [
        { name: 'age', kind: 'NUMERIC', values: [30, 20, null, 40] },
        { name: 'plan', kind: 'CATEGORICAL', values: ['gold', 'basic', 'basic', null] },
        { name: 'active', kind: 'CATEGORICAL', values: [true, false, true, true] },
      ],
      predictions: ['yes', 'no', 'no', 'no'],
      labels: ['yes', 'no', 'yes', 'no'],
    });
    assert.deepEqual(p.features.map((f) => f.kind), ['NUMERIC', 'CATEGORICAL', 'CATEGORICAL']);
    assert.deepEqual(p.features[0].values, [20, 30, 40]);
    assert.deepEqual(p.features[1].categories, [{ value: 'basic', count: 2 }, { value: 'gold', count: 1 }]);
    assert.equal(p.features[1].missingShare, 0.25);
    assert.deepEqual(p.features[2].categories, [{ value: 'true', count: 3 }, { value: 'false', count: 1 }]);
    assert.deepEqual(p.prediction.classes, [{ label: 'no', count: 3, share: 0.75 }, { label: 'yes', count: 1, share: 0.25 }]);
    assert.equal(p.performance!.positiveLabel, 'yes');
    assert.equal(p.performance!.accuracy, 0.75);
    assert.equal(p.performance!.recall, 0.5);
    assert.deepEqual(invalidPaths(avroType('reference-profile'), p), []);
  });

  test('a feature named twice, no feature, or more than 1,000 features are refused', () => {
    const f = { name: 'a', kind: 'NUMERIC' as const, values: [1] };
    assert.throws(() => buildProfile({ modelId: 'm', modelVersion: 'v', createdAt: 0, features: [f, f] }), /given twice/);
    assert.throws(() => buildProfile({ modelId: 'm', modelVersion: 'v', createdAt: 0, features: [] }), /at least one/);
    const many = Array.from({ length: 1001 }, (_, i) => ({ ...f, name: `f${i}` }));
    assert.throws(() => buildProfile({ modelId: 'm', modelVersion: 'v', createdAt: 0, features: many }), /at most 1000/);
  });

  test('the positive class: true or 1 when present, else the rarest label', () => {
    assert.equal(positiveClass(['0', '1', '0']), '1');
    assert.equal(positiveClass(['false', 'true']), 'true');
    assert.equal(positiveClass(['B', 'B', 'M']), 'M');
  });

  test('beyond the point budget, evenly spaced quantiles keep the KS statistic within 1/(2k) + 1/n', () => {
    assert.equal(pointsPerFeature(30), 10_000);
    assert.equal(pointsPerFeature(300), 3_333);
    assert.equal(pointsPerFeature(1000), 1_000);
    const rng = mulberry32(7);
    const n = 100_000;
    const full = Float64Array.from({ length: n }, () => gaussian(rng, 0, 1)).sort();
    for (const k of [1000, 10_000]) {
      const { values, exact } = quantilePoints(full, k);
      assert.equal(exact, false);
      assert.equal(values.length, k);
      const points = Float64Array.from(values);
      for (const shift of [0, 0.1, 0.5]) {
        const window = Float64Array.from({ length: 1000 }, () => gaussian(rng, shift, 1)).sort();
        const exactD = ks2Sorted(full, window).statistic;
        const approxD = ks2Sorted(points, window).statistic;
        assert.ok(Math.abs(exactD - approxD) <= 1 / (2 * k) + 1 / n + 1e-12, `k=${k} shift=${shift}: ${exactD} vs ${approxD}`);
      }
    }
  });

  test('a 100,000-row × 50-feature reference encodes to a few MB, within the topic limit', () => {
    const rng = mulberry32(9);
    const rows = 100_000;
    const features = Array.from({ length: 50 }, (_, j) => ({
      name: `f${j}`,
      kind: 'NUMERIC' as const,
      values: Array.from({ length: rows }, () => gaussian(rng, j, 1 + j / 10)),
    }));
    const p = buildProfile({ modelId: 'wide', modelVersion: 'v', createdAt: 0, features });
    const bytes = avroType('reference-profile').toBuffer(p).length;
    assert.ok(bytes < 8 * 1024 * 1024, `${bytes} bytes`);
    assert.ok(p.features.every((f) => f.values.length === 10_000 && !f.exact && f.count === rows));
  });

  test('categories beyond 10,000 are summed into (other)', () => {
    const values = Array.from({ length: MAX_CATEGORIES + 500 }, (_, i) => `c${i}`);
    const { categories, exact } = countCategories(values);
    assert.equal(categories.length, MAX_CATEGORIES);
    assert.equal(exact, false);
    assert.deepEqual(categories.at(-1), { value: '(other)', count: 501 });
  });
});
