/**
 * The gateway's Fastify app without Kafka (a fake probe): REST routes and
 * their validation, health, metrics, the dashboard files, and the websocket
 * handshake checks (origin, token), through app.inject and injectWS.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { buildGateway, type GatewayApp, type KafkaProbe } from '../../../services/gateway/server.ts';
import { ReportHistory } from '../../../services/gateway/report-history.ts';
import { ClientHub } from '../../../services/gateway/client-hub.ts';
import { OriginPolicy } from '../../../services/gateway/origin-policy.ts';
import type { ServerMessage } from '../../../services/gateway/messages.ts';
import { driftReport } from '../../support/drift-reports.ts';

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

async function gateway(options: { token?: string; dir: string; kafka?: FakeKafka }) {
  const history = new ReportHistory({ maxAgeMs: 3_600_000, maxPerModel: 100 });
  const now = Date.now();
  history.add(driftReport({ modelId: 'm1', evaluatedAt: now - 2000 }));
  history.add(driftReport({ modelId: 'm1', evaluatedAt: now - 1000, stuck: ['worst_radius'] }));
  history.add(driftReport({ modelId: 'm2', evaluatedAt: now - 1500 }));
  const hub = new ClientHub({ maxBufferedBytes: 1 << 20, heartbeatMs: 60_000 });
  const app = await buildGateway({
    history,
    hub,
    kafka: options.kafka ?? new FakeKafka(),
    relayed: () => 3,
    origins: new OriginPolicy(),
    token: options.token,
    dashboardDir: options.dir,
    logger: pino({ level: 'silent' }),
  });
  return { app, history, hub, now };
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

  test('GET /api/models/:id/reports filters by since, 404s an unknown model, 400s a bad since', async () => {
    const { app, now } = await gateway({ dir });
    const all = (await app.inject('/api/models/m1/reports')).json() as { reports: { evaluatedAt: number }[] };
    assert.equal(all.reports.length, 2);
    const recent = (await app.inject(`/api/models/m1/reports?since=${now - 1200}`)).json() as { reports: { evaluatedAt: number; status: string }[] };
    assert.deepEqual(recent.reports.map((r) => r.status), ['RED']);
    assert.equal((await app.inject('/api/models/nope/reports')).statusCode, 404);
    assert.equal((await app.inject('/api/models/m1/reports?since=yesterday')).statusCode, 400);
    assert.equal((await app.inject('/api/models/m1/reports?since=-5')).statusCode, 400);
    await app.close();
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

  test('the websocket greets with hello and the history; a foreign Origin is refused with 403', async () => {
    const { app } = await gateway({ dir });
    await app.ready();
    const messages: ServerMessage[] = [];
    let greeted: () => void;
    const greeting = new Promise<void>((resolve) => (greeted = resolve));
    const socket = await app.injectWS(
      '/ws',
      { headers: { origin: 'http://localhost:80', host: 'localhost:80' } },
      {
        onInit: (ws) =>
          ws.on('message', (data) => {
            messages.push(JSON.parse(String(data)) as ServerMessage);
            if (messages.length === 2) greeted();
          }),
      },
    );
    await greeting;
    assert.equal(messages[0].type, 'hello');
    assert.equal(messages[1].type, 'history');
    assert.equal((messages[1] as { reports: unknown[] }).reports.length, 3);
    socket.terminate();
    await assert.rejects(app.injectWS('/ws', { headers: { origin: 'http://evil.example', host: 'localhost:80' } }), /403/);
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
