/**
 * The streaming pipeline end to end on the real broker and registry, driven
 * through the CLI as a user would: `aegis train`, `aegis engine`, and
 * `aegis produce` with healthy traffic, a stuck sensor and a NaN burst, each
 * as its own model; plus garbage on the inference topic.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { TOPICS } from '../../services/kafka/topics.ts';
import { ensureTopics } from '../../services/kafka/topic-setup.ts';
import type { DriftReport } from '../../pipeline/serde/drift-report.ts';
import type { DeadLetter } from '../../pipeline/serde/dead-letter.ts';
import type { InferenceEvent } from '../../pipeline/serde/inference-event.ts';
import type { Alert } from '../../pipeline/serde/alert.ts';
import { testCluster, unique } from '../support/cluster.ts';
import { AegisChild } from '../support/aegis-child.ts';
import { TopicReader } from '../support/topic-reader.ts';

const INTERVAL_S = 2;
const RATE = 400;
const FAIL_AFTER = 2000;

describe('drift engine on the real stack', () => {
  const cluster = testCluster();
  const env = { KAFKA_BROKERS: cluster.brokers.join(','), SCHEMA_REGISTRY_URL: cluster.schemaRegistryUrl, AEGIS_LOG_LEVEL: 'info' };
  const artifacts = mkdtempSync(join(tmpdir(), 'aegis-engine-test-'));
  const run = unique('t');
  const healthy = `${run}-healthy`;
  const stuck = `${run}-stuck`;
  const nan = `${run}-nan`;
  const concept = `${run}-concept`;
  const models = new Set([healthy, stuck, nan, concept]);
  const processes: AegisChild[] = [];
  let reports: TopicReader<DriftReport>;
  let alerts: TopicReader<Alert>;
  let deadLetters: TopicReader<DeadLetter>;
  let stuckEvents: TopicReader<InferenceEvent>;

  const forModel = (id: string) => reports.values().filter((r) => r.modelId === id);

  before(async () => {
    const admin = new Kafka({ clientId: 'setup', brokers: cluster.brokers, logLevel: logLevel.ERROR }).admin();
    await admin.connect();
    await ensureTopics(admin);
    await admin.disconnect();
    for (const model of models) {
      const train = new AegisChild(['train', '--artifacts', artifacts, '--model', model], env);
      assert.equal(await train.exited, 0, train.tail());
    }
    reports = await new TopicReader<DriftReport>(TOPICS.driftReports, models).start();
    alerts = await new TopicReader<Alert>(TOPICS.alerts, models).start();
    deadLetters = await new TopicReader<DeadLetter>(TOPICS.deadLetter, new Set([`${run}-garbage`])).start();
    stuckEvents = await new TopicReader<InferenceEvent>(TOPICS.inference, new Set([stuck])).start();

    const engine = new AegisChild(['engine', '--interval', String(INTERVAL_S), '--window', '1000', '--group', unique('engine')], env);
    processes.push(engine);
    await engine.waitFor(/engine started/, 60_000);
    await new Promise((r) => setTimeout(r, 3000)); // the group's partitions are assigned

    const produce = (model: string, extra: string[]) =>
      processes.push(
        new AegisChild(['produce', '--artifacts', artifacts, '--model', model, '--rate', String(RATE), '--label-delay', '0', ...extra], env),
      );
    produce(healthy, ['--count', String(RATE * 14)]);
    produce(stuck, ['--count', String(FAIL_AFTER + RATE * 10), '--scenario', 'sensor-failure', '--features', 'worst_radius', '--after', String(FAIL_AFTER)]);
    produce(nan, ['--count', String(RATE * 10), '--scenario', 'nan-burst', '--features', 'mean_texture', '--after', '0', '--share', '0.3']);
    produce(concept, ['--count', String(RATE * 10), '--scenario', 'concept-shift', '--after', '0', '--share', '0.3']);
  });

  after(async () => {
    await Promise.all(processes.map((p) => p.stop()));
    await Promise.all([reports, alerts, deadLetters, stuckEvents].map((r) => r?.stop()));
    rmSync(artifacts, { recursive: true, force: true });
  });

  test('(a) healthy traffic: GREEN reports with no feature drifted over at least 5 evaluations', async () => {
    await reports.waitFor('5 healthy reports', () => forModel(healthy).filter((r) => r.eventCount >= 1000).length >= 5, 90_000);
    for (const r of forModel(healthy)) {
      assert.equal(r.status, 'GREEN', r.reason);
      assert.deepEqual(r.features.filter((f) => f.drifted).map((f) => f.name), []);
      assert.equal(r.features.length, 30);
      assert.ok(r.latency.p95 > 0 && r.throughput.eventsPerSecond > 0);
    }
  });

  test('(b) a stuck worst_radius sensor: RED naming worst_radius within 2 intervals, no other feature drifted', async () => {
    await stuckEvents.waitFor('the first stuck event', (rs) => rs.some((r) => r.value.features.worst_radius === 0), 90_000);
    const firstBad = stuckEvents.values().find((e) => e.features.worst_radius === 0)!;
    await reports.waitFor('a RED report', () => forModel(stuck).some((r) => r.status === 'RED'), 60_000);
    const before = forModel(stuck).filter((r) => r.evaluatedAt < firstBad.eventTime);
    assert.ok(before.length >= 1, 'healthy reports before the failure');
    for (const r of before) assert.equal(r.status, 'GREEN', r.reason);
    const red = forModel(stuck).find((r) => r.status === 'RED')!;
    const delay = red.evaluatedAt - firstBad.eventTime;
    assert.ok(delay <= 2 * INTERVAL_S * 1000, `RED ${delay} ms after the first stuck event`);
    assert.match(red.reason, /worst_radius/);
    assert.equal(red.features.find((f) => f.name === 'worst_radius')!.status, 'RED');
    await reports.waitFor('worst_radius drifted', () => forModel(stuck).some((r) => r.features.find((f) => f.name === 'worst_radius')!.drifted), 10_000);
    for (const r of forModel(stuck).filter((x) => x.evaluatedAt >= red.evaluatedAt)) {
      assert.equal(r.status, 'RED');
      assert.deepEqual(r.features.filter((f) => f.drifted && f.name !== 'worst_radius').map((f) => f.name), [], 'no other feature drifted');
    }
    await alerts.waitFor('the RED alerts', (as) => as.some((a) => a.value.modelId === stuck && a.value.feature === 'worst_radius'), 10_000);
    const mine = alerts.values().filter((a) => a.modelId === stuck);
    const modelAlerts = mine.filter((a) => a.scope === 'MODEL');
    assert.equal(modelAlerts[0]?.previousStatus, 'GREEN', 'the first change leaves GREEN');
    assert.ok(modelAlerts.some((a) => a.status === 'RED'), 'a change to RED');
    assert.equal(mine.filter((a) => a.scope === 'FEATURE' && a.feature === 'worst_radius' && a.status === 'RED').length, 1, 'one alert per change');
  });

  test('(c) a NaN burst on mean_texture: an integrity finding naming the feature', async () => {
    await reports.waitFor('a report', () => forModel(nan).length > 0, 60_000);
    const r = forModel(nan).at(-1)!;
    const f = r.features.find((x) => x.name === 'mean_texture')!;
    assert.ok(f.missingShare > 0.2 && f.missingShare < 0.4, String(f.missingShare));
    assert.notEqual(f.status, 'GREEN');
    assert.match(f.reason, /missing/);
    assert.match(r.reason, /mean_texture/);
    assert.ok(r.integrity.missingShare > 0);
    assert.deepEqual(r.features.filter((x) => x.name !== 'mean_texture' && x.status !== 'GREEN').map((x) => x.name), []);
  });

  test('(d) an independent consumer decodes the reports knowing only the registry URL', () => {
    // TopicReader runs its own consumer group with a fresh registry client.
    const r = forModel(healthy)[0];
    assert.ok(r, 'a report was decoded');
    assert.equal(r.features[0].name, 'mean_radius');
    assert.ok(r.features[0].histogram.edges.length >= 2);
  });

  test('(e) garbage and an unknown schema id are dead-lettered while good events flow', async () => {
    const kafka = new Kafka({ clientId: 'garbage', brokers: cluster.brokers, logLevel: logLevel.ERROR });
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    const garbage = Buffer.from('this is not avro');
    const unknownId = Buffer.concat([Buffer.from([0, 0x7f, 0xff, 0xff, 0x00]), Buffer.from([1, 2, 3, 4])]);
    const reportsBefore = forModel(healthy).length;
    await producer.send({
      topic: TOPICS.inference,
      messages: [
        { key: `${run}-garbage`, value: garbage },
        { key: `${run}-garbage`, value: unknownId },
      ],
    });
    await producer.disconnect();
    await deadLetters.waitFor('2 dead letters', (rs) => rs.length >= 2, 30_000);
    const [a, b] = deadLetters.values();
    assert.equal(a.errorKind, 'UNDECODABLE');
    assert.deepEqual(Buffer.from(a.value!), garbage);
    assert.equal(b.errorKind, 'UNKNOWN_SCHEMA');
    assert.deepEqual(Buffer.from(b.value!), unknownId);
    for (const d of [a, b]) {
      assert.equal(d.sourceTopic, TOPICS.inference);
      assert.ok(d.offset >= 0 && d.reason.length > 0);
    }
    await reports.waitFor('reports after the garbage', () => forModel(healthy).length >= reportsBefore + 1, 30_000);
    assert.equal(processes[0].child.exitCode, null, 'the engine is still running');
  });
  test('(f) a concept shift, invisible in the inputs, turns the model RED through its labels', async () => {
    await reports.waitFor('a performance finding', () => forModel(concept).some((r) => r.performance?.status === 'RED'), 60_000);
    const r = forModel(concept).find((x) => x.performance?.status === 'RED')!;
    assert.equal(r.status, 'RED');
    assert.match(r.reason, /^performance RED: accuracy/);
    assert.ok(r.performance!.labeled >= 200);
    assert.ok(r.performance!.accuracy! < r.performance!.referenceAccuracy! - 0.2);
    assert.deepEqual(r.features.filter((f) => f.drifted).map((f) => f.name), [], 'the inputs did not drift');
    const healthyPerformance = forModel(healthy).at(-1)!.performance!;
    assert.equal(healthyPerformance.status, 'GREEN', healthyPerformance.reason);
    assert.ok(healthyPerformance.labeled > 0);
  });

  test('(g) a restarted engine restores its state from the reports topic: no repeated alert', async () => {
    await alerts.waitFor('the stuck model RED alert', (as) => as.some((a) => a.value.modelId === stuck && a.value.scope === 'MODEL'), 30_000);
    const alertsBefore = alerts.values().filter((a) => a.modelId === stuck).length;
    await processes[0].stop();
    const restarted = new AegisChild(['engine', '--interval', String(INTERVAL_S), '--window', '1000', '--group', unique('engine')], env);
    processes.push(restarted);
    await restarted.waitFor(/report state restored/, 60_000);
    await restarted.waitFor(/engine started/, 60_000);
    await new Promise((r) => setTimeout(r, 3000));
    const reportsBefore = forModel(stuck).length;
    const producer = new AegisChild(
      ['produce', '--artifacts', artifacts, '--model', stuck, '--rate', String(RATE), '--count', String(RATE * 5), '--label-delay', '0',
        '--scenario', 'sensor-failure', '--features', 'worst_radius', '--after', '0'],
      env,
    );
    processes.push(producer);
    await reports.waitFor('RED reports from the restarted engine', () => forModel(stuck).slice(reportsBefore).filter((r) => r.status === 'RED').length >= 2, 60_000);
    // An engine that forgot the state would raise GREEN → RED again. The model may have gone STALE while
    // no engine ran and come back (STALE → RED): a real change of state, not a repeat.
    const raisedAgain = alerts
      .values()
      .filter((a) => a.modelId === stuck)
      .slice(alertsBefore)
      .filter((a) => a.previousStatus === 'GREEN');
    assert.deepEqual(raisedAgain, [], 'the restarted engine raised no GREEN → RED again');
  });
});
