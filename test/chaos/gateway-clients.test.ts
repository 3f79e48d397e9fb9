/**
 * Chaos: a real `aegis gateway` process on the real stack, holding an hour of
 * 10 models (360 engine-sized reports each, the engine's default 10 s
 * interval), against hostile and slow websocket clients:
 *  - a client that pauses 5 s right after connecting is not dropped and then
 *    gets the history and every report (the old 120 MB history frame dropped it);
 *  - 30 clients that never read (each reconnecting every 5 s, as a reloading
 *    page would) while 50 reports a second flow: the gateway's RSS stays bounded (it went
 *    from 125 MB to 2.45 GB before), the unsent bytes across clients stay
 *    within their budget, the history within its byte budget, and a reading
 *    client gets every report;
 *  - the clients' `?access_token=` never appears in the gateway's log.
 * Figures are printed as test diagnostics; the README quotes them.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Kafka, logLevel, Partitioners, type Producer } from 'kafkajs';
import WebSocket from 'ws';
import { TOPICS } from '../../services/kafka/topics.ts';
import { freePort } from '../../services/stack/ports.ts';
import type { ServerMessage } from '../../services/gateway/messages.ts';
import type { DriftReport } from '../../pipeline/serde/drift-report.ts';
import type { TopicSerde } from '../../pipeline/serde/registry-serde.ts';
import { testCluster, unique } from '../support/cluster.ts';
import { driftReportSerde } from '../support/drift-reports.ts';
import { engineSizedReport } from '../support/engine-sized-report.ts';
import { AegisChild } from '../support/aegis-child.ts';

const cluster = testCluster();
const TOKEN = `chaos-${Math.random().toString(36).slice(2)}-token`;
const MODELS = 10;
const HOUR_OF_REPORTS = 360;
const STUCK_CLIENTS = 30;
const STRESS_MS = 30_000;
const MB = 1024 * 1024;
/** The gateway's defaults (aegis gateway --help). */
const HISTORY_BUDGET = 64 * MB;
const TOTAL_BUFFER_BUDGET = 64 * MB;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function rssBytes(pid: number): number {
  const kb = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  assert.ok(kb, 'VmRSS readable');
  return Number(kb[1]) * 1024;
}

function gauge(metrics: string, name: string): number {
  const match = new RegExp(`^${name} (\\S+)$`, 'm').exec(metrics);
  assert.ok(match, `${name} in /metrics`);
  return Number(match[1]);
}

/** A client that reads everything, recording reports and how it ended. */
class ReadingClient {
  readonly socket: WebSocket;
  readonly reports = new Set<string>();
  history: Extract<ServerMessage, { type: 'history' }> | undefined;
  closedWith: number | undefined;
  readonly opened: Promise<void>;

  constructor(wsUrl: string, pauseMs = 0) {
    this.socket = new WebSocket(wsUrl, { origin: wsUrl.replace(/^ws/, 'http').replace(/\/ws.*$/, '') });
    this.socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as ServerMessage;
      if (message.type === 'history') this.history = message;
      if (message.type === 'report') this.reports.add(message.report.reportId);
    });
    this.socket.on('close', (code) => (this.closedWith = code));
    this.opened = new Promise((resolve, reject) => {
      this.socket.once('open', () => {
        if (pauseMs > 0) {
          socketOf(this.socket).pause();
          setTimeout(() => socketOf(this.socket).resume(), pauseMs);
        }
        resolve();
      });
      this.socket.once('error', reject);
    });
  }
}

function socketOf(ws: WebSocket): { pause(): void; resume(): void } {
  return (ws as unknown as { _socket: { pause(): void; resume(): void } })._socket;
}

/**
 * A client that never reads after the handshake. Every `cycleMs` it abandons its connection for
 * a new one, as a reloading page would (a dropped client that does not read never learns it was
 * dropped), so that the gateway keeps paying greetings to clients that will not read them.
 */
class StuckClient {
  connections = 0;
  private socket: WebSocket | undefined;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly wsUrl: string,
    cycleMs: number,
  ) {
    this.connect();
    this.timer = setInterval(() => this.connect(), cycleMs);
  }

  private connect(): void {
    this.socket?.terminate();
    const socket = new WebSocket(this.wsUrl, { origin: this.wsUrl.replace(/^ws/, 'http').replace(/\/ws.*$/, '') });
    this.socket = socket;
    socket.once('open', () => {
      this.connections++;
      socketOf(socket).pause();
    });
    socket.on('error', () => undefined);
  }

  stop(): void {
    clearInterval(this.timer);
    this.socket?.terminate();
  }
}

describe('gateway under hostile websocket clients', () => {
  let producer: Producer;
  let serde: TopicSerde<DriftReport>;
  let gateway: AegisChild | undefined;
  const runId = unique('chaos-gw');
  const modelIds = Array.from({ length: MODELS }, (_, m) => `${runId}-model-${m}`);

  const publish = async (reports: DriftReport[], timestamps = false) => {
    const messages = await Promise.all(
      reports.map(async (r) => ({ key: r.modelId, value: await serde.encode(r), timestamp: timestamps ? String(r.evaluatedAt) : undefined })),
    );
    await producer.send({ topic: TOPICS.driftReports, messages });
  };

  before(async () => {
    serde = await driftReportSerde(cluster.schemaRegistryUrl);
    producer = new Kafka({ clientId: 'chaos-gateway', brokers: cluster.brokers, logLevel: logLevel.WARN }).producer({
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await producer.connect();
    // 360 reports per model, 9 s apart and ending a minute ago, so that none ages out while the gateway starts.
    const start = Date.now() - 60_000 - HOUR_OF_REPORTS * 9000;
    // Two reports per model a send: a record batch must stay under the broker's 1 MB message.max.bytes.
    for (let i = 0; i < HOUR_OF_REPORTS; i += 2) {
      const batch: DriftReport[] = [];
      for (let j = i; j < i + 2; j++) for (const modelId of modelIds) batch.push(engineSizedReport({ modelId, evaluatedAt: start + j * 9000 }));
      await publish(batch, true);
    }
  });

  after(async () => {
    await gateway?.stop();
    await producer.disconnect();
    // Leave no hour of large reports behind: every later gateway on this cluster would rebuild it.
    const admin = new Kafka({ clientId: 'chaos-gateway', brokers: cluster.brokers, logLevel: logLevel.WARN }).admin();
    await admin.connect();
    const offsets = await admin.fetchTopicOffsets(TOPICS.driftReports);
    await admin.deleteTopicRecords({ topic: TOPICS.driftReports, partitions: offsets.map(({ partition, high }) => ({ partition, offset: high })) });
    await admin.disconnect();
  });

  test('a pausing client is served; 30 non-reading clients leave the gateway bounded', async (t) => {
    const port = await freePort();
    gateway = new AegisChild(['gateway', '--port', String(port)], {
      KAFKA_BROKERS: cluster.brokers.join(','),
      SCHEMA_REGISTRY_URL: cluster.schemaRegistryUrl,
      AEGIS_GATEWAY_TOKEN: TOKEN,
      // Long enough that the buffer budgets, not the heartbeat, are what bound the stuck clients.
      AEGIS_GATEWAY_HEARTBEAT_MS: '60000',
      AEGIS_LOG_LEVEL: 'info',
    });
    await gateway.waitFor(/"msg":"history rebuilt"/, 120_000);
    const pid = gateway.child.pid!;
    const base = `http://127.0.0.1:${port}`;
    const wsUrl = `ws://127.0.0.1:${port}/ws?access_token=${TOKEN}`;
    const metrics = async () => (await fetch(`${base}/metrics`)).text();
    const rebuiltRss = rssBytes(pid);

    // 1. A client that pauses 5 s as it connects, at the engine's pace (one report a second).
    const paused = new ReadingClient(wsUrl, 5000);
    await paused.opened;
    const paced: DriftReport[] = [];
    for (let i = 0; i < 7; i++) {
      const report = engineSizedReport({ modelId: modelIds[i % MODELS], evaluatedAt: Date.now() });
      paced.push(report);
      await publish([report]);
      await sleep(1000);
    }
    await sleep(1500);
    assert.equal(paused.closedWith, undefined, `the paused client is still connected (closed with ${paused.closedWith})`);
    assert.ok(paused.history, 'it got the history');
    const historyPoints = paused.history.models.filter((m) => modelIds.includes(m.summary.modelId)).reduce((n, m) => n + m.series.evaluatedAt.length, 0);
    assert.ok(historyPoints >= MODELS * HOUR_OF_REPORTS, `the history has the hour: ${historyPoints} points`);
    assert.deepEqual(
      paced.filter((r) => !paused.reports.has(r.reportId)).map((r) => r.reportId),
      [],
      'and every report published while it paused',
    );
    const historyFrame = Buffer.byteLength(JSON.stringify(paused.history));
    t.diagnostic(`history frame for an hour of ${paused.history.models.length} models: ${(historyFrame / 1024).toFixed(0)} KB`);
    paused.socket.terminate();

    // 2. 30 clients that never read, while 50 reports a second flow.
    const reader = new ReadingClient(wsUrl);
    await reader.opened;
    const stuck = Array.from({ length: STUCK_CLIENTS }, () => new StuckClient(wsUrl, 5000));
    const samples: { rss: number; buffered: number; history: number }[] = [];
    const sent: string[] = [];
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const text = await metrics();
        samples.push({ rss: rssBytes(pid), buffered: gauge(text, 'aegis_gateway_buffered_bytes'), history: gauge(text, 'aegis_gateway_history_bytes') });
        await sleep(250);
      }
    })();
    const stressUntil = Date.now() + STRESS_MS;
    while (Date.now() < stressUntil) {
      const batch = modelIds.map((modelId) => engineSizedReport({ modelId, evaluatedAt: Date.now() }));
      await publish(batch);
      sent.push(...batch.map((r) => r.reportId));
      await sleep(200);
    }
    await sleep(2000);
    sampling = false;
    await sampler;
    for (const s of stuck) s.stop();
    const afterText = await metrics();
    await sleep(5000);
    const settledRss = rssBytes(pid);

    const peak = (key: 'rss' | 'buffered' | 'history') => Math.max(...samples.map((s) => s[key]));
    const connections = stuck.reduce((n, s) => n + s.connections, 0);
    const dropped = /^aegis_gateway_clients_dropped_total\{reason="(\w+)"\} (\d+)$/gm;
    const drops = [...afterText.matchAll(dropped)].map(([, reason, n]) => `${reason} ${n}`).join(', ');
    t.diagnostic(
      `RSS: ${(rebuiltRss / MB).toFixed(0)} MB after rebuilding the hour, peak ${(peak('rss') / MB).toFixed(0)} MB with ${STUCK_CLIENTS} stuck clients ` +
        `(${connections} connections, drops: ${drops}) and ${sent.length} reports in ${STRESS_MS / 1000} s, ${(settledRss / MB).toFixed(0)} MB 5 s after they left`,
    );
    t.diagnostic(`peak unsent bytes across clients ${(peak('buffered') / MB).toFixed(1)} MB; peak history ${(peak('history') / MB).toFixed(1)} MB`);

    assert.ok(connections >= STUCK_CLIENTS * (STRESS_MS / 5000 - 1), `the stuck clients kept reconnecting (${connections} connections)`);
    assert.ok(/(backpressure|memory) [1-9]/.test(drops), `stuck clients were dropped for being behind (${drops})`);
    assert.ok(peak('rss') < 600 * MB, `peak RSS ${(peak('rss') / MB).toFixed(0)} MB`);
    assert.ok(peak('buffered') <= TOTAL_BUFFER_BUDGET, `unsent bytes ${peak('buffered')}`);
    assert.ok(peak('history') <= HISTORY_BUDGET, `history bytes ${peak('history')}`);
    assert.equal(reader.closedWith, undefined, 'the reading client was never dropped');
    assert.deepEqual(
      sent.filter((id) => !reader.reports.has(id)).length,
      0,
      'the reading client got every report',
    );
    reader.socket.terminate();

    assert.ok(gateway.tail(Number.MAX_SAFE_INTEGER).includes('access_token=[redacted]'), 'the request lines are logged, redacted');
    assert.ok(!gateway.tail(Number.MAX_SAFE_INTEGER).includes(TOKEN), 'the token is nowhere in the log');
  });
});
