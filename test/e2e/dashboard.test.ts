/**
 * The dashboard in a real headless Chromium (Debian's, through playwright-core):
 *  - against reports published here: GREEN, then RED with the stuck feature
 *    marked, live without a reload; data strings escaped; reconnects after a
 *    gateway restart;
 *  - a websocket opened by a page of a foreign origin is refused;
 *  - the real pipeline, as processes: aegis train, engine, gateway and a
 *    sensor-failure producer; the page goes GREEN then RED with worst_radius
 *    marked. Screenshots go to test-results/e2e/ (gitignored).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel, Partitioners, type Producer } from 'kafkajs';
import type { Page } from 'playwright-core';
import { createLogger } from '../../services/log.ts';
import { TOPICS } from '../../services/kafka/topics.ts';
import { freePort } from '../../services/stack/ports.ts';
import { startGateway, type RunningGateway } from '../../services/gateway/gateway.ts';
import type { DriftReport } from '../../pipeline/serde/drift-report.ts';
import type { TopicSerde } from '../../pipeline/serde/registry-serde.ts';
import { testCluster, unique } from '../support/cluster.ts';
import { driftReport, driftReportSerde } from '../support/drift-reports.ts';
import { launchChromium, type Browser } from '../support/chromium.ts';
import { AegisChild, E2E_OUTPUT } from '../support/aegis-child.ts';

const cluster = testCluster();
const clusterEnv = { KAFKA_BROKERS: cluster.brokers.join(','), SCHEMA_REGISTRY_URL: cluster.schemaRegistryUrl };
const log = createLogger('dashboard-e2e', process.env.AEGIS_LOG_LEVEL ?? 'warn');

function gatewayAt(port: number): Promise<RunningGateway> {
  return startGateway({
    ...{ brokers: cluster.brokers, schemaRegistryUrl: cluster.schemaRegistryUrl },
    host: '127.0.0.1',
    port,
    historyMinutes: 60,
    historyPerModel: 300,
    historyMaxBytes: 64 << 20,
    allowedOrigins: [],
    allowedHosts: [],
    heartbeatMs: 5000,
    maxBufferedBytes: 8 << 20,
    maxTotalBufferedBytes: 64 << 20,
    log,
  });
}

/** Waits until the page shows `status` as the selected model's status text. */
async function statusShown(page: Page, status: string, timeout: number): Promise<void> {
  await page.locator('#model-status', { hasText: new RegExp(`^${status}$`) }).waitFor({ timeout });
}

async function markDocument(page: Page): Promise<void> {
  await page.evaluate(() => ((window as unknown as { __aegisSameDocument: boolean }).__aegisSameDocument = true));
}

async function sameDocument(page: Page): Promise<boolean> {
  return page.evaluate(() => (window as unknown as { __aegisSameDocument?: boolean }).__aegisSameDocument === true);
}

describe('dashboard in Chromium', () => {
  let browser: Browser;
  let producer: Producer;
  let serde: TopicSerde<DriftReport>;
  const publish = async (...reports: DriftReport[]) => {
    const messages = await Promise.all(reports.map(async (r) => ({ key: r.modelId, value: await serde.encode(r) })));
    await producer.send({ topic: TOPICS.driftReports, messages });
  };

  before(async () => {
    browser = await launchChromium();
    serde = await driftReportSerde(cluster.schemaRegistryUrl);
    producer = new Kafka({ clientId: 'dashboard-e2e', brokers: cluster.brokers, logLevel: logLevel.WARN }).producer({
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await producer.connect();
  });

  after(async () => {
    await producer.disconnect();
    await browser.close();
  });

  test('published reports: GREEN, then RED with worst_radius marked, live; strings escaped; reconnects', async () => {
    const port = await freePort();
    let gateway = await gatewayAt(port);
    try {
      const modelId = unique('e2e-published');
      const now = Date.now();
      await publish(...[3, 2, 1].map((s) => driftReport({ modelId, evaluatedAt: now - s * 2000 })));
      const page = await browser.page();
      const requested: string[] = [];
      page.on('request', (request) => requested.push(request.url()));
      await page.goto(`${gateway.url}/?model=${modelId}`);
      await statusShown(page, 'GREEN', 10_000);
      const elsewhere = requested.filter((url) => !url.startsWith(`${gateway.url}/`) && !url.startsWith(gateway.url.replace(/^http/, 'ws')));
      assert.deepEqual(elsewhere, [], 'the page loads nothing from anywhere but the gateway');
      assert.ok(requested.some((url) => url.endsWith('/app.js')));
      await page.locator('#connection[data-state="open"]').waitFor({ timeout: 5000 });
      await markDocument(page);
      assert.equal(await page.locator(`.model-card[data-model="${modelId}"] .status-text`).textContent(), 'GREEN');
      assert.equal(await page.locator('.feature').count(), 30);
      await page.screenshot({ path: join(E2E_OUTPUT, 'published-green.png'), fullPage: true });

      await publish(driftReport({ modelId, stuck: ['worst_radius'] }));
      await statusShown(page, 'RED', 5000);
      const tile = page.locator('.feature[data-feature="worst_radius"]');
      assert.equal(await tile.getAttribute('data-status'), 'RED');
      assert.match((await tile.textContent())!, /RED/);
      assert.equal(await page.locator('.feature[data-status="RED"]').count(), 1);
      assert.match((await page.locator('#model-reason').textContent())!, /worst_radius/);
      assert.match((await page.locator('#feature-title').textContent())!, /^worst_radius — RED/, 'the worst feature is shown');
      assert.match((await page.locator('#feature-severity').textContent())!, /^RED: mean moved [\d.]+ σ \(≥ 0\.75 σ\)/, 'why RED and not AMBER, in one line');
      assert.equal(await page.locator('#chart-pvalue canvas').count(), 1);
      assert.equal(await page.locator('#chart-histogram canvas').count(), 1);
      assert.ok(await sameDocument(page), 'no reload');
      await page.screenshot({ path: join(E2E_OUTPUT, 'published-red.png'), fullPage: true });

      await page.locator('.feature[data-feature="mean_radius"]').click();
      await page.locator('#feature-title', { hasText: /^mean_radius — GREEN/ }).waitFor({ timeout: 2000 });
      assert.equal(await page.locator('.feature[data-feature="mean_radius"]').getAttribute('aria-pressed'), 'true');

      const hostilePrefix = unique('e2e-hostile');
      const hostileId = `${hostilePrefix}<img src=x onerror="window.__aegisXss=1">`;
      const hostile = driftReport({ modelId: hostileId, stuck: ['worst_radius'] });
      hostile.reason = '<script>window.__aegisXss=2</script><b>bold</b>';
      await publish(hostile);
      const card = page.locator('.model-card', { hasText: hostilePrefix });
      await card.waitFor({ timeout: 5000 });
      assert.equal(await card.locator('.name').textContent(), hostileId);
      assert.equal(await card.locator('.reason').textContent(), hostile.reason);
      assert.equal(await page.locator('#models img, #models script, #models b').count(), 0);
      assert.equal(await page.evaluate(() => (window as unknown as { __aegisXss?: number }).__aegisXss), undefined);

      await page.evaluate(() => {
        const box = document.getElementById('connection')!;
        const seen: string[] = ((window as unknown as { __aegisConnection: string[] }).__aegisConnection = []);
        new MutationObserver(() => seen.push(box.textContent ?? '')).observe(box, { childList: true, characterData: true, subtree: true });
      });
      await gateway.stop();
      await page.locator('#connection[data-state="waiting"]').waitFor({ timeout: 5000 });
      gateway = await gatewayAt(port);
      await page.locator('#connection[data-state="open"]').waitFor({ timeout: 20_000 });
      const states = await page.evaluate(() => (window as unknown as { __aegisConnection: string[] }).__aegisConnection);
      assert.ok(states.some((s) => /^disconnected: .+; retrying in \d+ s$/.test(s)), `connection states shown: ${states.join(' | ')}`);
      assert.equal(states.at(-1), 'live');
      await publish(driftReport({ modelId }));
      await statusShown(page, 'GREEN', 5000);
      assert.ok(await sameDocument(page), 'reconnected without a reload');
      assert.deepEqual(browser.errors, []);
      await page.close();
    } finally {
      await gateway.stop();
    }
  });

  test('a reconnect to a gateway that holds the whole history redraws the shown feature before its points are fetched, with no script error', async () => {
    const gateway = await gatewayAt(0);
    try {
      const modelId = unique('e2e-reconnect');
      const now = Date.now();
      const reports = [3, 2, 1].map((s) => driftReport({ modelId, evaluatedAt: now - s * 2000 }));
      await publish(...reports);
      const deadline = Date.now() + 20_000;
      while (gateway.history.reports(modelId)?.reports.at(-1)?.reportId !== reports[2].reportId) {
        assert.ok(Date.now() < deadline, 'the gateway read the reports');
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const page = await browser.page();
      await page.goto(`${gateway.url}/?model=${modelId}`);
      await statusShown(page, 'GREEN', 10_000);
      await page.locator('#chart-pvalue canvas').waitFor({ timeout: 5000 });
      await markDocument(page);

      // The history a reconnect replays has points without features and ends with the report the page holds, so the page
      // draws at once, before the shown feature's points are fetched: its p-value chart has not one value.
      gateway.hub.closeAll('test: reconnect');
      await page.locator('#connection[data-state="waiting"]').waitFor({ timeout: 5000 });
      await page.locator('#connection[data-state="open"]').waitFor({ timeout: 10_000 });
      await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(resolve, 200)))));
      assert.ok(await sameDocument(page), 'reconnected without a reload');
      assert.equal(await page.locator('#chart-pvalue canvas').count(), 1);
      assert.deepEqual(browser.errors, []);
      await page.close();
    } finally {
      await gateway.stop();
    }
  });

  test('a websocket opened by a page from a foreign origin is refused', async () => {
    const gateway = await gatewayAt(0);
    const wsUrl = `${gateway.url.replace(/^http/, 'ws')}/ws`;
    const foreign: Server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!doctype html><title>elsewhere</title><p>another site</p>');
    });
    await new Promise<void>((resolve) => foreign.listen(0, '127.0.0.1', resolve));
    const foreignPort = (foreign.address() as { port: number }).port;
    const tryOpen = (url: string) =>
      new Promise<string>((resolve) => {
        const ws = new WebSocket(url);
        ws.onopen = () => {
          resolve('open');
          ws.close();
        };
        ws.onclose = (event) => resolve(`closed ${event.code}`);
      });
    try {
      const page = await browser.page();
      await page.goto(`http://127.0.0.1:${foreignPort}/`);
      assert.equal(await page.evaluate(tryOpen, wsUrl), 'closed 1006', 'refused at the handshake');
      await page.goto(`${gateway.url}/`);
      assert.equal(await page.evaluate(tryOpen, wsUrl), 'open', 'the same origin is let in');
      assert.deepEqual(browser.errors, []);
      await page.close();
    } finally {
      foreign.close();
      await gateway.stop();
    }
  });

  test('the real pipeline: train, engine, gateway and a stuck worst_radius sensor turn the page GREEN then RED', async (t) => {
    const artifacts = await mkdtemp(join(tmpdir(), 'aegis-e2e-artifacts-'));
    const modelId = unique('e2e-pipeline');
    const port = await freePort();
    const children: AegisChild[] = [];
    const run = (args: string[]) => {
      const child = new AegisChild(args, clusterEnv);
      children.push(child);
      return child;
    };
    try {
      const train = run(['train', '--artifacts', artifacts, '--model', modelId]);
      assert.equal(await train.exited, 0, `aegis train failed:\n${train.tail()}`);
      const engine = run(['engine', '--interval', '2', '--window', '1000', '--group', unique('aegis-engine-e2e')]);
      const gateway = run(['gateway', '--port', String(port)]);
      await gateway.waitFor(/^dashboard: http:\/\/127\.0\.0\.1:\d+\/$/m, 60_000);
      await engine.waitFor(/partitions assigned/, 90_000);

      const page = await browser.page();
      await page.goto(`http://127.0.0.1:${port}/?model=${modelId}`);
      await page.locator('#connection[data-state="open"]').waitFor({ timeout: 10_000 });
      await markDocument(page);
      const started = Date.now();
      run([
        'produce',
        ...['--artifacts', artifacts, '--model', modelId, '--rate', '400'],
        ...['--scenario', 'sensor-failure', '--features', 'worst_radius', '--after', '3000'],
      ]);

      await statusShown(page, 'GREEN', 90_000);
      t.diagnostic(`GREEN shown ${Date.now() - started} ms after the producer started`);
      await page.screenshot({ path: join(E2E_OUTPUT, 'pipeline-green.png'), fullPage: true });
      await statusShown(page, 'RED', 90_000);
      t.diagnostic(`RED shown ${Date.now() - started} ms after the producer started`);
      await page.locator('.feature[data-feature="worst_radius"][data-status="RED"]').waitFor({ timeout: 10_000 });
      assert.match((await page.locator('.feature[data-feature="worst_radius"]').textContent())!, /RED/);
      assert.match((await page.locator('#model-reason').textContent())!, /worst_radius/);
      assert.ok(await sameDocument(page), 'no reload');
      await page.screenshot({ path: join(E2E_OUTPUT, 'pipeline-red.png'), fullPage: true });
      assert.deepEqual(browser.errors, []);
      await page.close();
    } finally {
      await Promise.all(children.map((c) => c.stop()));
      await rm(artifacts, { recursive: true, force: true });
    }
  });
});
