/**
 * The page's store: the websocket's history replaces it; live reports add
 * points (with every feature) and the latest full report; fetched feature
 * points join the points of the same time; bounded per model.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ReportStore } from '../../../dashboard/src/report-store.ts';
import { ReportHistory } from '../../../services/gateway/report-history.ts';
import { driftReport } from '../../support/drift-reports.ts';
import type { DriftReport } from '../../../pipeline/serde/drift-report.ts';

const HOUR = 3_600_000;

/** The gateway side: a history holding `reports`. */
function gatewayHistory(reports: DriftReport[]): ReportHistory {
  const history = new ReportHistory({ maxAgeMs: HOUR, maxPerModel: 100, maxBytes: 1 << 30 }, () => 10_000);
  for (const r of reports) history.add(r);
  return history;
}

describe('ReportStore', () => {
  test('a history gives each model its summary and points, but no full report until one is added', () => {
    const a1 = driftReport({ modelId: 'a', evaluatedAt: 1000 });
    const a2 = driftReport({ modelId: 'a', evaluatedAt: 2000, stuck: ['worst_radius'] });
    const b1 = driftReport({ modelId: 'b', evaluatedAt: 1500 });
    const history = gatewayHistory([a1, a2, b1]);
    const store = new ReportStore(10);
    store.setHistory(JSON.parse(JSON.stringify(history.histories())));
    assert.deepEqual(store.models(), ['a', 'b']);
    assert.equal(store.summary('a')?.status, 'RED');
    assert.deepEqual(store.points('a').map((p) => [p.evaluatedAt, p.status]), [
      [1000, 'GREEN'],
      [2000, 'RED'],
    ]);
    assert.equal(store.latest('a'), undefined);
    assert.equal(store.addReport(a2), true, 'the fetched latest report');
    assert.equal(store.latest('a'), a2);
    assert.equal(store.points('a').length, 2, 'it joins its point, it does not add one');
    assert.equal(store.addReport(a2), false, 'the same again changes nothing');
  });

  test('fetched feature points join the points of the same time; a live report brings all its features', () => {
    const reports = [1000, 2000, 3000].map((t, i) => driftReport({ modelId: 'a', evaluatedAt: t, stuck: i === 2 ? ['worst_radius'] : [] }));
    const history = gatewayHistory(reports);
    const store = new ReportStore(10);
    store.setHistory(history.histories());
    assert.equal(store.hasFeature('a', 'worst_radius'), false);
    store.addSeries(JSON.parse(JSON.stringify(history.series('a', -Infinity, ['worst_radius']))));
    assert.equal(store.hasFeature('a', 'worst_radius'), true);
    assert.deepEqual(
      store.points('a').map((p) => p.features.map((f) => `${f.name} ${f.status}`)),
      [['worst_radius GREEN'], ['worst_radius GREEN'], ['worst_radius RED']],
    );
    const live = driftReport({ modelId: 'a', evaluatedAt: 4000 });
    assert.equal(store.addReport(live), true);
    assert.equal(store.latest('a'), live);
    assert.equal(store.points('a').at(-1)?.features.length, live.features.length);
    assert.equal(store.summary('a')?.evaluatedAt, 4000);

    store.setHistory(history.histories());
    assert.equal(store.hasFeature('a', 'worst_radius'), false, 'a new history is fetched anew');
    assert.equal(store.latest('a'), undefined, 'its latest (3000) is not the report the page had (4000)');
  });

  test('an older report arriving late does not displace the latest', () => {
    const store = new ReportStore(10);
    const newer = driftReport({ modelId: 'a', evaluatedAt: 2000 });
    store.addReport(newer);
    store.addReport(driftReport({ modelId: 'a', evaluatedAt: 1000, stuck: ['worst_radius'] }));
    assert.equal(store.latest('a'), newer);
    assert.equal(store.summary('a')?.status, 'GREEN');
    assert.deepEqual(store.points('a').map((p) => p.evaluatedAt), [1000, 2000]);
  });

  test('keeps at most maxPerModel points per model', () => {
    const store = new ReportStore(3);
    for (let i = 0; i < 6; i++) store.addReport(driftReport({ modelId: 'a', evaluatedAt: i * 1000 }));
    assert.deepEqual(store.points('a').map((p) => p.evaluatedAt), [3000, 4000, 5000]);
  });
});
