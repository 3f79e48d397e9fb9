/**
 * The CART model: accurate on the holdout, scores that are probabilities
 * consistent with the predicted class, a faithful copy of ml-cart's tree, and
 * a serialized form that predicts the same.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { DecisionTreeClassifier } from 'ml-cart';
import {
  classify,
  deserialize,
  isLeaf,
  modelVersion,
  predict,
  predictProba,
  serialize,
  train,
  DEFAULT_HYPERPARAMETERS,
  type TreeNode,
} from '../../../pipeline/model/cart-model.ts';
import { CLASSES, parseWdbcCsv } from '../../../pipeline/model/dataset.ts';
import { classificationMetrics } from '../../../pipeline/model/metrics.ts';
import { DEFAULT_SEED, runTraining, splitPools } from '../../../pipeline/model/training-run.ts';

const dataset = parseWdbcCsv(readFileSync(new URL('../../../services/trainer/data/wdbc.csv', import.meta.url), 'utf8'));
const pools = splitPools(dataset, DEFAULT_SEED);
const model = train(dataset.features, pools.training);
const holdout = [...pools.reference, ...pools.traffic];

function leaves(node: TreeNode): number[][] {
  return isLeaf(node) ? [node.distribution] : [...leaves(node.left), ...leaves(node.right)];
}

describe('CART model on WDBC', () => {
  test('holdout accuracy is above 0.85 for several split seeds', () => {
    for (const seed of [DEFAULT_SEED, 1, 2, 3]) {
      const run = runTraining({ modelId: 'm', dataset, seed, createdAt: 0 });
      assert.ok(run.holdout.accuracy > 0.85, `seed ${seed}: accuracy ${run.holdout.accuracy}`);
      assert.equal(run.holdout.n, run.pools.reference.length + run.pools.traffic.length);
      // the profile carries the holdout figures as the baseline for live accuracy
      assert.deepEqual(run.profile.performance, {
        rows: run.holdout.n,
        positiveLabel: 'M',
        accuracy: run.holdout.accuracy,
        precision: run.holdout.precision,
        recall: run.holdout.recall,
      });
    }
  });

  test('predictProba is in [0, 1] and on the side of 0.5 that predict says', () => {
    for (const r of dataset.rows) {
      const p = predictProba(model, r.values);
      assert.ok(p >= 0 && p <= 1, `score ${p}`);
      if (predict(model, r.values) === 'M') assert.ok(p >= 0.5, `M with score ${p}`);
      else assert.ok(p <= 0.5, `B with score ${p}`);
      assert.deepEqual(classify(model, r.values), { label: predict(model, r.values), score: p });
    }
  });

  test('scores are leaf class shares, not 0/1 votes', () => {
    const dists = leaves(model.tree);
    for (const d of dists) {
      assert.equal(d.length, CLASSES.length);
      assert.ok(Math.abs(d[0] + d[1] - 1) < 1e-9, `shares ${d} sum to 1`);
    }
    const distinct = new Set(holdout.map((r) => predictProba(model, r.values)));
    assert.ok([...distinct].some((p) => p > 0 && p < 1), `some holdout score strictly between 0 and 1: ${[...distinct]}`);
  });

  test('the plain tree predicts exactly what ml-cart predicts', () => {
    const classifier = new DecisionTreeClassifier({ gainFunction: 'gini', splitFunction: 'mean', ...DEFAULT_HYPERPARAMETERS });
    classifier.train(pools.training.map((r) => r.values), pools.training.map((r) => CLASSES.indexOf(r.label)));
    const theirs = classifier.predict(dataset.rows.map((r) => r.values)).map((k) => CLASSES[k]);
    assert.deepEqual(dataset.rows.map((r) => predict(model, r.values)), theirs);
  });

  test('a missing input is read as the training median of its feature', () => {
    const medians = model.fill;
    const row = holdout[0].values;
    for (let j = 0; j < row.length; j++) {
      const withNull = row.map((v, k) => (k === j ? null : v));
      const withNaN = row.map((v, k) => (k === j ? NaN : v));
      const withFill = row.map((v, k) => (k === j ? medians[j] : v));
      assert.equal(predictProba(model, withNull), predictProba(model, withFill));
      assert.equal(predictProba(model, withNaN), predictProba(model, withFill));
    }
  });

  test('serialize → deserialize predicts the same and keeps the version', () => {
    const text = serialize(model);
    const back = deserialize(text);
    for (const r of dataset.rows) {
      assert.equal(predict(back, r.values), predict(model, r.values));
      assert.equal(predictProba(back, r.values), predictProba(model, r.values));
    }
    assert.equal(modelVersion(back), modelVersion(model));
    assert.match(modelVersion(model), /^[0-9a-f]{12}$/);
    assert.equal(serialize(JSON.parse(JSON.stringify(model, null, 2))), text, 'canonical text does not depend on formatting');
  });

  test('training is deterministic: the same rows give the same version', () => {
    assert.equal(modelVersion(train(dataset.features, pools.training)), modelVersion(model));
    assert.notEqual(modelVersion(train(dataset.features, pools.reference)), modelVersion(model));
  });

  test('deserialize rejects what is not a model', () => {
    assert.throws(() => deserialize('{"format":"other"}'), /format/);
    const broken = JSON.parse(serialize(model));
    broken.tree = { feature: 99, threshold: 1, left: { distribution: [1, 0] }, right: { distribution: [0, 1] } };
    assert.throws(() => deserialize(broken), /split node/);
  });
});

describe('classification metrics', () => {
  const actual = holdout.map((r) => r.label);
  const predicted = holdout.map((r) => predict(model, r.values));

  test('counts add up and the ratios follow their definitions', () => {
    const m = classificationMetrics(actual, predicted, 'M');
    assert.equal(m.truePositive + m.falsePositive + m.trueNegative + m.falseNegative, actual.length);
    const agree = actual.filter((a, i) => a === predicted[i]).length;
    assert.equal(m.accuracy, agree / actual.length);
    const predictedM = predicted.filter((p) => p === 'M').length;
    const actualM = actual.filter((a) => a === 'M').length;
    assert.equal(m.precision, m.truePositive / predictedM);
    assert.equal(m.recall, m.truePositive / actualM);
  });

  test('perfect and inverted predictions', () => {
    const perfect = classificationMetrics(actual, actual, 'M');
    assert.deepEqual([perfect.accuracy, perfect.precision, perfect.recall], [1, 1, 1]);
    const inverted = classificationMetrics(actual, actual.map((a) => (a === 'M' ? 'B' : 'M')), 'M');
    assert.deepEqual([inverted.accuracy, inverted.precision, inverted.recall], [0, 0, 0]);
  });
});
