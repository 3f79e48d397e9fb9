/**
 * `aegis notify` on the real broker and registry, delivering to a real HTTP
 * receiver on a loopback port that verifies signatures and misbehaves: fails
 * the first attempts, answers 429 with Retry-After, is slow, refuses for good.
 * Alerts are published to aegis.alerts.v1 as the engine would publish them.
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
import type { NotifyDeadLetter } from '../../pipeline/serde/notify-dead-letter.ts';
import { testCluster, unique } from '../support/cluster.ts';
import { AegisChild } from '../support/aegis-child.ts';
import { topicsAndProducer } from '../support/test-producer.ts';
import { TopicReader } from '../support/topic-reader.ts';
import { WebhookReceiver, type Received } from '../support/webhook-receiver.ts';
import { reportAlerts } from '../support/alerts.ts';

const SECRET = `whsec-${unique('s')}`;
const RETRY = { maxAttempts: 4, baseDelayMs: 200, maxDelayMs: 1000, maxElapsedMs: 20_000 };

describe('aegis notify on the real stack', () => {
  const cluster = testCluster();
  const env = { KAFKA_BROKERS: cluster.brokers.join(','), SCHEMA_REGISTRY_URL: cluster.schemaRegistryUrl, NOTIFY_TEST_SECRET: SECRET };
  const dir = mkdtempSync(join(tmpdir(), 'aegis-notify-test-'));
  const run = unique('n');
  const receiver = new WebhookReceiver(SECRET);
  const processes: AegisChild[] = [];
  let producer: Producer;
  let serde: TopicSerde<Alert>;

  const publish = async (...groups: Alert[][]) => {
    for (const alerts of groups) {
      await producer.send({
        topic: TOPICS.alerts,
        messages: await Promise.all(alerts.map(async (a) => ({ key: a.modelId, value: await serde.encode(a) }))),
      });
    }
  };
  const startNotify = async (name: string, config: object, group: string) => {
    const file = join(dir, `${name}.json`);
    writeFileSync(file, JSON.stringify(config));
    const p = new AegisChild(['notify', '--config', file, '--group', group], env);
    processes.push(p);
    await p.waitFor(/notify started/, 60_000);
    return p;
  };
  const webhook = (name: string, path: string, models: string[], extra: object = {}) => ({
    name,
    kind: 'webhook',
    url: `${receiver.url}${path}`,
    secretEnv: 'NOTIFY_TEST_SECRET',
    models,
    ...extra,
  });
  const until = async (what: string, done: () => boolean, timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs;
    while (!done()) {
      if (Date.now() > deadline) throw new Error(`${what} not seen within ${timeoutMs} ms: ${JSON.stringify(receiver.received.map((r) => [r.path, r.deliveryId, r.attempt, r.answered]))}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const events = (rs: Received[], model: string) => rs.filter((r) => r.body.modelId === model).map((r) => `${r.body.event}:${r.body.status}`);

  before(async () => {
    await receiver.start();
    producer = await topicsAndProducer('notify-test', cluster);
    serde = await TopicSerde.create(createRegistry(cluster.schemaRegistryUrl), TOPICS.alerts, schemaText('alert'));
  });

  after(async () => {
    await Promise.all(processes.map((p) => p.stop()));
    await producer?.disconnect();
    await receiver.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a receiver that fails, answers 429 and is slow: each incident delivered once, in order per model, signed', async () => {
    const ops = '/ops';
    const slack = '/slack';
    // Per delivery: 503, then 429 Retry-After 1 s, then a slow (1.5 s) 200.
    receiver.on(ops, (attempt) =>
      attempt === 1 ? { status: 503 } : attempt === 2 ? { status: 429, headers: { 'retry-after': '1' } } : { status: 200, delayMs: 1500 },
    );
    receiver.unsigned(slack).on(slack, (attempt) => (attempt === 1 ? { status: 500 } : { status: 200 }));
    const [m1, m2] = [`${run}-a-1`, `${run}-a-2`];
    const notify = await startNotify(
      'faults',
      {
        dashboardUrl: 'http://dash.example:3000/',
        retry: RETRY,
        retrain: { enabled: false },
        destinations: [
          webhook('ops', ops, [`${run}-a-*`]),
          { name: 'team', kind: 'slack', url: `${receiver.url}${slack}`, minStatus: 'RED', models: [m2] },
        ],
      },
      unique('notify'),
    );
    const started = Date.now();
    await publish(
      reportAlerts(m1, ['GREEN', 'RED'], [['worst_radius', 'GREEN', 'RED']]),
      reportAlerts(m2, ['GREEN', 'AMBER'], [['mean_area', 'GREEN', 'AMBER']]),
      reportAlerts(m1, ['RED', 'AMBER'], [['worst_radius', 'RED', 'AMBER']]),
      reportAlerts(m2, ['AMBER', 'RED']),
      reportAlerts(m1, ['AMBER', 'GREEN'], [['worst_radius', 'AMBER', 'GREEN']]),
      reportAlerts(m2, ['RED', 'GREEN'], [['mean_area', 'AMBER', 'GREEN']]),
    );
    await until('4 ops and 2 slack deliveries', () => receiver.accepted(ops).length >= 4 && receiver.accepted(slack).length >= 2, 90_000);
    await new Promise((r) => setTimeout(r, 2000)); // nothing more arrives
    const accepted = receiver.accepted(ops);
    const all = receiver.received.filter((r) => r.path === ops);
    process.stderr.write(`[notify] 6 deliveries through 503/429/slow: ${((Date.now() - started) / 1000).toFixed(1)} s, ${all.length} requests\n`);

    assert.ok(all.every((r) => r.verified), 'every request carries a valid signature');
    assert.equal(new Set(accepted.map((r) => r.deliveryId)).size, accepted.length, 'each delivery accepted once');
    assert.deepEqual(events(accepted, m1), ['incident.opened:RED', 'incident.resolved:GREEN']);
    assert.deepEqual(events(accepted, m2), ['incident.opened:AMBER', 'incident.resolved:GREEN']);
    for (const r of accepted) assert.equal(r.attempt, 3, `${r.deliveryId} accepted at the third attempt`);

    const opened = accepted.find((r) => r.body.modelId === m1 && r.body.event === 'incident.opened')!.body;
    const resolved = accepted.find((r) => r.body.modelId === m1 && r.body.event === 'incident.resolved')!.body;
    assert.equal(opened.previousStatus, 'GREEN');
    assert.deepEqual(opened.features, [{ name: 'worst_radius', status: 'RED', reason: 'worst_radius: KS D 0.97, PSI 4.8' }]);
    assert.equal(opened.dashboardUrl, `http://dash.example:3000/?model=${m1}`);
    assert.equal(resolved.incidentId, opened.incidentId, 'the end names the incident');
    assert.equal(resolved.previousStatus, 'AMBER');
    for (const key of ['modelId', 'status', 'previousStatus', 'incidentId', 'reason', 'features', 'at', 'dashboardUrl']) assert.ok(key in opened, key);

    // Retry-After: nothing reaches the destination within 1 s of a 429.
    for (const r of all.filter((x) => x.answered === 429)) {
      const early = all.filter((x) => x.receivedAt > r.receivedAt && x.receivedAt < r.receivedAt + 950);
      assert.deepEqual(early.map((x) => x.deliveryId), [], `requests within Retry-After of the 429 for ${r.deliveryId}`);
    }

    const slackAccepted = receiver.accepted(slack);
    assert.deepEqual(slackAccepted.map((r) => r.body.text), [`${m2} is RED (was AMBER)`, `${m2} is GREEN again (was RED)`]);
    const block = (slackAccepted[0].body.blocks as { text: { text: string } }[])[0].text.text;
    assert.match(block, /mean_area/);
    assert.match(block, new RegExp(`<http://dash\\.example:3000/\\?model=${m2}\\|open the dashboard>`));
    assert.ok(!notify.tail(4_000_000).includes(SECRET), 'the secret is never logged');
  });

  test('a delivery refused for good, or failing past its retries, is parked with its last error and the stream goes on', async () => {
    receiver.on('/gone', () => ({ status: 404 }));
    receiver.on('/down', () => ({ status: 503 }));
    receiver.on('/fine', () => ({ status: 200 }));
    const [gone, down, fine] = [`${run}-b-gone`, `${run}-b-down`, `${run}-b-fine`];
    const letters = await new TopicReader<NotifyDeadLetter>(TOPICS.notifyDeadLetter, new Set([gone, down])).start();
    try {
      await startNotify(
        'dead-letter',
        {
          retry: { ...RETRY, maxAttempts: 3 },
          retrain: { enabled: false },
          destinations: [webhook('gone', '/gone', [gone]), webhook('down', '/down', [down]), webhook('fine', '/fine', [fine])],
        },
        unique('notify'),
      );
      await publish(reportAlerts(gone, ['GREEN', 'RED']), reportAlerts(down, ['GREEN', 'RED']), reportAlerts(fine, ['GREEN', 'RED']));
      await letters.waitFor('two parked notifications', (rs) => rs.length >= 2, 60_000);
      await until('the next alert delivered', () => receiver.accepted('/fine').some((r) => r.body.modelId === fine), 30_000);
      const byModel = new Map(letters.values().map((l) => [l.modelId, l]));
      const g = byModel.get(gone)!;
      assert.equal(g.attempts, 1, 'a 404 is not retried');
      assert.equal(g.lastStatusCode, 404);
      assert.equal(g.retriable, false);
      assert.equal(g.destination, 'gone');
      assert.equal(JSON.parse(g.payload).modelId, gone);
      assert.ok(g.alert && g.alert.length > 0, 'the alert is kept');
      const d = byModel.get(down)!;
      assert.equal(d.attempts, 3);
      assert.equal(d.retriable, true);
      assert.match(d.lastError, /3 attempts: HTTP 503/);
      assert.equal(receiver.received.filter((r) => r.path === '/down').length, 3);
    } finally {
      await letters.stop();
    }
  });

  test('killed mid-delivery and restarted: nothing lost, nothing committed is sent again', async () => {
    receiver.on('/slow', () => ({ status: 200, delayMs: 2500 }));
    const models = [1, 2, 3, 4].map((i) => `${run}-c-${i}`);
    const config = { retry: RETRY, retrain: { enabled: false }, destinations: [webhook('slow', '/slow', [`${run}-c-*`])] };
    const group = unique('notify');
    const first = await startNotify('kill', config, group);
    await publish(...models.map((m) => reportAlerts(m, ['GREEN', 'RED'])), ...models.map((m) => reportAlerts(m, ['RED', 'GREEN'])));
    const slow = () => receiver.received.filter((r) => r.path === '/slow');
    await until('a second delivery in flight', () => slow().length >= 2, 60_000);
    await new Promise((r) => setTimeout(r, 500));
    process.kill(-first.child.pid!, 'SIGKILL');
    await first.exited;
    const beforeKill = slow().map((r) => ({ ...r }));
    const completed = beforeKill.filter((r) => r.answered === 200).map((r) => r.deliveryId);
    const inFlight = beforeKill.filter((r) => r.answered === undefined).map((r) => r.deliveryId);
    assert.ok(completed.length >= 1 && inFlight.length === 1, `killed with ${completed.length} done and ${inFlight.length} in flight`);

    const restartedAt = Date.now();
    await startNotify('kill-restarted', config, group);
    await until('all 8 deliveries', () => new Set(receiver.accepted('/slow').map((r) => r.deliveryId)).size >= 8, 90_000);
    await new Promise((r) => setTimeout(r, 3000));
    const after = slow().filter((r) => r.receivedAt >= restartedAt);
    assert.deepEqual(
      after.filter((r) => completed.includes(r.deliveryId)).map((r) => r.deliveryId),
      [],
      'deliveries completed before the kill are not sent again',
    );
    assert.equal(after[0].deliveryId, inFlight[0], 'the one in flight is sent again first, with the same delivery id');
    const accepted = receiver.accepted('/slow');
    const repeated = accepted.map((r) => r.deliveryId).filter((id, i, ids) => ids.indexOf(id) !== i);
    assert.ok(repeated.every((id) => inFlight.includes(id)), `only the delivery in flight at the kill can arrive twice: ${repeated}`);
    const effects = receiver.effects('/slow');
    for (const m of models) assert.deepEqual(events(effects, m), ['incident.opened:RED', 'incident.resolved:GREEN'], m);
    process.stderr.write(`[notify] kill -9 mid-delivery: ${effects.length} of 8 delivered after restart, ${repeated.length} repeated (in flight at the kill)\n`);
  });
});
