/**
 * The retraining loop on the real broker and registry, driven through the CLI:
 * `aegis train`, `aegis engine`, `aegis train --watch` and `aegis produce`.
 * A ×10 scale shift turns a model RED; a RetrainRequest (published here, as
 * `aegis notify`'s policy would, so the test does not wait for k evaluations)
 * makes the trainer fit a candidate on the shifted labelled traffic, gate it
 * and promote it; the producer serves the new version, the engine evaluates
 * against its reference and the model is GREEN again. A second model's recent
 * traffic carries flipped labels in its older half: the candidate learns them,
 * loses on the newer half and is not promoted.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Producer } from 'kafkajs';
import { TOPICS } from '../../services/kafka/topics.ts';
import { latestVersion, loadArtifact } from '../../services/trainer/artifact-store.ts';
import { createRegistry, TopicSerde } from '../../pipeline/serde/registry-serde.ts';
import { schemaText } from '../../pipeline/serde/schemas.ts';
import { predict } from '../../pipeline/model/cart-model.ts';
import type { DriftReport } from '../../pipeline/serde/drift-report.ts';
import type { InferenceEvent } from '../../pipeline/serde/inference-event.ts';
import type { Label } from '../../pipeline/serde/label.ts';
import type { RetrainRequest } from '../../pipeline/serde/retrain-request.ts';
import type { RetrainDecision } from '../../pipeline/serde/retrain-decision.ts';
import { testCluster, unique } from '../support/cluster.ts';
import { AegisChild } from '../support/aegis-child.ts';
import { topicsAndProducer } from '../support/test-producer.ts';
import { TopicReader } from '../support/topic-reader.ts';

const RATE = 200;
const RECENT_S = 15;

describe('retraining loop on the real stack', () => {
  const cluster = testCluster();
  const env = { KAFKA_BROKERS: cluster.brokers.join(','), SCHEMA_REGISTRY_URL: cluster.schemaRegistryUrl, AEGIS_LOG_LEVEL: 'info' };
  const artifacts = mkdtempSync(join(tmpdir(), 'aegis-retrain-loop-'));
  const run = unique('loop');
  const shifted = `${run}-shift`;
  const corrupt = `${run}-corrupt`;
  const processes: AegisChild[] = [];
  let producer: Producer;
  let requestSerde: TopicSerde<RetrainRequest>;
  let reports: TopicReader<DriftReport>;
  let decisions: TopicReader<RetrainDecision>;
  let shiftedEvents: TopicReader<InferenceEvent>;

  const forModel = <T extends { modelId: string }>(reader: TopicReader<T>, id: string) => reader.values().filter((r) => r.modelId === id);

  const requestRetrain = async (modelId: string, modelVersion: string): Promise<RetrainRequest> => {
    const now = Date.now();
    const request: RetrainRequest = {
      requestId: randomUUID(), modelId, modelVersion, incidentId: randomUUID(), rule: 'DATA_DRIFT', reason: 'test', consecutiveEvaluations: 3,
      driftedFeatures: [], accuracy: null, referenceAccuracy: null, labeled: 0, reportId: randomUUID(), evaluatedAt: now, requestedAt: now,
    };
    await producer.send({ topic: TOPICS.retrainRequests, messages: [{ key: modelId, value: await requestSerde.encode(request) }] });
    return request;
  };

  before(async () => {
    producer = await topicsAndProducer('setup', cluster);
    requestSerde = await TopicSerde.create(createRegistry(cluster.schemaRegistryUrl), TOPICS.retrainRequests, schemaText('retrain-request'));
    for (const model of [shifted, corrupt]) {
      const train = new AegisChild(['train', '--artifacts', artifacts, '--model', model], env);
      assert.equal(await train.exited, 0, train.tail());
    }
    reports = await new TopicReader<DriftReport>(TOPICS.driftReports, new Set([shifted])).start();
    decisions = await new TopicReader<RetrainDecision>(TOPICS.retrainDecisions, new Set([shifted, corrupt])).start();
    shiftedEvents = await new TopicReader<InferenceEvent>(TOPICS.inference, new Set([shifted])).start();

    const engine = new AegisChild(['engine', '--interval', '2', '--window', '1000', '--group', unique('engine')], env);
    const trainer = new AegisChild(['train', '--watch', '--artifacts', artifacts, '--recent', String(RECENT_S), '--group', unique('trainer')], env);
    processes.push(engine, trainer);
    await Promise.all([engine.waitFor(/engine started/, 60_000), trainer.waitFor(/trainer watching retrain requests/, 60_000)]);
    await new Promise((r) => setTimeout(r, 3000)); // the groups' partitions are assigned
  });

  after(async () => {
    await Promise.all(processes.map((p) => p.stop()));
    await Promise.all([reports, decisions, shiftedEvents].map((r) => r?.stop()));
    await producer?.disconnect();
    rmSync(artifacts, { recursive: true, force: true });
  });

  test('a scale shift: RED → retrain request → candidate promoted → the engine uses its reference → GREEN', async () => {
    const original = (await latestVersion(artifacts, shifted))!;
    // every feature in the new unit, so that the version in service also loses accuracy (the default shifts two)
    const all = (await loadArtifact(artifacts, shifted)).model.model.features.join(',');
    processes.push(
      new AegisChild(['produce', '--artifacts', artifacts, '--model', shifted, '--rate', String(RATE), '--label-delay', '0',
        '--count', String(RATE * 150), '--scenario', 'scale-shift', '--features', all, '--after', '0'], env),
    );
    await reports.waitFor('a RED report', () => forModel(reports, shifted).some((r) => r.status === 'RED'), 90_000);
    const red = forModel(reports, shifted).find((r) => r.status === 'RED')!;
    assert.equal(red.modelVersion, original);
    await new Promise((r) => setTimeout(r, RECENT_S * 1000)); // the trainer's window holds shifted traffic only

    const requested = Date.now();
    const request = await requestRetrain(shifted, original);
    await decisions.waitFor('the decision', (ds) => ds.some((d) => d.value.requestId === request.requestId), 90_000);
    const decision = forModel(decisions, shifted).find((d) => d.requestId === request.requestId)!;
    const decisionMs = decision.decidedAt - requested;
    assert.equal(decision.promoted, true, decision.reason);
    assert.equal(decision.currentVersion, original);
    assert.ok(decision.candidateAccuracy > decision.currentAccuracy, decision.reason);
    assert.ok(decision.currentAccuracy < 0.75, `the current version on shifted traffic: ${decision.currentAccuracy}`);
    assert.ok(decision.trainingRows >= 400 && decision.holdoutRows >= 400, `${decision.trainingRows} + ${decision.holdoutRows} rows`);
    assert.equal(await latestVersion(artifacts, shifted), decision.candidateVersion, 'LATEST moved to the candidate');

    await shiftedEvents.waitFor('events from the new version', (es) => es.some((e) => e.value.modelVersion === decision.candidateVersion), 30_000);
    const onNew = () => forModel(reports, shifted).filter((r) => r.modelVersion === decision.candidateVersion);
    await reports.waitFor('3 GREEN reports against the new reference', () => onNew().filter((r) => r.status === 'GREEN').length >= 3, 90_000);
    const firstGreen = onNew().find((r) => r.status === 'GREEN')!;
    const tail = onNew().slice(onNew().indexOf(firstGreen));
    for (const r of tail) assert.equal(r.status, 'GREEN', r.reason);
    assert.deepEqual(tail.at(-1)!.features.filter((f) => f.drifted).map((f) => f.name), []);
    console.log(JSON.stringify({
      figure: 'retrain-loop', currentAccuracy: decision.currentAccuracy, candidateAccuracy: decision.candidateAccuracy,
      trainingRows: decision.trainingRows, holdoutRows: decision.holdoutRows, requestToDecisionMs: decisionMs,
      decisionToGreenMs: firstGreen.evaluatedAt - decision.decidedAt,
    }));
  });

  test('a candidate trained on flipped labels loses on the holdout and is not promoted', async () => {
    const artifact = await loadArtifact(artifacts, corrupt);
    const { features, rows } = artifact.traffic;
    const model = artifact.model.model;
    const registry = createRegistry(cluster.schemaRegistryUrl);
    const eventSerde = await TopicSerde.create<InferenceEvent>(registry, TOPICS.inference, schemaText('inference-event'));
    const labelSerde = await TopicSerde.create<Label>(registry, TOPICS.labels, schemaText('label'));
    const n = 600;
    const base = Date.now();
    const events: InferenceEvent[] = [];
    const labels: Label[] = [];
    for (let i = 0; i < n; i++) {
      const row = rows[i % rows.length];
      const eventId = randomUUID();
      const eventTime = base + i;
      events.push({ eventId, modelId: corrupt, modelVersion: artifact.model.version, eventTime, features: Object.fromEntries(features.map((f, j) => [f, row.values[j]])), prediction: predict(model, row.values), score: null, latencyMs: null });
      // the older half's labels flipped, as a broken labelling job would send them
      const label = i < n / 2 ? (row.label === 'M' ? 'B' : 'M') : row.label;
      labels.push({ eventId, modelId: corrupt, label, eventTime, labeledAt: eventTime });
    }
    await producer.sendBatch({
      topicMessages: [
        { topic: TOPICS.inference, messages: await Promise.all(events.map(async (e) => ({ key: corrupt, value: await eventSerde.encode(e) }))) },
        { topic: TOPICS.labels, messages: await Promise.all(labels.map(async (l) => ({ key: corrupt, value: await labelSerde.encode(l) }))) },
      ],
    });
    const request = await requestRetrain(corrupt, artifact.model.version);
    await decisions.waitFor('the decision', (ds) => ds.some((d) => d.value.requestId === request.requestId), 90_000);
    const decision = forModel(decisions, corrupt).find((d) => d.requestId === request.requestId)!;
    assert.equal(decision.promoted, false, decision.reason);
    assert.ok(decision.candidateAccuracy < decision.currentAccuracy, decision.reason);
    assert.equal(decision.trainingRows + decision.holdoutRows, n);
    assert.equal(await latestVersion(artifacts, corrupt), artifact.model.version, 'LATEST unchanged');
    console.log(JSON.stringify({ figure: 'retrain-rejected', currentAccuracy: decision.currentAccuracy, candidateAccuracy: decision.candidateAccuracy }));
  });
});
