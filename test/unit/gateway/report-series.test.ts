/** The projection of a report to what the charts draw, and its column form on the wire. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { drawn, reportPoint } from '../../../services/gateway/report-point.ts';
import { fromColumns, toColumns } from '../../../services/gateway/report-series.ts';
import { driftReport } from '../../support/drift-reports.ts';
import { engineSizedReport } from '../../support/engine-sized-report.ts';

describe('report points', () => {
  test('a point keeps what is drawn over time: status, p95, throughput, and per feature its primary test and PSI', () => {
    const report = driftReport({ modelId: 'm', evaluatedAt: 5000, stuck: ['worst_radius'] });
    const point = reportPoint(report);
    assert.equal(point.evaluatedAt, 5000);
    assert.equal(point.status, 'RED');
    assert.equal(point.p95, drawn(report.latency.p95));
    assert.equal(point.eventsPerSecond, drawn(report.throughput.eventsPerSecond));
    const stuck = point.features.find((f) => f.name === 'worst_radius')!;
    const ks = report.features.find((f) => f.name === 'worst_radius')!.tests[0];
    assert.deepEqual(stuck, { name: 'worst_radius', status: 'RED', test: 'ks', p: drawn(ks.adjustedPValue), alpha: 0.05, psi: 4.8, psiThreshold: 0.25 });
    assert.equal(point.features.length, report.features.length);
  });

  test('drawn values have 4 significant digits; what JSON cannot carry is null', () => {
    assert.equal(drawn(0.123456789), 0.1235);
    assert.equal(drawn(1.23456e-40), 1.235e-40);
    assert.equal(drawn(12345.678), 12350);
    assert.equal(drawn(Number.NaN), null);
    assert.equal(drawn(Number.POSITIVE_INFINITY), null);
    assert.equal(drawn(null), null);
  });

  test('columns round-trip to the same points, with only the features asked for', () => {
    const reports = [1000, 2000, 3000].map((t, i) => engineSizedReport({ modelId: 'm', evaluatedAt: t, stuck: i === 2 ? ['mean_area'] : [] }));
    const points = reports.map(reportPoint);
    const columns = JSON.parse(JSON.stringify(toColumns('m', points, ['mean_area', 'worst_radius'])));
    assert.deepEqual(columns.evaluatedAt, [1000, 2000, 3000]);
    assert.deepEqual(columns.status, ['GREEN', 'GREEN', 'RED']);
    const back = fromColumns(columns);
    assert.deepEqual(
      back,
      points.map((p) => ({ ...p, features: p.features.filter((f) => f.name === 'mean_area' || f.name === 'worst_radius') })),
    );
    assert.deepEqual(fromColumns(toColumns('m', points)).map((p) => p.features), [[], [], []], 'no features unless asked');
  });

  test('a feature missing from some reports is null there and absent from those points', () => {
    const with_ = reportPoint(driftReport({ modelId: 'm', evaluatedAt: 1 }));
    const without = { ...reportPoint(driftReport({ modelId: 'm', evaluatedAt: 2 })), features: [] };
    const columns = toColumns('m', [with_, without], ['mean_area']);
    assert.deepEqual(columns.features[0].status, ['GREEN', null]);
    assert.deepEqual(fromColumns(columns).map((p) => p.features.length), [1, 0]);
  });

  test('an hour of one model (720 engine-sized reports) is small without features, and one feature adds little', (t) => {
    const points = Array.from({ length: 720 }, (_, i) => reportPoint(engineSizedReport({ modelId: 'm', evaluatedAt: 1.7e12 + i * 5000 })));
    const bare = JSON.stringify(toColumns('m', points)).length;
    const oneFeature = JSON.stringify(toColumns('m', points, ['worst_radius'])).length - bare;
    const full = JSON.stringify(engineSizedReport({ modelId: 'm' })).length;
    t.diagnostic(`720 points: ${bare} bytes without features, +${oneFeature} bytes per feature; one full report: ${full} bytes`);
    assert.ok(bare < 30_000, `720 points without features: ${bare} bytes`);
    assert.ok(oneFeature < 40_000, `one feature's columns: ${oneFeature} bytes`);
    assert.ok(bare < full, `720 points (${bare} bytes) are smaller than one full report (${full} bytes)`);
  });
});
