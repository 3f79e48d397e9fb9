/**
 * The categorical demo model through the pure DriftProcessor with a virtual
 * clock: healthy applications keep it GREEN; once most come from one region
 * it is RED naming region, and only region.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DriftProcessor } from '../../../pipeline/engine/drift-processor.ts';
import { DEFAULT_POLICY } from '../../../pipeline/drift/drift-policy.ts';
import { mulberry32 } from '../../../pipeline/random.ts';
import { application, approvalScore, decide, featuresOf, LOAN_MODEL_ID, outcome, SHIFTED_REGION_SHARES } from '../../../pipeline/simulator/loan-model.ts';
import { loanReference } from '../../../services/start/loan-demo.ts';

function drive(shiftAt: number, events: number, every: number) {
  let id = 0;
  const processor = new DriftProcessor({ minSamples: 200, window: { kind: 'count', size: 1000 }, policy: DEFAULT_POLICY }, () => `id${id++}`);
  const profile = loanReference(1993);
  processor.setReference(profile);
  const rng = mulberry32(7);
  const statuses: Array<{ at: number; status: string; drifted: string[]; reason: string }> = [];
  for (let i = 0; i < events; i++) {
    const app = application(rng, i >= shiftAt ? SHIFTED_REGION_SHARES : undefined);
    const score = approvalScore(app);
    const eventId = `e${i}`;
    const rejected = processor.inference({ eventId, modelId: LOAN_MODEL_ID, modelVersion: profile.modelVersion, eventTime: i, features: featuresOf(app), prediction: decide(score), score, latencyMs: null }, 0, i);
    assert.equal(rejected, null);
    processor.label({ eventId, modelId: LOAN_MODEL_ID, label: outcome(rng, score), eventTime: i, labeledAt: i }, i);
    if ((i + 1) % every === 0) {
      const evaluation = processor.evaluate(i);
      evaluation.commit();
      for (const r of evaluation.reports) statuses.push({ at: i + 1, status: r.status, drifted: r.features.filter((f) => f.drifted).map((f) => f.name), reason: r.reason });
    }
  }
  return { profile, statuses };
}

test('the loan model: reference with numeric and categorical features, GREEN when healthy, RED naming region after the shift', () => {
  const { profile, statuses } = drive(4000, 6000, 500);
  assert.deepEqual(
    profile.features.map((f) => `${f.name}:${f.kind}`),
    ['income:NUMERIC', 'age:NUMERIC', 'debt_ratio:NUMERIC', 'region:CATEGORICAL', 'channel:CATEGORICAL', 'employed:CATEGORICAL'],
  );
  assert.ok(profile.performance && profile.performance.accuracy > 0.6, JSON.stringify(profile.performance));
  const before = statuses.filter((s) => s.at <= 4000);
  const after = statuses.filter((s) => s.at >= 5000);
  assert.ok(before.length >= 7 && before.every((s) => s.status === 'GREEN'), JSON.stringify(before.filter((s) => s.status !== 'GREEN')));
  assert.ok(after.length >= 2 && after.every((s) => s.status === 'RED' && s.drifted.join() === 'region'), JSON.stringify(after));
  assert.match(after[0].reason, /region RED: chi_square_homogeneity TV=0\.\d+ .*'east'/);
});
