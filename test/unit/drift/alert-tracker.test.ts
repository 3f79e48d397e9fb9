import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AlertTracker } from '../../../pipeline/drift/alert-tracker.ts';
import type { DriftReport, FeatureReport, Status } from '../../../pipeline/serde/drift-report.ts';

function report(status: Status, features: Record<string, Status>, at = 1): DriftReport {
  return {
    reportId: `r${at}`,
    modelId: 'm',
    modelVersion: 'v',
    evaluatedAt: at,
    status,
    reason: status === 'GREEN' ? 'no drift' : 'something',
    features: Object.entries(features).map(([name, s]) => ({ name, status: s, reason: s === 'GREEN' ? '' : `${name} moved` }) as FeatureReport),
  } as DriftReport;
}

describe('AlertTracker', () => {
  test('one alert per change of state, not per evaluation', () => {
    let n = 0;
    const t = new AlertTracker(() => `a${++n}`);
    assert.deepEqual(t.update(report('GREEN', { x: 'GREEN', y: 'GREEN' }, 1)), []);
    const raised = t.update(report('RED', { x: 'RED', y: 'GREEN' }, 2));
    assert.deepEqual(
      raised.map((a) => [a.scope, a.feature, a.previousStatus, a.status, a.reportId]),
      [
        ['MODEL', null, 'GREEN', 'RED', 'r2'],
        ['FEATURE', 'x', 'GREEN', 'RED', 'r2'],
      ],
    );
    assert.equal(raised[1].reason, 'x moved');
    assert.deepEqual(t.update(report('RED', { x: 'RED', y: 'GREEN' }, 3)), [], 'no repeat while RED');
    const cleared = t.update(report('GREEN', { x: 'GREEN', y: 'GREEN' }, 4));
    assert.deepEqual(
      cleared.map((a) => [a.scope, a.previousStatus, a.status]),
      [
        ['MODEL', 'RED', 'GREEN'],
        ['FEATURE', 'RED', 'GREEN'],
      ],
    );
    assert.equal(new Set([...raised, ...cleared].map((a) => a.alertId)).size, 4);
  });

  test('a first report already RED raises; restored state is respected', () => {
    const t = new AlertTracker(() => 'id');
    t.restore({ modelId: 'm', scope: 'MODEL', feature: null, status: 'RED' });
    t.restore({ modelId: 'm', scope: 'FEATURE', feature: 'x', status: 'RED' });
    assert.deepEqual(t.update(report('RED', { x: 'RED' })), []);
    const fresh = new AlertTracker(() => 'id');
    assert.equal(fresh.update(report('AMBER', { x: 'AMBER' })).length, 2);
  });
});
