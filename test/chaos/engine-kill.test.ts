/**
 * `kill -9` of the engine ten times, at random moments, while one of two
 * models drifts: after each kill a new engine (same group, same host) is
 * started at once. Each new engine reports within the target (2 intervals +
 * 5 s of its start), no alert is raised twice, every event is counted in
 * exactly one report, and every report after a restart has a full window.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TOPICS } from '../../services/kafka/topics.ts';
import type { DriftReport } from '../../pipeline/serde/drift-report.ts';
import type { Alert } from '../../pipeline/serde/alert.ts';
import { testCluster, unique } from '../support/cluster.ts';
import { TopicReader } from '../support/topic-reader.ts';
import { Traffic, assertNoRepeatedAlert, engine, killHard, longestGap, reportedEvents } from '../support/chaos.ts';
import type { AegisChild } from '../support/aegis-child.ts';

const INTERVAL_S = 5;
const KILLS = 10;
const TARGET_MS = 2 * INTERVAL_S * 1000 + 5000;

describe('chaos: engine kill -9 ×10 during a drift', () => {
  const cluster = testCluster();
  const run = unique('kill');
  const calm = `${run}-calm`;
  const drift = `${run}-drift`;
  const group = unique('kill-engine');
  const traffic = new Traffic(cluster);
  let eng: AegisChild | undefined;
  let reports: TopicReader<DriftReport>;
  let alerts: TopicReader<Alert>;

  before(async () => {
    await traffic.start([calm, drift]);
    reports = await new TopicReader<DriftReport>(TOPICS.driftReports, new Set([calm, drift])).start();
    alerts = await new TopicReader<Alert>(TOPICS.alerts, new Set([calm, drift])).start();
  });

  after(async () => {
    await traffic.stop();
    await eng?.stop();
    await reports?.stop();
    await alerts?.stop();
  });

  test('no gap above 2 intervals + 5 s, no repeated alert, counts exact', async () => {
    eng = engine(cluster, group, INTERVAL_S);
    await eng.waitFor(/assigned partitions ready/, 90_000);
    traffic.steady([calm, drift], 100);
    await reports.waitFor('first reports', (rs) => rs.some((r) => r.value.modelId === calm), 60_000);
    const started = Date.now();
    const recoveries: number[] = [];
    for (let k = 0; k < KILLS; k++) {
      if (k === 3) traffic.drifting.add(drift);
      if (k === 7) traffic.drifting.delete(drift);
      await new Promise((r) => setTimeout(r, 1000 + Math.random() * 2 * INTERVAL_S * 1000));
      await killHard(eng);
      const killedAt = Date.now();
      eng = engine(cluster, group, INTERVAL_S);
      await reports.waitFor(`a report after kill ${k + 1}`, (rs) => rs.some((r) => r.value.evaluatedAt > killedAt), 60_000);
      recoveries.push(Math.min(...reports.values().filter((r) => r.evaluatedAt > killedAt).map((r) => r.evaluatedAt)) - killedAt);
    }
    await new Promise((r) => setTimeout(r, 2 * INTERVAL_S * 1000));
    await traffic.stopSteady();
    for (const m of [calm, drift]) {
      await reports.waitFor(`all events of ${m} reported`, () => reportedEvents(reports.values(), m) >= traffic.sent.get(m)!, 60_000);
    }
    await new Promise((r) => setTimeout(r, 2 * INTERVAL_S * 1000));

    for (const m of [calm, drift]) {
      assert.equal(reportedEvents(reports.values(), m), traffic.sent.get(m), `${m}: events counted in exactly one report`);
    }
    const gaps = [calm, drift].map((m) => longestGap(reports.values(), m, started));
    for (const r of recoveries) assert.ok(r <= TARGET_MS, `a first report ${r} ms after the restart (target ${TARGET_MS})`);
    const mine = alerts.values();
    assertNoRepeatedAlert(mine);
    assert.ok(mine.some((a) => a.modelId === drift && a.scope === 'MODEL' && a.status === 'RED'), 'the drift was alerted');
    const rates = reports.values().filter((r) => r.modelId === calm && r.evaluatedAt > started).map((r) => r.throughput.eventsPerSecond);
    for (const rate of rates) assert.ok(rate < 100 * 1.6, `a rate of ${rate.toFixed(0)}/s for 100/s sent`);
    const full = reports.values().filter((r) => r.evaluatedAt > started).every((r) => r.eventCount === 500 || r.status === 'STALE');
    assert.ok(full, 'every report after a restart has a full window');
    console.log(`[chaos] ${KILLS} kills: first report ${Math.min(...recoveries)}–${Math.max(...recoveries)} ms after the kill and restart (target ${TARGET_MS}); longest gap between reports ${Math.max(...gaps)} ms; ${traffic.sent.get(calm)! + traffic.sent.get(drift)!} events counted exactly; ${mine.length} alerts, none repeated; rates ${Math.min(...rates).toFixed(0)}–${Math.max(...rates).toFixed(0)}/s`);
  });
});
