import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { IncidentTracker } from '../../../pipeline/notify/incidents.ts';
import { reportAlerts } from './fixtures.ts';

const ops = { name: 'ops', models: ['*'], minStatus: 'AMBER' as const };
const team = { name: 'team', models: ['fraud-*'], minStatus: 'RED' as const };

const summary = (ns: ReturnType<IncidentTracker['apply']>) => ns.map((n) => `${n.destination}:${n.event}:${n.alert.status}`);

describe('IncidentTracker', () => {
  test('one notification per incident per destination, one when GREEN again', () => {
    const t = new IncidentTracker([ops]);
    const open = reportAlerts('m', ['GREEN', 'AMBER'], [['x', 'GREEN', 'AMBER']]);
    const first = t.apply(open);
    assert.deepEqual(summary(first), ['ops:opened:AMBER']);
    assert.equal(first[0].incidentId, open[0].reportId);
    assert.deepEqual(first[0].features.map((f) => f.name), ['x']);
    assert.deepEqual(summary(t.apply(reportAlerts('m', ['AMBER', 'RED'], [['y', 'GREEN', 'RED']]))), [], 'escalation: already told');
    assert.deepEqual(summary(t.apply(reportAlerts('m', null, [['z', 'GREEN', 'AMBER']]))), [], 'feature-only changes: silent');
    const resolved = t.apply(reportAlerts('m', ['RED', 'GREEN'], [['x', 'AMBER', 'GREEN'], ['y', 'RED', 'GREEN'], ['z', 'AMBER', 'GREEN']]));
    assert.deepEqual(summary(resolved), ['ops:resolved:GREEN']);
    assert.equal(resolved[0].incidentId, first[0].incidentId);
    assert.equal(resolved[0].deliveryId, `${first[0].incidentId}:resolved`);
    assert.deepEqual(resolved[0].features, []);
    const again = t.apply(reportAlerts('m', ['GREEN', 'RED']));
    assert.notEqual(again[0].incidentId, first[0].incidentId, 'a new incident');
  });

  test('routes by glob and minimum status: a RED-only destination hears the escalation, and the end', () => {
    const t = new IncidentTracker([ops, team]);
    assert.deepEqual(summary(t.apply(reportAlerts('fraud-1', ['GREEN', 'AMBER']))), ['ops:opened:AMBER']);
    const escalated = t.apply(reportAlerts('fraud-1', ['AMBER', 'RED']));
    assert.deepEqual(summary(escalated), ['team:opened:RED']);
    assert.equal(escalated[0].alert.previousStatus, 'AMBER');
    assert.deepEqual(summary(t.apply(reportAlerts('fraud-1', ['RED', 'GREEN']))), ['ops:resolved:GREEN', 'team:resolved:GREEN']);
    assert.deepEqual(summary(t.apply(reportAlerts('other', ['GREEN', 'RED']))), ['ops:opened:RED'], 'team only hears fraud-*');
  });

  test('an AMBER incident that never reached a RED-only destination ends silently for it', () => {
    const t = new IncidentTracker([team]);
    assert.deepEqual(summary(t.apply(reportAlerts('fraud-2', ['GREEN', 'AMBER']))), []);
    assert.deepEqual(summary(t.apply(reportAlerts('fraud-2', ['AMBER', 'GREEN']))), []);
  });

  test('an unknown status (e.g. STALE) opens an incident with AMBER severity and keeps its name', () => {
    const t = new IncidentTracker([ops, team]);
    const ns = t.apply(reportAlerts('fraud-3', ['GREEN', 'STALE']));
    assert.deepEqual(summary(ns), ['ops:opened:STALE']);
  });

  test('models are independent, and replaying the same alerts rebuilds the same state', () => {
    const history = [
      reportAlerts('m1', ['GREEN', 'RED']),
      reportAlerts('m2', ['GREEN', 'AMBER']),
      reportAlerts('m1', ['RED', 'GREEN']),
    ];
    const next = reportAlerts('m2', ['AMBER', 'GREEN']);
    const live = new IncidentTracker([ops]);
    const restarted = new IncidentTracker([ops]);
    for (const g of history) {
      live.apply(g);
      restarted.apply(g);
    }
    assert.deepEqual(restarted.apply(next), live.apply(next));
    assert.deepEqual(summary(new IncidentTracker([ops]).apply(next)), [], 'without the history, the end of an unknown incident is silent');
  });
});
