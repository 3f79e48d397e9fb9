/**
 * The charts' y ranges, fed what uPlot feeds them. A log axis that starts at
 * 0 or below makes uPlot's log tick generator loop until "Invalid array
 * length"; the p-value chart gets no value at all when the shown feature is in
 * none of the page's points, as right after a reconnect whose history still
 * ends with the report the page holds.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { pValueRange, valueRange } from '../../../dashboard/src/charts.ts';
import { featureSeries } from '../../../dashboard/src/evidence.ts';
import { ReportStore } from '../../../dashboard/src/report-store.ts';
import { ReportHistory } from '../../../services/gateway/report-history.ts';
import { driftReport } from '../../support/drift-reports.ts';

/** The smallest non-null value, or null when there is none: uPlot's dataMin over a scale's series. */
function dataMin(...columns: (number | null)[][]): number | null {
  const values = columns.flat().filter((v): v is number => v !== null);
  return values.length ? Math.min(...values) : null;
}

function assertLogRange([min, max]: [number, number]): void {
  assert.ok(Number.isFinite(Math.log10(min)) && Number.isFinite(Math.log10(max)), `log10 of [${min}, ${max}] is finite`);
  assert.ok(min < max);
}

describe('dashboard chart ranges', () => {
  test('a reconnect whose history ends with the page’s latest report leaves the shown feature with no p-value, and the log axis still starts above 0', () => {
    const reports = [1, 2, 3].map((s) => driftReport({ modelId: 'm', evaluatedAt: s * 1000, seed: s }));
    const gateway = new ReportHistory({ maxAgeMs: 3_600_000, maxPerModel: 100, maxBytes: 1 << 30 }, () => 10_000);
    for (const r of reports) gateway.add(r);
    const history = () => JSON.parse(JSON.stringify(gateway.histories()));
    const store = new ReportStore(100);
    store.setHistory(history());
    store.addReport(reports[2]);
    assert.notEqual(dataMin(featureSeries(store.points('m'), 'mean_radius').pValue), null, 'before: the fetched latest report has the feature');

    store.setHistory(history());
    assert.equal(store.latest('m'), reports[2], 'the latest report is kept, so the page draws at once');
    const series = featureSeries(store.points('m'), 'mean_radius');
    const min = dataMin(series.pValue, series.alpha);
    assert.equal(min, null, 'no point has the feature until its series is fetched');
    assertLogRange(pValueRange(min));
  });

  test('the p-value axis reaches down to the smallest value and always shows alpha; never 0 or below', () => {
    assert.deepEqual(pValueRange(1e-12), [1e-12, 1]);
    assert.deepEqual(pValueRange(0.4), [1e-3, 1]);
    for (const min of [null, 0, -1]) assertLogRange(pValueRange(min));
  });

  test('a linear axis starts at 0 (or below it for negative values) with headroom above the largest value', () => {
    assert.deepEqual(valueRange(null, null), [0, 1]);
    assert.deepEqual(valueRange(2, 10), [0, 11]);
    assert.deepEqual(valueRange(-2, 0), [-2, 1]);
  });
});
