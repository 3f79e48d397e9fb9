/**
 * The gateway's history: the last hour, the last N reports per model and a
 * byte budget, in evaluatedAt order; points for every report, full reports
 * while the budget allows (each model's latest always).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ReportHistory, type HistoryLimits } from '../../../services/gateway/report-history.ts';
import { driftReport } from '../../support/drift-reports.ts';
import { engineSizedReport } from '../../support/engine-sized-report.ts';

const HOUR = 3_600_000;
const limits = (overrides: Partial<HistoryLimits> = {}): HistoryLimits => ({ maxAgeMs: HOUR, maxPerModel: 100, maxBytes: 1 << 30, ...overrides });
const times = (history: ReportHistory, modelId: string) => history.series(modelId)?.evaluatedAt;
const heldTimes = (history: ReportHistory, modelId: string) => history.reports(modelId)?.reports.map((r) => r.evaluatedAt);

describe('ReportHistory', () => {
  test('keeps at most maxPerModel reports per model, dropping the oldest', () => {
    const now = 10 * HOUR;
    const history = new ReportHistory(limits({ maxPerModel: 3 }), () => now);
    for (let i = 0; i < 5; i++) history.add(driftReport({ modelId: 'a', evaluatedAt: now - 5000 + i * 1000 }));
    history.add(driftReport({ modelId: 'b', evaluatedAt: now }));
    assert.deepEqual(heldTimes(history, 'a'), [now - 3000, now - 2000, now - 1000]);
    assert.deepEqual(times(history, 'a'), [now - 3000, now - 2000, now - 1000]);
    assert.equal(history.reports('b')!.reports.length, 1);
    assert.equal(history.size(), 4);
  });

  test('refuses reports older than maxAgeMs and forgets them as time passes', () => {
    let now = 10 * HOUR;
    const history = new ReportHistory(limits(), () => now);
    assert.equal(history.add(driftReport({ modelId: 'a', evaluatedAt: now - HOUR - 1 })), false);
    assert.equal(history.add(driftReport({ modelId: 'a', evaluatedAt: now - 1000 })), true);
    assert.equal(history.add(driftReport({ modelId: 'b', evaluatedAt: now - HOUR / 2 })), true);
    now += HOUR / 2 + 1;
    assert.deepEqual(history.models().map((m) => m.modelId), ['a'], 'b aged out entirely');
    now += HOUR;
    assert.deepEqual(history.models(), []);
    assert.equal(history.reports('a'), undefined);
    assert.equal(history.bytes(), 0, 'nothing held, nothing counted');
  });

  test('orders out-of-order arrivals by evaluatedAt and filters by since', () => {
    const history = new ReportHistory(limits(), () => 5000);
    for (const t of [3000, 1000, 4000, 2000]) history.add(driftReport({ modelId: 'a', evaluatedAt: t }));
    assert.deepEqual(heldTimes(history, 'a'), [1000, 2000, 3000, 4000]);
    assert.deepEqual(history.reports('a', 2500)!.reports.map((r) => r.evaluatedAt), [3000, 4000]);
    assert.deepEqual(history.series('a', 2500)!.evaluatedAt, [3000, 4000]);
  });

  test('a report read twice is kept once', () => {
    const history = new ReportHistory(limits(), () => 5000);
    const report = driftReport({ modelId: 'a', evaluatedAt: 3000 });
    assert.equal(history.add(report), true);
    history.add(driftReport({ modelId: 'a', evaluatedAt: 3000 }));
    assert.equal(history.add({ ...report }), false);
    assert.equal(history.reports('a')!.reports.length, 2);
  });

  test('summarizes each model by its latest report, whatever the arrival order', () => {
    const history = new ReportHistory(limits(), () => 5000);
    history.add(driftReport({ modelId: 'm', evaluatedAt: 2000, stuck: ['worst_radius'] }));
    history.add(driftReport({ modelId: 'm', evaluatedAt: 1000 }));
    const [summary] = history.models();
    assert.equal(summary.modelId, 'm');
    assert.equal(summary.status, 'RED');
    assert.match(summary.reason, /worst_radius/);
    assert.equal(summary.evaluatedAt, 2000);
    assert.equal(summary.reports, 2);
    assert.deepEqual(history.histories()[0].summary, summary);
  });

  test('over the byte budget, older full reports go first, each model keeping its latest; every point stays', () => {
    const report = (modelId: string, evaluatedAt: number) => engineSizedReport({ modelId, evaluatedAt });
    const probe = new ReportHistory(limits(), () => 100_000);
    probe.add(report('x', 1));
    const perReport = probe.bytes();
    const history = new ReportHistory(limits({ maxBytes: 10 * perReport }), () => 100_000);
    for (let i = 1; i <= 20; i++) {
      history.add(report('a', i * 1000));
      history.add(report('b', i * 1000 + 500));
    }
    assert.ok(history.bytes() <= 10 * perReport, `${history.bytes()} bytes held, budget ${10 * perReport}`);
    assert.equal(history.size(), 40, 'every point is kept');
    const heldA = heldTimes(history, 'a')!;
    const heldB = heldTimes(history, 'b')!;
    assert.equal(heldA.at(-1), 20_000, "a's latest is held");
    assert.equal(heldB.at(-1), 20_500, "b's latest is held");
    assert.ok(heldA.length + heldB.length < 40 && heldA.length > 1, `full reports held: ${heldA.length} + ${heldB.length}`);
    assert.deepEqual(heldA, heldA.slice().sort((x, y) => x - y));
    assert.equal(history.reports('a')!.heldSince, heldA[0], 'the response says from when full reports are held');
    assert.ok(heldA[0] > 1000, 'the oldest went first');
    assert.equal(history.fullReports(), heldA.length + heldB.length);
  });

  test('when points alone exceed the budget, the longest timeline loses its oldest points, never a latest report', () => {
    const history = new ReportHistory(limits({ maxBytes: 200_000 }), () => 10 * HOUR);
    for (let i = 0; i < 300; i++) history.add(engineSizedReport({ modelId: 'busy', evaluatedAt: 9 * HOUR + i * 1000 }));
    history.add(engineSizedReport({ modelId: 'quiet', evaluatedAt: 9 * HOUR }));
    assert.ok(history.bytes() <= 200_000, `${history.bytes()} bytes held`);
    assert.equal(history.series('quiet')!.evaluatedAt.length, 1);
    const busy = history.series('busy')!.evaluatedAt;
    assert.ok(busy.length < 300 && busy.length > 1, `${busy.length} points of busy kept`);
    assert.equal(busy.at(-1), 9 * HOUR + 299_000, 'the newest kept');
    assert.equal(heldTimes(history, 'busy')!.at(-1), busy.at(-1));
  });

  test('the version changes when the history does, and not otherwise', () => {
    let now = 10_000;
    const history = new ReportHistory(limits({ maxAgeMs: 5000 }), () => now);
    const v0 = history.version;
    history.add(driftReport({ modelId: 'a', evaluatedAt: 9000 }));
    const v1 = history.version;
    assert.notEqual(v1, v0);
    history.histories();
    assert.equal(history.version, v1, 'reading changes nothing');
    now = 20_000;
    history.prune();
    assert.notEqual(history.version, v1, 'aging out is a change');
  });
});
