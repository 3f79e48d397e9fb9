/** The page's report store: ordered per model, no duplicates after a reconnect's replay, bounded. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ReportStore } from '../../../dashboard/src/report-store.ts';
import { driftReport } from '../../support/drift-reports.ts';

describe('ReportStore', () => {
  test('orders by evaluatedAt, ignores replays, reports which models changed', () => {
    const store = new ReportStore(10);
    const a1 = driftReport({ modelId: 'a', evaluatedAt: 1000 });
    const a2 = driftReport({ modelId: 'a', evaluatedAt: 2000 });
    const b1 = driftReport({ modelId: 'b', evaluatedAt: 1500 });
    assert.deepEqual([...store.add([a2, b1, a1])].sort(), ['a', 'b']);
    assert.deepEqual(store.reports('a').map((r) => r.evaluatedAt), [1000, 2000]);
    assert.equal(store.add([a1, a2, b1]).size, 0, 'a replayed history changes nothing');
    assert.equal(store.latest('a'), a2);
    assert.deepEqual(store.models(), ['a', 'b']);
  });

  test('keeps at most maxPerModel reports per model', () => {
    const store = new ReportStore(3);
    for (let i = 0; i < 6; i++) store.add([driftReport({ modelId: 'a', evaluatedAt: i * 1000 })]);
    assert.deepEqual(store.reports('a').map((r) => r.evaluatedAt), [3000, 4000, 5000]);
  });
});
