/**
 * The gateway on the real broker and registry: DriftReports published through
 * the registry serde to aegis.drift-reports.v1 (unique model ids per test)
 * reach a real websocket client within a second and the REST history; a
 * restarted gateway rebuilds its history from the topic; /healthz and
 * /metrics tell the truth; a foreign Origin is refused, and so is a foreign
 * Host (DNS rebinding) even with a matching Origin.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Kafka, logLevel, Partitioners, type Producer } from 'kafkajs';
import { get } from 'node:http';
import WebSocket from 'ws';
import { createLogger } from '../../services/log.ts';
import { TOPICS } from '../../services/kafka/topics.ts';
import { startGateway, type GatewayConfig, type RunningGateway } from '../../services/gateway/gateway.ts';
import { ReportConsumer } from '../../services/gateway/report-consumer.ts';
import type { ServerMessage } from '../../services/gateway/messages.ts';
import type { DriftReport } from '../../pipeline/serde/drift-report.ts';
import type { TopicSerde } from '../../pipeline/serde/registry-serde.ts';
import { testCluster, unique } from '../support/cluster.ts';
import { driftReport, driftReportSerde } from '../support/drift-reports.ts';

const cluster = testCluster();
const log = createLogger('gateway-test', process.env.AEGIS_LOG_LEVEL ?? 'warn');

function config(overrides: Partial<GatewayConfig> = {}): GatewayConfig {
  return {
    brokers: cluster.brokers,
    schemaRegistryUrl: cluster.schemaRegistryUrl,
    host: '127.0.0.1',
    port: 0,
    historyMinutes: 60,
    historyPerModel: 100,
    historyMaxBytes: 64 << 20,
    allowedOrigins: [],
    allowedHosts: [],
    heartbeatMs: 5000,
    maxBufferedBytes: 4 << 20,
    maxTotalBufferedBytes: 64 << 20,
    log,
    ...overrides,
  };
}

/** A real websocket client that records every message with its arrival time. */
class Client {
  readonly messages: { at: number; message: ServerMessage }[] = [];
  readonly socket: WebSocket;
  readonly opened: Promise<void>;

  constructor(gatewayUrl: string, origin = gatewayUrl) {
    this.socket = new WebSocket(`${gatewayUrl.replace(/^http/, 'ws')}/ws`, { origin });
    this.socket.on('message', (data) => this.messages.push({ at: Date.now(), message: JSON.parse(String(data)) as ServerMessage }));
    this.opened = new Promise((resolve, reject) => {
      this.socket.once('open', () => resolve());
      this.socket.once('error', reject);
    });
  }

  async waitFor(pick: (m: ServerMessage) => boolean, timeoutMs = 10_000): Promise<{ at: number; message: ServerMessage }> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.find((m) => pick(m.message));
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no matching websocket message within ${timeoutMs} ms (${this.messages.length} received)`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  /** The model's points in the greeting's history, as [evaluatedAt, status]. */
  historyFor(modelId: string): [number, string][] {
    const history = this.messages.find((m) => m.message.type === 'history')?.message as Extract<ServerMessage, { type: 'history' }> | undefined;
    const series = history?.models.find((m) => m.summary.modelId === modelId)?.series;
    return series?.evaluatedAt.map((t, i) => [t, series.status[i]]) ?? [];
  }

  close(): void {
    this.socket.terminate();
  }
}

describe('gateway on the real stack', () => {
  let producer: Producer;
  let serde: TopicSerde<DriftReport>;
  const running: RunningGateway[] = [];

  const start = async (overrides: Partial<GatewayConfig> = {}) => {
    const gateway = await startGateway(config(overrides));
    running.push(gateway);
    await gateway.consumer.rebuilt;
    return gateway;
  };
  const publish = async (report: DriftReport, timestamp?: number) => {
    await producer.send({
      topic: TOPICS.driftReports,
      messages: [{ key: report.modelId, value: await serde.encode(report), timestamp: timestamp === undefined ? undefined : String(timestamp) }],
    });
  };

  before(async () => {
    serde = await driftReportSerde(cluster.schemaRegistryUrl);
    producer = new Kafka({ clientId: 'gateway-test', brokers: cluster.brokers, logLevel: logLevel.WARN }).producer({
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await producer.connect();
  });

  after(async () => {
    for (const gateway of running) await gateway.stop();
    await producer.disconnect();
  });

  test('each published report reaches a websocket client within a second and the REST history', async (t) => {
    const gateway = await start();
    const client = new Client(gateway.url);
    await client.opened;
    await client.waitFor((m) => m.type === 'history');
    assert.equal(client.messages[0].message.type, 'hello');

    const modelId = unique('gw-push');
    const latencies: number[] = [];
    const sent: DriftReport[] = [];
    for (let i = 0; i < 5; i++) {
      const report = driftReport({ modelId, evaluatedAt: Date.now(), stuck: i >= 3 ? ['worst_radius'] : [] });
      sent.push(report);
      await publish(report);
      const onTopic = Date.now();
      const { at, message } = await client.waitFor((m) => m.type === 'report' && m.report.reportId === report.reportId, 5000);
      latencies.push(at - onTopic);
      assert.deepEqual((message as { report: DriftReport }).report, JSON.parse(JSON.stringify(report)));
    }
    t.diagnostic(`push latency after the produce ack, ms: ${latencies.join(', ')}`);
    assert.ok(Math.max(...latencies) < 1000, `every report within a second (${latencies.join(', ')} ms)`);

    const models = (await gateway.app.inject('/api/models')).json() as { models: { modelId: string; status: string; reports: number }[] };
    const mine = models.models.find((m) => m.modelId === modelId);
    assert.deepEqual(mine && [mine.status, mine.reports], ['RED', 5]);
    const since = sent[3].evaluatedAt;
    const recent = (await gateway.app.inject(`/api/models/${modelId}/reports?since=${since}`)).json() as { reports: DriftReport[] };
    assert.deepEqual(
      recent.reports.map((r) => r.reportId),
      sent.slice(3).map((r) => r.reportId),
    );
    client.close();
  });

  test('a restarted gateway rebuilds the last hour from the topic, bounded per model', async () => {
    const first = await start();
    const modelId = unique('gw-restart');
    const old = driftReport({ modelId, evaluatedAt: Date.now() - 2 * 3_600_000 });
    await publish(old, old.evaluatedAt);
    const recent: DriftReport[] = [];
    for (let i = 0; i < 5; i++) {
      const report = driftReport({ modelId, evaluatedAt: Date.now() - (5 - i) * 1000, stuck: i === 4 ? ['worst_radius'] : [] });
      recent.push(report);
      await publish(report);
    }
    const deadline = Date.now() + 5000;
    while ((first.history.reports(modelId)?.reports.length ?? 0) < 5 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.equal(first.history.reports(modelId)?.reports.length, 5, 'the running gateway saw them live; the 2-hour-old one is not kept');
    await first.stop();
    running.splice(running.indexOf(first), 1);

    const second = await start({ historyPerModel: 3 });
    const rebuilt = (await second.app.inject(`/api/models/${modelId}/reports`)).json() as { reports: DriftReport[] };
    assert.deepEqual(
      rebuilt.reports.map((r) => r.reportId),
      recent.slice(2).map((r) => r.reportId),
      'the last 3 of the hour, oldest first',
    );
    const client = new Client(second.url);
    await client.opened;
    await client.waitFor((m) => m.type === 'history');
    assert.deepEqual(
      client.historyFor(modelId),
      recent.slice(2).map((r) => [r.evaluatedAt, r.status]),
      'a new client first gets the rebuilt history',
    );
    assert.equal(client.historyFor(modelId).at(-1)?.[1], 'RED');
    client.close();
  });

  test('/healthz is 200 with Kafka up; /metrics counts relayed reports, clients and lag', async () => {
    const gateway = await start();
    const health = await gateway.app.inject('/healthz');
    assert.equal(health.statusCode, 200);
    const client = new Client(gateway.url);
    await client.opened;
    await client.waitFor((m) => m.type === 'history');
    const before = gateway.app.inject('/metrics');
    const relayedBefore = Number(/^aegis_gateway_reports_relayed_total (\d+)$/m.exec((await before).body)![1]);
    const report = driftReport({ modelId: unique('gw-metrics') });
    await publish(report);
    await client.waitFor((m) => m.type === 'report' && m.report.reportId === report.reportId);
    const metrics = (await gateway.app.inject('/metrics')).body;
    assert.equal(Number(/^aegis_gateway_reports_relayed_total (\d+)$/m.exec(metrics)![1]), relayedBefore + 1);
    assert.match(metrics, /^aegis_gateway_clients 1$/m);
    assert.match(metrics, /^aegis_gateway_consumer_lag\{topic="aegis.drift-reports.v1",partition="0"\} 0$/m);
    assert.match(metrics, /^aegis_gateway_consumer_lag_known 1$/m);
    client.close();
  });

  test('the Kafka probe says unhealthy, in bounded time, when no broker answers', async () => {
    const consumer = new ReportConsumer({
      brokers: ['127.0.0.1:1'],
      schemaRegistryUrl: cluster.schemaRegistryUrl,
      historyMs: 60_000,
      probeTimeoutMs: 1500,
      log: createLogger('gateway-test', 'fatal'),
    });
    const started = Date.now();
    assert.equal(await consumer.healthy(), false);
    assert.ok(Date.now() - started < 5000, `answered in ${Date.now() - started} ms`);
    assert.equal(await consumer.lag(), undefined);
    await consumer.stop();
  });

  test('a websocket from a foreign Origin is refused with 403; the same origin is accepted', async () => {
    const gateway = await start();
    const foreign = new WebSocket(`${gateway.url.replace(/^http/, 'ws')}/ws`, { origin: 'http://evil.example' });
    const status = await new Promise<number>((resolve, reject) => {
      foreign.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      foreign.once('open', () => reject(new Error('a foreign origin was let in')));
      foreign.once('error', () => undefined);
    });
    assert.equal(status, 403);
    foreign.terminate();
    const same = new Client(gateway.url);
    await same.opened;
    same.close();
  });

  test('a Host the gateway does not serve is refused (DNS rebinding), even with the matching Origin', async () => {
    const gateway = await start();
    const port = new URL(gateway.url).port;
    const rebound = new WebSocket(`${gateway.url.replace(/^http/, 'ws')}/ws`, {
      origin: `http://evil.example:${port}`,
      headers: { host: `evil.example:${port}` },
    });
    const status = await new Promise<number>((resolve, reject) => {
      rebound.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      rebound.once('open', () => reject(new Error('a rebound Host was let in')));
      rebound.once('error', () => undefined);
    });
    assert.equal(status, 403);
    rebound.terminate();
    // fetch() does not let a caller set Host; node:http does.
    const statusWithHost = (host: string) =>
      new Promise<number>((resolve, reject) => {
        get(`${gateway.url}/api/models`, { headers: { host } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        }).once('error', reject);
      });
    assert.equal(await statusWithHost(`evil.example:${port}`), 403);
    assert.equal(await statusWithHost(`localhost:${port}`), 200);
  });

  test('with a token, a websocket without it is refused with 401 and one with it is accepted', async () => {
    const gateway = await start({ token: 'integration-secret' });
    const ws = gateway.url.replace(/^http/, 'ws');
    const refused = new WebSocket(`${ws}/ws`, { origin: gateway.url });
    const status = await new Promise<number>((resolve) => {
      refused.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      refused.once('error', () => undefined);
    });
    assert.equal(status, 401);
    refused.terminate();
    const accepted = new WebSocket(`${ws}/ws`, { origin: gateway.url, headers: { authorization: 'Bearer integration-secret' } });
    await new Promise((resolve, reject) => {
      accepted.once('open', resolve);
      accepted.once('error', reject);
    });
    accepted.terminate();
  });
});
