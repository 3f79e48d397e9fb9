/**
 * `npm run bench:notify`: how fast `aegis notify` turns alerts into signed
 * webhook deliveries. Publishes BENCH_INCIDENTS incidents (an opening and a
 * closing alert each, for as many models) to aegis.alerts.v1 and measures, at
 * a local receiver that verifies every signature, the latency from each
 * alert's publication to its delivery and the sustained deliveries per
 * second. The destination's rate limit is raised out of the way (the default
 * is 60 a minute); the receiver answers at once.
 *
 * The cluster comes from KAFKA_BROKERS / SCHEMA_REGISTRY_URL, else the local
 * stack (started and stopped here).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { provideCluster } from '../support/cluster-provider.ts';
import { AegisChild } from '../support/aegis-child.ts';
import { WebhookReceiver } from '../support/webhook-receiver.ts';
import { reportAlerts } from '../support/alerts.ts';
import { unique } from '../support/cluster.ts';
import { TOPICS } from '../../services/kafka/topics.ts';
import { ensureTopics } from '../../services/kafka/topic-setup.ts';
import { createRegistry, TopicSerde } from '../../pipeline/serde/registry-serde.ts';
import { schemaText } from '../../pipeline/serde/schemas.ts';
import type { Alert } from '../../pipeline/serde/alert.ts';

const INCIDENTS = Number(process.env.BENCH_INCIDENTS ?? 250);
const say = (m: string) => process.stderr.write(`[bench] ${m}\n`);
const secret = unique('bench-secret');

const cluster = await provideCluster(say);
const dir = mkdtempSync(join(tmpdir(), 'aegis-bench-notify-'));
const receiver = await new WebhookReceiver(secret).start();
let notify: AegisChild | undefined;
try {
  const kafka = new Kafka({ clientId: 'bench', brokers: cluster.brokers, logLevel: logLevel.ERROR });
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(admin);
  await admin.disconnect();
  const serde = await TopicSerde.create<Alert>(createRegistry(cluster.schemaRegistryUrl), TOPICS.alerts, schemaText('alert'));
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();

  const prefix = unique('bench');
  const config = join(dir, 'notify.json');
  writeFileSync(
    config,
    JSON.stringify({
      retrain: { enabled: false },
      destinations: [{ name: 'bench', kind: 'webhook', url: `${receiver.url}/bench`, secretEnv: 'BENCH_SECRET', models: [`${prefix}-*`], ratePerMinute: 60_000, burst: 1000 }],
    }),
  );
  notify = new AegisChild(['notify', '--config', config, '--group', `${prefix}-notify`], {
    KAFKA_BROKERS: cluster.brokers.join(','),
    SCHEMA_REGISTRY_URL: cluster.schemaRegistryUrl,
    BENCH_SECRET: secret,
  });
  await notify.waitFor(/notify started/, 60_000);
  await new Promise((r) => setTimeout(r, 2000));

  const groups = Array.from({ length: INCIDENTS }, (_, i) => `${prefix}-${i}`).flatMap((m) => [reportAlerts(m, ['GREEN', 'RED']), reportAlerts(m, ['RED', 'GREEN'])]);
  const publishedAt = new Map<string, number>();
  const started = Date.now();
  for (const alerts of groups) {
    const at = Date.now();
    await producer.send({ topic: TOPICS.alerts, messages: await Promise.all(alerts.map(async (a) => ({ key: a.modelId, value: await serde.encode(a) }))) });
    publishedAt.set(`${alerts[0].reportId}`, at);
  }
  const published = Date.now();
  const expected = groups.length;
  while (receiver.effects('/bench').length < expected) {
    if (Date.now() - started > 300_000) throw new Error(`only ${receiver.effects('/bench').length} of ${expected} delivered in 5 minutes`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const effects = receiver.effects('/bench');
  const latencies = effects
    .map((r) => {
      const body = r.body as { incidentId: string; event: string; reportId: string };
      return r.receivedAt - publishedAt.get(body.reportId)!;
    })
    .sort((a, b) => a - b);
  const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))];
  const span = (effects.at(-1)!.receivedAt - effects[0].receivedAt) / 1000;
  console.log(`notifications delivered: ${effects.length} (${INCIDENTS} incidents, opened + resolved), all signatures verified: ${receiver.received.every((r) => r.verified)}`);
  console.log(`publishing took ${((published - started) / 1000).toFixed(1)} s; deliveries/s: ${(effects.length / span).toFixed(0)}`);
  console.log(`latency alert published → delivered: p50 ${q(0.5)} ms, p95 ${q(0.95)} ms, max ${latencies.at(-1)} ms`);
  await producer.disconnect();
} finally {
  await notify?.stop();
  await receiver.stop();
  rmSync(dir, { recursive: true, force: true });
  await cluster.stop();
}
