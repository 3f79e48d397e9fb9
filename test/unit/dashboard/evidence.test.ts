/** What the dashboard derives from reports: since when, chart series, histogram shares, tile figures. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { featureSeries, formatNumber, histogramSteps, opsSeries, P_FLOOR, statusSince, tileFigures } from '../../../dashboard/src/evidence.ts';
import { driftReport } from '../../support/drift-reports.ts';

const at = (s: number, stuck: string[] = []) => driftReport({ modelId: 'm', evaluatedAt: s * 1000, stuck, seed: s });

describe('dashboard evidence', () => {
  test('statusSince is the start of the latest unbroken run of the current status', () => {
    const reports = [at(1, ['worst_radius']), at(2), at(3, ['worst_radius']), at(4, ['worst_radius'])];
    assert.equal(statusSince(reports, (r) => r.status), 3000);
    assert.equal(statusSince(reports, (r) => r.features.find((f) => f.name === 'mean_radius')?.status), 1000);
    assert.equal(statusSince([], (r) => r.status), undefined);
  });

  test('featureSeries gives seconds, adjusted p-values floored for the log axis, and both thresholds', () => {
    const series = featureSeries([at(1), at(2, ['worst_radius'])], 'worst_radius');
    assert.deepEqual(series.time, [1, 2]);
    assert.equal(series.testName, 'ks');
    assert.ok(series.pValue[0]! > 0.05);
    assert.equal(series.pValue[1], P_FLOOR, '1e-40 × 30 is shown at the floor');
    assert.deepEqual(series.alpha, [0.05, 0.05]);
    assert.deepEqual(series.psi.map((v) => v! > 0.25), [false, true]);
    assert.deepEqual(series.psiThreshold, [0.25, 0.25]);
    assert.deepEqual(featureSeries([at(1)], 'no_such_feature').pValue, [null]);
  });

  test('histogramSteps turns counts into shares on the bin edges, last share repeated', () => {
    const f = at(1).features[0];
    f.histogram = { edges: [0, 1, 2, 3], reference: [1, 2, 1], current: [0, 0, 0] };
    const steps = histogramSteps(f);
    assert.deepEqual(steps.edges, [0, 1, 2, 3]);
    assert.deepEqual(steps.reference, [0.25, 0.5, 0.25, 0.25]);
    assert.deepEqual(steps.current, [0, 0, 0, 0], 'an empty side stays at zero');
  });

  test('opsSeries and tile figures', () => {
    const ops = opsSeries([at(1), at(2)]);
    assert.deepEqual(ops.time, [1, 2]);
    assert.equal(ops.p95.length, 2);
    assert.ok(ops.eventsPerSecond.every((v) => v > 300));
    assert.equal(tileFigures(at(1, ['worst_radius']).features.find((f) => f.name === 'worst_radius')!), 'D 0.97 · PSI 4.8');
    assert.equal(formatNumber(null), '–');
    assert.equal(formatNumber(0.00001), '1.0e-5');
  });
});
