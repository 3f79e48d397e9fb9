/**
 * The pure processor on an injected clock: one model's bad data or failing
 * evaluation never silences another; counts survive a failed publish; replayed
 * records refill without being counted; a model with no new events goes STALE
 * (one alert) and back; state restored from another engine's report raises
 * nothing twice; a label of an unknown class is rejected on its own.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DriftProcessor } from '../../../pipeline/engine/drift-processor.ts';
import { DEFAULT_POLICY } from '../../../pipeline/drift/drift-policy.ts';
import { numericFeatureProfile } from '../../../pipeline/reference/build-profile.ts';
import { gaussian, mulberry32, type Rng } from '../../../pipeline/random.ts';
import type { ReferenceProfile } from '../../../pipeline/serde/reference-profile.ts';
import type { InferenceEvent } from '../../../pipeline/serde/inference-event.ts';

const FEATURES = ['a', 'b'];

function profile(modelId: string, rng: Rng, classes: string[] = ['B', 'M'], rows = 300): ReferenceProfile {
  const cols = FEATURES.map(() => Array.from({ length: rows }, () => gaussian(rng, 10, 1)));
  return {
    modelId,
    modelVersion: 'v1',
    createdAt: 0,
    rowCount: rows,
    features: FEATURES.map((name, j) => numericFeatureProfile(name, cols[j], 10_000)),
    prediction: {
      classes: classes.map((label) => ({ label, share: 1 / classes.length, count: rows / classes.length })),
      scores: Array.from({ length: rows }, () => rng()).sort((x, y) => x - y),
    },
    performance: null,
  };
}

let seq = 0;
function event(modelId: string, rng: Rng, t: number, over: Record<string, number> = {}, classes = ['B', 'M']): InferenceEvent {
  return {
    eventId: `e${++seq}`,
    modelId,
    modelVersion: 'v1',
    eventTime: t,
    features: { a: gaussian(rng, 10, 1), b: gaussian(rng, 10, 1), ...over },
    prediction: classes[Math.floor(rng() * classes.length)],
    score: rng(),
    latencyMs: 1,
  };
}

function processor(staleAfterMs?: number) {
  let id = 0;
  return new DriftProcessor({ minSamples: 100, window: { kind: 'count', size: 500 }, policy: DEFAULT_POLICY, staleAfterMs }, () => `id${++id}`, mulberry32(3));
}

describe('DriftProcessor', () => {
  test('+/-Infinity in one model is an invalid value of that feature; the other model still reports', () => {
    const rng = mulberry32(1);
    const p = processor();
    p.setReference(profile('bad', rng));
    p.setReference(profile('good', rng));
    for (let i = 0; i < 400; i++) {
      assert.equal(p.inference(event('bad', rng, i, i % 4 === 0 ? { a: i % 8 ? Infinity : -Infinity } : {}), 0, i), null);
      assert.equal(p.inference(event('good', rng, i), 1, i), null);
    }
    const { reports } = p.evaluate(1000);
    assert.deepEqual(reports.map((r) => r.modelId).sort(), ['bad', 'good']);
    const bad = reports.find((r) => r.modelId === 'bad')!;
    assert.equal(bad.features.find((f) => f.name === 'a')!.invalidShare, 0.25);
    assert.notEqual(bad.status, 'GREEN');
    assert.doesNotMatch(bad.reason, /evaluation failed/);
    assert.equal(reports.find((r) => r.modelId === 'good')!.status, 'GREEN');
  });

  test('a one-class model is reported, and so is the model next to it', () => {
    const rng = mulberry32(2);
    const p = processor();
    p.setReference(profile('one', rng, ['only']));
    p.setReference(profile('two', rng));
    for (let i = 0; i < 300; i++) {
      p.inference(event('one', rng, i, {}, ['only']), 0, i);
      p.inference(event('two', rng, i), 0, i);
    }
    const { reports } = p.evaluate(1000);
    assert.equal(reports.length, 2);
    for (const r of reports) assert.ok(r.eventCount === 300 || /evaluation failed/.test(r.reason), r.reason);
  });

  test('a publish that fails loses no count: the next evaluation covers the same events, once committed', () => {
    const rng = mulberry32(4);
    const p = processor();
    p.setReference(profile('m', rng));
    let sent = 0;
    let reported = 0;
    for (let round = 1; round <= 6; round++) {
      for (let i = 0; i < 150; i++, sent++) p.inference(event('m', rng, round * 1000 + i), 0, round * 1000 + i);
      p.countInvalid('m', 0);
      const e = p.evaluate(round * 1000 + 999);
      if (round % 2 === 1) continue; // the publish failed: nothing committed
      reported += e.reports[0].throughput.eventsSinceLastReport;
      assert.equal(e.reports[0].integrity.invalidEvents, 2);
      assert.equal(e.reports[0].integrity.invalidEventsTotal, round);
      e.commit();
    }
    assert.equal(reported, sent);
  });

  test('replayed records refill the window without being counted; the rate runs from the restored report', () => {
    const rng = mulberry32(5);
    const p = processor();
    const ref = profile('m', rng);
    p.setReference(ref);
    // What the previous owner published at t=10 000: 3 invalid events in all.
    const previous = processor();
    previous.setReference(ref);
    for (let i = 0; i < 200; i++) previous.inference(event('m', rng, i), 0, i);
    for (let i = 0; i < 3; i++) previous.countInvalid('m', 0);
    const last = previous.evaluate(10_000).reports[0];
    p.restoreReport(last, 0);
    p.retainPartitions(new Set([0]));
    for (let i = 0; i < 500; i++) p.inference(event('m', rng, 9_000 + i), 0, 9_000 + i, true);
    for (let i = 0; i < 100; i++) p.inference(event('m', rng, 10_000 + 10 * i), 0, 10_000 + 10 * i);
    const r = p.evaluate(12_000).reports[0];
    assert.equal(r.eventCount, 500, 'a full window');
    assert.equal(r.throughput.eventsSinceLastReport, 100, 'only the new events');
    assert.equal(r.throughput.eventsPerSecond, 50, '100 events over the 2 s since the last report');
    assert.equal(r.integrity.invalidEventsTotal, 3, 'the total carries over');
    assert.equal(p.stats.eventsReplayed, 500);
  });

  test('no new event for staleAfterMs: STALE with one alert, then back to GREEN when events resume', () => {
    const rng = mulberry32(6);
    const p = processor(3000);
    p.setReference(profile('m', rng));
    for (let i = 0; i < 300; i++) p.inference(event('m', rng, i), 0, i);
    const first = p.evaluate(1000);
    assert.equal(first.reports[0].status, 'GREEN');
    first.commit();
    const stale = p.evaluate(4000);
    assert.equal(stale.reports[0].status, 'STALE');
    assert.match(stale.reports[0].reason, /no events for 3\.7 s/);
    assert.deepEqual(stale.alerts.map((a) => [a.scope, a.previousStatus, a.status]), [['MODEL', 'GREEN', 'STALE']]);
    stale.commit();
    const still = p.evaluate(6000);
    assert.equal(still.reports[0].status, 'STALE');
    assert.deepEqual(still.alerts, [], 'no repeated alert');
    still.commit();
    for (let i = 0; i < 50; i++) p.inference(event('m', rng, 6000 + i), 0, 6000 + i);
    const back = p.evaluate(6100);
    assert.equal(back.reports[0].status, 'GREEN');
    assert.deepEqual(back.alerts.map((a) => [a.previousStatus, a.status]), [['STALE', 'GREEN']]);
  });

  test('a model of a held partition reported before, with no event since: STALE, not silent', () => {
    const rng = mulberry32(7);
    const ref = profile('m', rng);
    const before = processor();
    before.setReference(ref);
    for (let i = 0; i < 300; i++) before.inference(event('m', rng, i), 2, i);
    const last = before.evaluate(1000).reports[0];
    const p = processor(3000);
    p.setReference(ref);
    p.restoreReport(last, 2);
    p.retainPartitions(new Set([0, 1]));
    assert.deepEqual(p.evaluate(9000).reports, [], 'partition 2 is not held');
    p.retainPartitions(new Set([2]));
    const r = p.evaluate(9000).reports;
    assert.deepEqual(r.map((x) => x.status), ['STALE']);
  });

  test("state restored from another engine's reports raises nothing twice; an older report changes nothing", () => {
    const rng = mulberry32(8);
    const ref = profile('m', rng);
    const other = processor();
    other.setReference(ref);
    for (let i = 0; i < 300; i++) other.inference(event('m', rng, i, { a: 50 }), 0, i);
    const red = other.evaluate(1000);
    assert.equal(red.reports[0].status, 'RED');
    assert.ok(red.alerts.length >= 2);
    const p = processor();
    p.setReference(ref);
    p.restoreReport(red.reports[0], 0);
    p.restoreReport({ ...red.reports[0], evaluatedAt: 500, status: 'GREEN', features: red.reports[0].features.map((f) => ({ ...f, status: 'GREEN' })) }, 0);
    for (let i = 0; i < 300; i++) p.inference(event('m', rng, 2000 + i, { a: 50 }), 0, 2000 + i);
    const next = p.evaluate(3000);
    assert.equal(next.reports[0].status, 'RED');
    assert.deepEqual(next.alerts, []);
  });

  test('a label of an unknown class is rejected and counted as a label, not as an invalid event', () => {
    const rng = mulberry32(9);
    const p = processor();
    p.setReference(profile('m', rng));
    const e = event('m', rng, 1);
    p.inference(e, 0, 1);
    const outcome = p.label({ eventId: e.eventId, modelId: 'm', label: 'X', eventTime: 1, labeledAt: 2 }, 2);
    assert.equal(typeof outcome, 'object');
    assert.match((outcome as { reason: string }).reason, /not one of the model's classes/);
    assert.equal(p.stats.labelsUnknownClass, 1);
    assert.equal(p.label({ eventId: e.eventId, modelId: 'm', label: 'B', eventTime: 1, labeledAt: 3 }, 3), 'joined');
  });
});
