import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assessReport, restoreIncident, RetrainTrigger, DEFAULT_RETRAIN_POLICY } from '../../../pipeline/retrain/retrain-policy.ts';
import { dataDriftReport, feature, report } from '../notify/fixtures.ts';

const policy = { ...DEFAULT_RETRAIN_POLICY, consecutive: 3 };
const perf = (accuracy: number, labeled: number) => ({ labeled, accuracy, precision: null, recall: null, referenceAccuracy: 0.93, status: 'RED' as const, reason: '' });

describe('retraining policy', () => {
  test('DATA_DRIFT: RED with a drifted RED feature; not a missing-value burst, not AMBER', () => {
    assert.equal(assessReport(dataDriftReport('m'), policy)?.rule, 'DATA_DRIFT');
    assert.deepEqual(assessReport(dataDriftReport('m'), policy)?.driftedFeatures, ['a']);
    const nanBurst = report('m', 'RED', { features: [feature('a', { status: 'RED', drifted: true, missingShare: 0.3 })] });
    assert.equal(assessReport(nanBurst, policy), null);
    const amber = report('m', 'AMBER', { features: [feature('a', { status: 'AMBER', drifted: true })] });
    assert.equal(assessReport(amber, policy), null);
    const dataset = report('m', 'RED', { dataset: { drifted: 2, total: 2, share: 1, threshold: 0.5, detected: true, correction: 'bh' } });
    assert.equal(assessReport(dataset, policy)?.rule, 'DATA_DRIFT');
    assert.equal(assessReport(dataDriftReport('m'), { ...policy, onDataDrift: false }), null);
  });

  test('ACCURACY_DROP: below the reference by the margin, only with enough labels', () => {
    assert.equal(assessReport(report('m', 'AMBER', { performance: perf(0.8, 500) }), policy)?.rule, 'ACCURACY_DROP');
    assert.match(assessReport(report('m', 'AMBER', { performance: perf(0.8, 500) }), policy)!.reason, /80\.0% vs reference 93\.0% over 500/);
    assert.equal(assessReport(report('m', 'AMBER', { performance: perf(0.8, 100) }), policy), null, 'too few labels');
    assert.equal(assessReport(report('m', 'AMBER', { performance: perf(0.88, 500) }), policy), null, 'within the margin');
  });

  test('k consecutive evaluations, once per incident; a broken run starts the count again; GREEN re-arms', () => {
    const t = new RetrainTrigger(policy);
    const fired = (r: ReturnType<typeof report>) => t.onReport(r) !== null;
    const first = dataDriftReport('m');
    assert.deepEqual([first, dataDriftReport('m'), report('m', 'RED'), dataDriftReport('m'), dataDriftReport('m')].map(fired), [false, false, false, false, false]);
    const third = dataDriftReport('m');
    const decision = t.onReport(third)!;
    assert.equal(decision.incidentId, first.reportId, 'the incident is named by the report that opened it');
    assert.equal(decision.consecutive, 3);
    assert.deepEqual(Array.from({ length: 5 }, () => fired(dataDriftReport('m'))), [false, false, false, false, false], 'once per incident');
    assert.equal(fired(report('m', 'GREEN')), false);
    assert.deepEqual([1, 2, 3].map(() => fired(dataDriftReport('m'))), [false, false, true], 'a new incident');
    assert.equal(new RetrainTrigger({ ...policy, enabled: false }).onReport(dataDriftReport('x')), null);
  });

  test('a restart recovers the incident from the alerts and the last request: no second request, a new incident gets one', () => {
    const opening = dataDriftReport('m');
    const alerts = [
      { status: 'AMBER', previousStatus: 'GREEN', raisedAt: opening.evaluatedAt, reportId: opening.reportId },
      { status: 'RED', previousStatus: 'AMBER', raisedAt: opening.evaluatedAt + 1, reportId: 'later' },
    ];
    const next = dataDriftReport('m');
    assert.deepEqual(restoreIncident(next, alerts, opening.reportId), { incidentId: opening.reportId, requested: true });
    assert.deepEqual(restoreIncident(next, alerts, 'older-incident'), { incidentId: opening.reportId, requested: false });
    const ended = [...alerts, { status: 'GREEN', previousStatus: 'RED', raisedAt: opening.evaluatedAt + 2, reportId: 'g' }];
    assert.deepEqual(restoreIncident(next, ended, opening.reportId), { incidentId: next.reportId, requested: false }, 'GREEN since: a new incident');

    const restarted = new RetrainTrigger(policy, (r) => restoreIncident(r, alerts, opening.reportId));
    assert.deepEqual([1, 2, 3, 4].map(() => restarted.onReport(dataDriftReport('m'))), [null, null, null, null]);
  });
});
