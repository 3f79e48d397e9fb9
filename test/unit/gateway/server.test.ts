/**
 * The gateway's Fastify app without Kafka (a fake probe): REST routes and
 * their strict validation, health, metrics, the dashboard files, the Host
 * check, the token kept out of the logs, the websocket handshake checks
 * (origin, token) and the size of its first frames, through app.inject and
 * injectWS.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import WebSocket from 'ws';
import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';
import { buildGateway, type GatewayApp, type KafkaProbe } from '../../../services/gateway/server.ts';
import { ReportHistory } from '../../../services/gateway/report-history.ts';
import { ClientHub } from '../../../services/gateway/client-hub.ts';
import { OriginPolicy } from '../../../services/gateway/origin-policy.ts';
import { HostPolicy } from '../../../services/gateway/host-policy.ts';
import type { ReportsResponse, ServerMessage } from '../../../services/gateway/messages.ts';
import type { SeriesColumns } from '../../../services/gateway/report-series.ts';
import type { DriftReport } from '../../../pipeline/serde/drift-report.ts';
import { driftReport } from '../../support/drift-reports.ts';
import { engineSizedReport } from '../../support/engine-sized-report.ts';

class FakeKafka implements KafkaProbe {
  readonly topic = 'aegis.drift-reports.v1';
  up = true;
  async healthy() {
    return this.up;
  }
  async lag() {
    return this.up ? [{ partition: 0, lag: 7 }] : undefined;
  }
}

interface Setup {
  token?: string;
  dir: string;
  kafka?: FakeKafka;
  logger?: Logger;
  history?: ReportHistory;
  allowedHosts?: string[];
}

async function gateway(options: Setup) {
  const now = Date.now();
  let history = options.history;
  if (!history) {
    history = new ReportHistory({ maxAgeMs: 3_600_000, maxPerModel: 100, maxBytes: 64 << 20 });
    history.add(driftReport({ modelId: 'm1', evaluatedAt: now - 2000 }));
    history.add(driftReport({ modelId: 'm1', evaluatedAt: now - 1000, stuck: ['worst_radius'] }));
    history.add(driftReport({ modelId: 'm2', evaluatedAt: now - 1500 }));
  }
  const hub = new ClientHub({ maxBufferedBytes: 4 << 20, maxTotalBufferedBytes: 64 << 20, heartbeatMs: 60_000 });
  const app = await buildGateway({
    history,
    hub,
    kafka: options.kafka ?? new FakeKafka(),
    relayed: () => 3,
    origins: new OriginPolicy(),
    hosts: new HostPolicy('127.0.0.1', options.allowedHosts),
    token: options.token,
    dashboardDir: options.dir,
    logger: options.logger ?? pino({ level: 'silent' }),
  });
  return { app, history, hub, now };
}

/** Opens the websocket through injectWS and resolves with its first `count` frames, as text. */
async function firstFrames(app: GatewayApp, count: number, headers: Record<string, string> = { origin: 'http://localhost:80', host: 'localhost:80' }) {
  const frames: string[] = [];
  let done: () => void;
  const received = new Promise<void>((resolve) => (done = resolve));
  const socket = await app.injectWS(
    '/ws',
    { headers },
    {
      onInit: (ws) =>
        ws.on('message', (data) => {
          frames.push(String(data));
          if (frames.length === count) done();
        }),
    },
  );
  await received;
  socket.terminate();
  return frames;
}

describe('gateway server', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'aegis-dashboard-'));
    await writeFile(join(dir, 'index.html'), '<!doctype html><title>t</title>');
    await writeFile(join(dir, 'app.js'), 'export {};');
  });
  after(() => rm(dir, { recursive: true, force: true }));

  test('GET /api/models lists each model with its latest status', async () => {
    const { app } = await gateway({ dir });
    const res = await app.inject('/api/models');
    assert.equal(res.statusCode, 200);
    const { models } = res.json() as { models: { modelId: string; status: string; reports: number }[] };
    assert.deepEqual(
      models.map((m) => [m.modelId, m.status, m.reports]),
      [
        ['m1', 'RED', 2],
        ['m2', 'GREEN', 1],
      ],
    );
    await app.close();
  });

  test('GET /api/models/:id/reports filters by since and says from when reports are held; 404s an unknown model', async () => {
    const { app, now } = await gateway({ dir });
    const all = (await app.inject('/api/models/m1/reports')).json() as ReportsResponse;
    assert.equal(all.reports.length, 2);
    assert.equal(all.heldSince, now - 2000);
    const recent = (await app.inject(`/api/models/m1/reports?since=${now - 1200}`)).json() as ReportsResponse;
    assert.deepEqual(recent.reports.map((r) => r.status), ['RED']);
    assert.equal((await app.inject('/api/models/nope/reports')).statusCode, 404);
    await app.close();
  });

  test('since is decimal epoch ms only: 0x10, a blank, 1e3, -5, 1.5 or two of them are 400 with a one-line error', async () => {
    const { app } = await gateway({ dir });
    for (const bad of ['0x10', '%20', '', '%2010', '1e3', '-5', '1.5', 'yesterday', '1&since=2', '99999999999999999']) {
      for (const route of ['reports', 'series']) {
        const res = await app.inject(`/api/models/m1/${route}?since=${bad}`);
        assert.equal(res.statusCode, 400, `${route}?since=${bad}`);
        const { error } = res.json() as { error: string };
        assert.match(error, /^since: expected epoch milliseconds as decimal digits, got .+$/);
        assert.doesNotMatch(error, /\n/);
      }
    }
    assert.equal((await app.inject('/api/models/m1/reports?since=16')).statusCode, 200);
    await app.close();
  });

  test('GET /api/models/:id/series gives the points as columns, with the features asked for', async () => {
    const { app, now } = await gateway({ dir });
    const res = await app.inject('/api/models/m1/series?feature=worst_radius&feature=mean_area');
    assert.equal(res.statusCode, 200);
    const series = res.json() as SeriesColumns;
    assert.deepEqual(series.evaluatedAt, [now - 2000, now - 1000]);
    assert.deepEqual(series.status, ['GREEN', 'RED']);
    assert.deepEqual(series.features.map((f) => [f.name, f.status]), [
      ['worst_radius', ['GREEN', 'RED']],
      ['mean_area', ['GREEN', 'GREEN']],
    ]);
    assert.deepEqual((await app.inject(`/api/models/m1/series?since=${now - 1500}`)).json().evaluatedAt, [now - 1000]);
    const tooMany = Array.from({ length: 65 }, (_, i) => `feature=f${i}`).join('&');
    assert.equal((await app.inject(`/api/models/m1/series?${tooMany}`)).statusCode, 400);
    assert.equal((await app.inject('/api/models/nope/series')).statusCode, 404);
    await app.close();
  });

  test('a Host the gateway does not serve gets 403 everywhere (DNS rebinding), served names pass', async () => {
    const { app } = await gateway({ dir, allowedHosts: ['aegis.internal'] });
    await app.ready();
    const evil = { host: 'evil.example:3917', origin: 'http://evil.example:3917' };
    for (const url of ['/api/models', '/', '/healthz', '/metrics', '/ws']) {
      const res = await app.inject({ url, headers: evil });
      assert.equal(res.statusCode, 403, url);
      assert.match((res.json() as { error: string }).error, /^host 'evil\.example:3917' is not served here/);
    }
    await assert.rejects(app.injectWS('/ws', { headers: evil }), /403/);
    for (const host of ['localhost:3917', '127.0.0.1:3917', '[::1]:3917', '10.1.2.3', 'aegis.internal:3917', 'AEGIS.internal.', '127.0.0.1']) {
      assert.equal((await app.inject({ url: '/api/models', headers: { host } })).statusCode, 200, host);
    }
    for (const host of ['user@localhost', 'localhost/x', 'aegis.internal.evil.example']) {
      assert.equal((await app.inject({ url: '/api/models', headers: { host } })).statusCode, 403, JSON.stringify(host));
    }
    await app.close();
  });

  test('a websocket upgrade refused for its Host does not hold the socket open, so the app still closes', async () => {
    const { app } = await gateway({ dir });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const port = (app.server.address() as AddressInfo).port;
    const rebound = new WebSocket(`ws://127.0.0.1:${port}/ws`, { origin: `http://evil.example:${port}`, headers: { host: `evil.example:${port}` } });
    const status = await new Promise<number>((resolve) => {
      rebound.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      rebound.once('error', () => undefined);
    });
    assert.equal(status, 403);
    rebound.terminate();
    const closed = await Promise.race([app.close().then(() => 'closed'), new Promise((r) => setTimeout(() => r('still open after 5 s'), 5000).unref())]);
    assert.equal(closed, 'closed');
  });

  test('the access token never reaches the log, however its name is written', async () => {
    let logged = '';
    const sink = new Writable({
      write(chunk, _encoding, callback) {
        logged += String(chunk);
        callback();
      },
    });
    const { app } = await gateway({ dir, token: 's3cret-token', logger: pino({ level: 'info' }, sink) });
    await app.ready();
    for (const url of ['/api/models?access_token=s3cret-token', '/api/models?a=1&access%5Ftoken=s3cret-token', '/api/models?access_token=wrong-s3cret-token&x=%E0%A4%A']) {
      await app.inject(url);
    }
    const socket = await app.injectWS('/ws?access_token=s3cret-token', { headers: { host: 'localhost:80' } });
    socket.terminate();
    await app.close();
    assert.match(logged, /incoming request/);
    assert.match(logged, /access_token=\[redacted\]/);
    assert.match(logged, /a=1&access%5Ftoken=\[redacted\]/);
    assert.doesNotMatch(logged, /s3cret-token/);
  });

  test('/healthz is 200 while Kafka answers and 503 when it does not; /metrics follows', async () => {
    const kafka = new FakeKafka();
    const { app } = await gateway({ dir, kafka });
    assert.equal((await app.inject('/healthz')).statusCode, 200);
    const metrics = await app.inject('/metrics');
    assert.match(metrics.headers['content-type'] as string, /^text\/plain; version=0.0.4/);
    assert.match(metrics.body, /^aegis_gateway_reports_relayed_total 3$/m);
    assert.match(metrics.body, /^aegis_gateway_clients 0$/m);
    assert.match(metrics.body, /^aegis_gateway_history_reports 3$/m);
    assert.match(metrics.body, /^aegis_gateway_consumer_lag\{topic="aegis.drift-reports.v1",partition="0"\} 7$/m);
    kafka.up = false;
    const down = await app.inject('/healthz');
    assert.equal(down.statusCode, 503);
    assert.equal((down.json() as { kafka: boolean }).kafka, false);
    assert.match((await app.inject('/metrics')).body, /^aegis_gateway_consumer_lag_known 0$/m);
    await app.close();
  });

  test('serves the built dashboard with a strict CSP, and nothing outside it', async () => {
    const { app } = await gateway({ dir });
    const page = await app.inject('/');
    assert.equal(page.statusCode, 200);
    assert.match(page.headers['content-type'] as string, /^text\/html/);
    assert.match(page.headers['content-security-policy'] as string, /script-src 'self'/);
    assert.equal((await app.inject('/app.js')).headers['content-type'], 'text/javascript; charset=utf-8');
    assert.equal((await app.inject('/..%2Fpackage.json')).statusCode, 404);
    assert.equal((await app.inject('/nothing.js')).statusCode, 404);
    await app.close();
  });

  test('the websocket greets with hello and the history as points; a foreign Origin is refused with 403', async () => {
    const { app, now } = await gateway({ dir });
    await app.ready();
    const messages = (await firstFrames(app, 2)).map((f) => JSON.parse(f) as ServerMessage);
    assert.equal(messages[0].type, 'hello');
    assert.equal(messages[1].type, 'history');
    const { models } = messages[1] as Extract<ServerMessage, { type: 'history' }>;
    assert.deepEqual(
      models.map((m) => [m.summary.modelId, m.summary.status, m.summary.reports, m.series.evaluatedAt]),
      [
        ['m1', 'RED', 2, [now - 2000, now - 1000]],
        ['m2', 'GREEN', 1, [now - 1500]],
      ],
    );
    assert.deepEqual(models[0].series.features, [], 'no per-feature points in the greeting');
    await assert.rejects(app.injectWS('/ws', { headers: { origin: 'http://evil.example', host: 'localhost:80' } }), /403/);
    await app.close();
  });

  test('an hour of 10 models (720 engine-sized reports each) greets in a few hundred KB; the page gets the rest on demand', async (t) => {
    const now = Date.now();
    const history = new ReportHistory({ maxAgeMs: 3_600_000, maxPerModel: 720, maxBytes: 64 << 20 }, () => now);
    let fullBytes = 0;
    for (let m = 0; m < 10; m++) {
      const green = engineSizedReport({ modelId: `model-${m}` });
      const red = engineSizedReport({ modelId: `model-${m}`, stuck: ['worst_radius'] });
      for (let i = 0; i < 720; i++) {
        // Each report its own id, time and service figures (full-precision doubles); the features of one of two templates.
        const report: DriftReport = {
          ...(i > 700 && m === 3 ? red : green),
          reportId: randomUUID(),
          evaluatedAt: now - 3_590_000 + i * 5000,
          latency: { p50: Math.random(), p95: Math.random(), p99: Math.random() },
          throughput: { eventsPerSecond: 400 * Math.random(), eventsSinceLastReport: 4000 },
        };
        const json = JSON.stringify(report);
        fullBytes += json.length;
        history.add(report, json);
      }
    }
    const { app } = await gateway({ dir, history });
    await app.ready();
    const [hello, first] = await firstFrames(app, 2);
    const greeting = Buffer.byteLength(hello) + Buffer.byteLength(first);
    t.diagnostic(`greeting: ${greeting} bytes (history frame ${Buffer.byteLength(first)}); the full reports: ${fullBytes} bytes`);
    assert.ok(greeting < 300_000, `greeting ${greeting} bytes`);
    const { models } = JSON.parse(first) as Extract<ServerMessage, { type: 'history' }>;
    assert.equal(models.length, 10);
    assert.ok(models.every((m) => m.series.evaluatedAt.length === 720));

    const model3 = models[3].summary;
    const latest = (await app.inject(`/api/models/model-3/reports?since=${model3.evaluatedAt}`)).json() as ReportsResponse;
    assert.deepEqual(latest.reports.map((r: DriftReport) => [r.evaluatedAt, r.status]), [[model3.evaluatedAt, 'RED']]);
    const feature = await app.inject('/api/models/model-3/series?feature=worst_radius');
    t.diagnostic(`one model's points with one feature: ${feature.body.length} bytes`);
    const series = feature.json() as SeriesColumns;
    assert.equal(series.features[0].status.filter((s) => s === 'RED').length, 19);
    assert.ok(feature.body.length < 100_000);
    assert.ok(history.bytes() <= 64 << 20, `history holds ${history.bytes()} bytes`);
    await app.close();
  });

  test('with a token, websocket and /api need it (header or access_token) and /healthz does not', async () => {
    const { app } = await gateway({ dir, token: 's3cret' });
    await app.ready();
    assert.equal((await app.inject('/api/models')).statusCode, 401);
    assert.equal((await app.inject({ url: '/api/models', headers: { authorization: 'Bearer wrong' } })).statusCode, 401);
    assert.equal((await app.inject({ url: '/api/models', headers: { authorization: 'Bearer s3cret' } })).statusCode, 200);
    assert.equal((await app.inject('/api/models/m1/reports?access_token=s3cret')).statusCode, 200);
    assert.equal((await app.inject('/healthz')).statusCode, 200);
    await assert.rejects(app.injectWS('/ws', { headers: { host: 'localhost:80' } }), /401/);
    const socket = await app.injectWS('/ws?access_token=s3cret', { headers: { host: 'localhost:80' } });
    socket.terminate();
    await app.close();
  });
});
