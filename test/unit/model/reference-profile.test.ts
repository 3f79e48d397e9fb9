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
import { featureProfile, sturgesEdges } from '../../../pipeline/model/reference-profile.ts';
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

  test("bin edges follow Sturges' rule over the reference range", () => {
    for (const f of profile.features) {
      const bins = Math.ceil(Math.log2(f.values.length)) + 1;
      assert.equal(f.binEdges.length, bins + 1, f.name);
      assert.equal(f.binEdges[0], f.min);
      assert.equal(f.binEdges[bins], f.max);
      for (let i = 1; i < f.binEdges.length; i++) assert.ok(f.binEdges[i] > f.binEdges[i - 1], `${f.name} edges increase`);
    }
    assert.deepEqual(sturgesEdges(3, 3, 10), [3, 3]);
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
    const f = featureProfile('x', [3, null, 1, NaN, 2]);
    assert.deepEqual(f.values, [1, 2, 3]);
    assert.equal(f.missingShare, 2 / 5);
    assert.equal(f.min, 1);
    assert.equal(f.max, 3);
    const empty = featureProfile('y', [null, null]);
    assert.equal(empty.missingShare, 1);
    assert.deepEqual(empty.values, []);
  });
});
