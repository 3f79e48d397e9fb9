/**
 * The retraining policy inside `aegis notify`, on the real broker and
 * registry: drift reports (and the engine's alerts) published to their
 * topics, RetrainRequests read back from aegis.retrain-requests.v1 — once per
 * incident, including across a kill -9 right after a request.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Producer } from 'kafkajs';
import { TOPICS } from '../../services/kafka/topics.ts';
import { createRegistry, TopicSerde } from '../../pipeline/serde/registry-serde.ts';
import { schemaText } from '../../pipeline/serde/schemas.ts';
import type { Alert } from '../../pipeline/serde/alert.ts';
import type { DriftReport } from '../../pipeline/serde/drift-report.ts';
import type { RetrainRequest } from '../../pipeline/serde/retrain-request.ts';
import { testCluster, unique } from '../support/cluster.ts';
import { AegisChild } from '../support/aegis-child.ts';
import { topicsAndProducer } from '../support/test-producer.ts';
import { TopicReader } from '../support/topic-reader.ts';
import { reportAlerts } from '../support/alerts.ts';
import { driftReport } from '../support/drift-reports.ts';

describe('retraining trigger on the real stack', () => {
  const cluster = testCluster();
  const env = { KAFKA_BROKERS: cluster.brokers.join(','), SCHEMA_REGISTRY_URL: cluster.schemaRegistryUrl };
  const dir = mkdtempSync(join(tmpdir(), 'aegis-retrain-test-'));
  const model = unique('retrain');
  const config = join(dir, 'notify.json');
  const processes: AegisChild[] = [];
  let producer: Producer;
  let alertSerde: TopicSerde<Alert>;
  let reportSerde: TopicSerde<DriftReport>;
  let requests: TopicReader<RetrainRequest>;
  let last: DriftReport | undefined;

  /** One evaluation as the engine publishes it: the report, and an alert when the model's status changed. */
  const evaluate = async (status: 'GREEN' | 'RED') => {
    const report = driftReport({ modelId: model, stuck: status === 'RED' ? ['worst_radius'] : [] });
    const from = last?.status ?? 'GREEN';
    last = report;
    const alerts = from === status ? [] : reportAlerts(model, [from, status], [], report.reportId, report.evaluatedAt);
    await producer.sendBatch({
      topicMessages: [
        { topic: TOPICS.driftReports, messages: [{ key: model, value: await reportSerde.encode(report) }] },
        ...(alerts.length ? [{ topic: TOPICS.alerts, messages: await Promise.all(alerts.map(async (a) => ({ key: model, value: await alertSerde.encode(a) }))) }] : []),
      ],
    });
    await new Promise((r) => setTimeout(r, 150));
    return report;
  };
  const startNotify = async () => {
    const p = new AegisChild(['notify', '--config', config, '--group', `${model}-notify`], env);
    processes.push(p);
    await p.waitFor(/notify started/, 60_000);
    return p;
  };

  before(async () => {
    writeFileSync(config, JSON.stringify({ destinations: [], retrain: { consecutive: 2 } }));
    producer = await topicsAndProducer('retrain-test', cluster);
    const registry = createRegistry(cluster.schemaRegistryUrl);
    alertSerde = await TopicSerde.create(registry, TOPICS.alerts, schemaText('alert'));
    reportSerde = await TopicSerde.create(registry, TOPICS.driftReports, schemaText('drift-report'));
    requests = await new TopicReader<RetrainRequest>(TOPICS.retrainRequests, new Set([model])).start();
  });

  after(async () => {
    await Promise.all(processes.map((p) => p.stop()));
    await requests?.stop();
    await producer?.disconnect();
    rmSync(dir, { recursive: true, force: true });
  });

  test('RED with data drift for k evaluations: one request per incident, none repeated after kill -9, one for the next incident', async () => {
    const first = await startNotify();
    await evaluate('GREEN');
    const opening = await evaluate('RED');
    const second = await evaluate('RED');
    await requests.waitFor('the first request', (rs) => rs.length >= 1, 30_000);
    process.kill(-first.child.pid!, 'SIGKILL'); // before the triggering report's offset is committed, likely
    await first.exited;

    const r1 = requests.values()[0];
    assert.equal(r1.incidentId, opening.reportId);
    assert.equal(r1.reportId, second.reportId, 'fired on the second consecutive RED');
    assert.equal(r1.rule, 'DATA_DRIFT');
    assert.deepEqual(r1.driftedFeatures, ['worst_radius']);
    assert.equal(r1.consecutiveEvaluations, 2);

    await evaluate('RED');
    await startNotify();
    for (let i = 0; i < 4; i++) await evaluate('RED');
    await evaluate('GREEN');
    const reopening = await evaluate('RED');
    await evaluate('RED');
    await requests.waitFor('the second incident\'s request', (rs) => rs.length >= 2, 30_000);
    await new Promise((r) => setTimeout(r, 3000)); // and no more
    assert.deepEqual(requests.values().map((r) => r.incidentId), [opening.reportId, reopening.reportId]);
  });
});
