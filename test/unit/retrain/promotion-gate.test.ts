/**
 * The promotion gate on the real data set: a candidate trained on shifted
 * traffic beats the version in service and is promoted; one trained on
 * flipped labels loses and is not; a tie promotes; too few rows decide nothing.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { parseWdbcCsv, type LabeledRow } from '../../../pipeline/model/dataset.ts';
import { runTraining } from '../../../pipeline/model/training-run.ts';
import { gateCandidate, MAX_ROWS, MIN_ROWS, NotEnoughRowsError, promote, score } from '../../../pipeline/retrain/promotion-gate.ts';

const dataset = parseWdbcCsv(await readFile(new URL('../../../services/trainer/data/wdbc.csv', import.meta.url), 'utf8'));
const run = runTraining({ modelId: 'm', dataset, createdAt: 1 });
const recent = [...run.pools.reference, ...run.pools.traffic];
const scaled = (rows: readonly LabeledRow[], k: number) => rows.map((r) => ({ ...r, values: r.values.map((v) => v * k) }));
const flip = (r: LabeledRow): LabeledRow => ({ ...r, label: r.label === 'M' ? 'B' : 'M' });

describe('promotion gate', () => {
  test('promote: candidate accuracy at least the current one', () => {
    assert.equal(promote(0.9, 0.8), true);
    assert.equal(promote(0.8, 0.8), true);
    assert.equal(promote(0.79, 0.8), false);
  });

  test('after a ×10 scale shift the candidate, trained on the shifted rows, beats the current version and is promoted', () => {
    const g = gateCandidate({ modelId: 'm', current: run.model, rows: scaled(recent, 10), createdAt: 2 });
    assert.ok(g.currentMetrics.accuracy < 0.75, `current ${g.currentMetrics.accuracy}`);
    assert.ok(g.candidateMetrics.accuracy > 0.85, `candidate ${g.candidateMetrics.accuracy}`);
    assert.equal(g.promoted, true);
    assert.equal(g.training.length + g.holdout.length, recent.length);
    assert.equal(g.profile.modelVersion, g.candidateVersion);
    assert.notEqual(g.candidateVersion, run.version);
    assert.equal(g.profile.performance?.accuracy, g.candidateMetrics.accuracy);
    const meanRadius = g.profile.features.find((f) => f.name === 'mean_radius')!;
    assert.ok(meanRadius.mean! > 50, 'the profile describes the shifted traffic');
  });

  test('the split is by time: older half trains, newer half judges', () => {
    const g = gateCandidate({ modelId: 'm', current: run.model, rows: recent, createdAt: 2 });
    const half = Math.floor(recent.length / 2);
    assert.deepEqual(g.training, recent.slice(0, half));
    assert.deepEqual(g.holdout, recent.slice(half));
    assert.deepEqual(g.currentMetrics, score(run.model, recent.slice(half)));
  });

  test('a candidate trained on flipped labels is worse on the true holdout and is not promoted', () => {
    const half = Math.floor(recent.length / 2);
    const rows = [...recent.slice(0, half).map(flip), ...recent.slice(half)];
    const g = gateCandidate({ modelId: 'm', current: run.model, rows, createdAt: 2 });
    assert.ok(g.candidateMetrics.accuracy < 0.5 && g.currentMetrics.accuracy > 0.85, `${g.candidateMetrics.accuracy} vs ${g.currentMetrics.accuracy}`);
    assert.equal(g.promoted, false);
  });

  test('only the newest MAX_ROWS rows are used; fewer than MIN_ROWS decide nothing', () => {
    const many = Array.from({ length: 3 }, () => recent).flat();
    const g = gateCandidate({ modelId: 'm', current: run.model, rows: many, createdAt: 2 });
    assert.equal(g.training.length + g.holdout.length, Math.min(many.length, MAX_ROWS));
    assert.deepEqual(g.holdout.at(-1), many.at(-1));
    assert.throws(() => gateCandidate({ modelId: 'm', current: run.model, rows: recent.slice(0, MIN_ROWS - 1), createdAt: 2 }), NotEnoughRowsError);
  });
});
