/** The gateway's history keeps the last hour and the last N reports per model, in evaluatedAt order. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ReportHistory } from '../../../services/gateway/report-history.ts';
import { driftReport } from '../../support/drift-reports.ts';

const HOUR = 3_600_000;

describe('ReportHistory', () => {
  test('keeps at most maxPerModel reports per model, dropping the oldest', () => {
    const now = 10 * HOUR;
    const history = new ReportHistory({ maxAgeMs: HOUR, maxPerModel: 3 }, () => now);
    for (let i = 0; i < 5; i++) history.add(driftReport({ modelId: 'a', evaluatedAt: now - 5000 + i * 1000 }));
    history.add(driftReport({ modelId: 'b', evaluatedAt: now }));
    assert.deepEqual(history.reports('a')!.map((r) => r.evaluatedAt), [now - 3000, now - 2000, now - 1000]);
    assert.equal(history.reports('b')!.length, 1);
    assert.equal(history.size(), 4);
  });

  test('refuses reports older than maxAgeMs and forgets them as time passes', () => {
    let now = 10 * HOUR;
    const history = new ReportHistory({ maxAgeMs: HOUR, maxPerModel: 100 }, () => now);
    assert.equal(history.add(driftReport({ modelId: 'a', evaluatedAt: now - HOUR - 1 })), false);
    assert.equal(history.add(driftReport({ modelId: 'a', evaluatedAt: now - 1000 })), true);
    assert.equal(history.add(driftReport({ modelId: 'b', evaluatedAt: now - HOUR / 2 })), true);
    now += HOUR / 2 + 1;
    assert.deepEqual(history.models().map((m) => m.modelId), ['a'], 'b aged out entirely');
    now += HOUR;
    assert.deepEqual(history.models(), []);
    assert.equal(history.reports('a'), undefined);
  });

  test('orders out-of-order arrivals by evaluatedAt and filters by since', () => {
    const history = new ReportHistory({ maxAgeMs: HOUR, maxPerModel: 100 }, () => 5000);
    for (const t of [3000, 1000, 4000, 2000]) history.add(driftReport({ modelId: 'a', evaluatedAt: t }));
    assert.deepEqual(history.reports('a')!.map((r) => r.evaluatedAt), [1000, 2000, 3000, 4000]);
    assert.deepEqual(history.reports('a', 2500)!.map((r) => r.evaluatedAt), [3000, 4000]);
  });

  test('a report read twice is kept once', () => {
    const history = new ReportHistory({ maxAgeMs: HOUR, maxPerModel: 100 }, () => 5000);
    const report = driftReport({ modelId: 'a', evaluatedAt: 3000 });
    assert.equal(history.add(report), true);
    history.add(driftReport({ modelId: 'a', evaluatedAt: 3000 }));
    assert.equal(history.add({ ...report }), false);
    assert.equal(history.reports('a')!.length, 2);
  });

  test('summarizes each model by its latest report', () => {
    const history = new ReportHistory({ maxAgeMs: HOUR, maxPerModel: 100 }, () => 5000);
    history.add(driftReport({ modelId: 'm', evaluatedAt: 1000 }));
    history.add(driftReport({ modelId: 'm', evaluatedAt: 2000, stuck: ['worst_radius'] }));
    const [summary] = history.models();
    assert.equal(summary.modelId, 'm');
    assert.equal(summary.status, 'RED');
    assert.match(summary.reason, /worst_radius/);
    assert.equal(summary.evaluatedAt, 2000);
    assert.equal(summary.reports, 2);
  });
});
