/** What the dashboard derives from reports: since when, chart series, histogram shares, tile figures. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { featureSeries, formatNumber, histogramSteps, opsSeries, P_FLOOR, statusSince, tileFigures } from '../../../dashboard/src/evidence.ts';
import { reportPoint } from '../../../services/gateway/report-point.ts';
import type { DriftReport } from '../../../pipeline/serde/drift-report.ts';
import { driftReport } from '../../support/drift-reports.ts';

const at = (s: number, stuck: string[] = []) => driftReport({ modelId: 'm', evaluatedAt: s * 1000, stuck, seed: s });
const pointAt = (s: number, stuck: string[] = []) => reportPoint(at(s, stuck));

describe('dashboard evidence', () => {
  test('statusSince is the start of the latest unbroken run of the current status', () => {
    const reports = [at(1, ['worst_radius']), at(2), at(3, ['worst_radius']), at(4, ['worst_radius'])];
    assert.equal(statusSince(reports, (r) => r.status), 3000);
    assert.equal(statusSince(reports, (r) => r.features.find((f) => f.name === 'mean_radius')?.status), 1000);
    assert.equal(statusSince([] as DriftReport[], (r) => r.status), undefined);
    const points = reports.map(reportPoint);
    assert.equal(statusSince(points, (p) => p.features.find((f) => f.name === 'worst_radius')?.status), 3000, 'the same over points');
  });

  test('featureSeries gives seconds, adjusted p-values floored for the log axis, and both thresholds', () => {
    const series = featureSeries([pointAt(1), pointAt(2, ['worst_radius'])], 'worst_radius');
    assert.deepEqual(series.time, [1, 2]);
    assert.equal(series.testName, 'ks');
    assert.ok(series.pValue[0]! > 0.05);
    assert.equal(series.pValue[1], P_FLOOR, '1e-40 × 30 is shown at the floor');
    assert.deepEqual(series.alpha, [0.05, 0.05]);
    assert.deepEqual(series.psi.map((v) => v! > 0.25), [false, true]);
    assert.deepEqual(series.psiThreshold, [0.25, 0.25]);
    assert.deepEqual(featureSeries([pointAt(1)], 'no_such_feature').pValue, [null]);
    assert.deepEqual(featureSeries([{ ...pointAt(1), features: [] }], 'worst_radius').psi, [null], 'a point without its features yet draws a gap');
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
    const ops = opsSeries([pointAt(1), pointAt(2)]);
    assert.deepEqual(ops.time, [1, 2]);
    assert.deepEqual(ops.p95, [at(1), at(2)].map((r) => Number(r.latency.p95.toPrecision(4))));
    assert.ok(ops.eventsPerSecond.every((v) => v! > 300));
    assert.equal(tileFigures(at(1, ['worst_radius']).features.find((f) => f.name === 'worst_radius')!), 'D 0.97 · PSI 4.8');
    assert.equal(formatNumber(null), '–');
    assert.equal(formatNumber(0.00001), '1.0e-5');
  });
});
