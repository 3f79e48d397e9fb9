/**
 * `npm run bench:engine`: the drift engine through a real broker and registry.
 *
 * 1. Throughput: N inference events (Avro, through the registry) are written
 *    to a fresh topic; then, in the same run, a bare kafkajs consumer group
 *    reads them all (the ceiling: fetch only; raw-consume.ts, which also
 *    times @platformatic/kafka as a reference), and the drift engine consumes
 *    them all (fetch + Avro decode + validation + windows + evaluation every
 *    second). Both start from the beginning in groups of their own.
 * 2. Detection latency: the engine on the live topic at its interval, a
 *    producer sending healthy traffic that then gets a stuck worst_radius;
 *    the time from the first stuck event to the first RED report on the topic.
 *
 * The cluster comes from KAFKA_BROKERS / SCHEMA_REGISTRY_URL, else the local
 * stack is started for the run. BENCH_EVENTS sets N (default 200,000).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { provideCluster } from '../support/cluster-provider.ts';
import { rawConsumeRates } from './raw-consume.ts';
import { benchShape, loanShape, wideShape } from './engine-shapes.ts';
import { createLogger } from '../../services/log.ts';
import { createKafka } from '../../services/kafka/client.ts';
import { TOPICS } from '../../services/kafka/topics.ts';
import { ensureTopics } from '../../services/kafka/topic-setup.ts';
import { trainModel, DEFAULT_DATA_FILE } from '../../services/trainer/trainer.ts';
import { loadArtifact } from '../../services/trainer/artifact-store.ts';
import { infer } from '../../services/producer/model-server.ts';
import { runTrafficProducer } from '../../services/producer/traffic-producer.ts';
import { DriftEngine, type EngineConfig } from '../../services/engine/drift-engine.ts';
import { createRegistry, TopicSerde } from '../../pipeline/serde/registry-serde.ts';
import { schemaText } from '../../pipeline/serde/schemas.ts';
import type { InferenceEvent } from '../../pipeline/serde/inference-event.ts';
import type { DriftReport } from '../../pipeline/serde/drift-report.ts';
import { createTrafficGenerator } from '../../pipeline/simulator/traffic-generator.ts';
import { createScenario, DEFAULT_SCENARIO_SETTINGS } from '../../pipeline/simulator/scenarios.ts';
import { DEFAULT_POLICY } from '../../pipeline/drift/drift-policy.ts';
import { DEFAULT_SEED } from '../../pipeline/model/training-run.ts';

const N = Number(process.env.BENCH_EVENTS ?? 200_000);
const say = (m: string) => process.stderr.write(`[bench] ${m}\n`);
const quiet = createLogger('bench', 'warn');

const cluster = await provideCluster(say);
const artifacts = mkdtempSync(join(tmpdir(), 'aegis-bench-'));
try {
  const kafka = new Kafka({ clientId: 'bench', brokers: cluster.brokers, logLevel: logLevel.ERROR });
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(admin);
  const topic = `aegis.bench-${Date.now().toString(36)}.v1`;
  await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });

  const modelId = `bench-${Date.now().toString(36)}`;
  await trainModel({ modelId, dataFile: DEFAULT_DATA_FILE, artifactsRoot: artifacts, seed: DEFAULT_SEED, cluster, log: quiet });
  const artifact = await loadArtifact(artifacts, modelId);
  const registry = createRegistry(cluster.schemaRegistryUrl);
  const serde = await TopicSerde.create<InferenceEvent>(registry, topic, schemaText('inference-event'));

  // 1. the backlog
  say(`writing ${N} events to ${topic}`);
  const healthy = createScenario('healthy', { ...DEFAULT_SCENARIO_SETTINGS, features: [], stds: [] });
  const gen = createTrafficGenerator({ rows: artifact.traffic.rows, noise: 0.01, scenario: healthy, seed: 7 });
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  const features = artifact.model.model.features;
  let t0 = performance.now();
  for (let sent = 0; sent < N; ) {
    const n = Math.min(500, N - sent); // a batch stays under the broker's 1 MiB max.message.bytes
    const messages = [];
    for (let k = 0; k < n; k++) {
      const s = gen.next();
      const inf = infer(artifact.model.model, s.values);
      const event: InferenceEvent = {
        eventId: randomUUID(),
        modelId,
        modelVersion: artifact.model.version,
        eventTime: Date.now(),
        features: Object.fromEntries(features.map((f, j) => [f, s.values[j]])),
        prediction: inf.predictedClass,
        score: inf.score,
        latencyMs: inf.latencyMs,
      };
      messages.push({ key: modelId, value: await serde.encode(event) });
    }
    await producer.send({ topic, messages });
    sent += n;
  }
  const produceRate = N / ((performance.now() - t0) / 1000);
  await producer.disconnect();

  // raw consume: kafkajs, and @platformatic/kafka as a reference
  const { kafkajs: raw, platformatic } = await rawConsumeRates(kafka, cluster.brokers, topic, N);
  const rawCount = raw.events;
  const rawSeconds = raw.seconds;

  // the engine on the same events
  const config: EngineConfig = {
    groupId: `bench-engine-${randomUUID()}`,
    inputTopic: topic,
    labelsTopic: null,
    fromBeginning: true,
    intervalMs: 1000,
    minSamples: 200,
    window: { kind: 'count', size: 1000 },
    policy: DEFAULT_POLICY,
  };
  const engine = new DriftEngine(createKafka(cluster.brokers, 'bench-engine', quiet), registry, config, quiet);
  const memBefore = process.memoryUsage().rss;
  await engine.start();
  let engineStart = 0;
  while (engine.stats.eventsConsumed < N) {
    if (!engineStart && engine.stats.eventsConsumed > 0) engineStart = performance.now();
    await new Promise((r) => setTimeout(r, 20));
  }
  const engineSeconds = (performance.now() - engineStart) / 1000;
  const evaluations = engine.stats.evaluations;
  const lastEvalMs = engine.stats.lastEvaluationMs;
  const rss = process.memoryUsage().rss;
  await engine.stop();

  // 2. detection latency on the live topic
  const results: Array<{ interval: number; latencyMs: number }> = [];
  for (const intervalS of [2, 10]) {
    const liveModel = `${modelId}-live${intervalS}`;
    await trainModel({ modelId: liveModel, dataFile: DEFAULT_DATA_FILE, artifactsRoot: artifacts, seed: DEFAULT_SEED, cluster, log: quiet });
    const live = new DriftEngine(
      createKafka(cluster.brokers, 'bench-live', quiet),
      registry,
      { ...config, groupId: `bench-live-${randomUUID()}`, inputTopic: TOPICS.inference, labelsTopic: undefined, fromBeginning: false, intervalMs: intervalS * 1000 },
      quiet,
    );
    await live.start();
    const reportsConsumer = kafka.consumer({ groupId: `bench-reports-${randomUUID()}` });
    await reportsConsumer.connect();
    await reportsConsumer.subscribe({ topic: TOPICS.driftReports, fromBeginning: false });
    let firstRed = 0;
    let firstBadAt = 0;
    const eventsConsumer = kafka.consumer({ groupId: `bench-events-${randomUUID()}` });
    await eventsConsumer.connect();
    await eventsConsumer.subscribe({ topic: TOPICS.inference, fromBeginning: false });
    await eventsConsumer.run({
      eachMessage: async ({ message }) => {
        if (message.key?.toString() !== liveModel || firstBadAt) return;
        const e = (await registry.decode(message.value!)) as InferenceEvent;
        if (e.features.worst_radius === 0) firstBadAt = e.eventTime;
      },
    });
    await reportsConsumer.run({
      eachMessage: async ({ message }) => {
        if (message.key?.toString() !== liveModel || firstRed) return;
        const r = (await registry.decode(message.value!)) as DriftReport;
        if (r.status === 'RED') firstRed = Date.now();
      },
    });
    await new Promise((r) => setTimeout(r, 3000));
    const rate = 400;
    const after = rate * Math.max(10, 3 * intervalS);
    const liveArtifact = await loadArtifact(artifacts, liveModel);
    const wr = liveArtifact.model.model.features.indexOf('worst_radius');
    const abort = new AbortController();
    const started = Date.now();
    const producing = runTrafficProducer({
      cluster,
      artifact: liveArtifact,
      rate,
      scenario: createScenario('sensor-failure', { ...DEFAULT_SCENARIO_SETTINGS, after, features: [wr], stds: [] }),
      noise: 0.01,
      seed: 11,
      labelDelayMs: 0,
      signal: abort.signal,
      log: quiet,
    });
    while (!firstRed && Date.now() - started < 120_000) {
      await new Promise((r) => setTimeout(r, 10));
    }
    abort.abort();
    await producing;
    results.push({ interval: intervalS, latencyMs: firstRed && firstBadAt ? firstRed - firstBadAt : Number.NaN });
    await Promise.all([reportsConsumer.disconnect(), eventsConsumer.disconnect()]);
    await live.stop();
  }
  await admin.deleteTopics({ topics: [topic] });
  await admin.disconnect();

  // 3. model shapes: a wide numeric model and one with categorical features
  const SHAPE_N = Number(process.env.BENCH_SHAPE_EVENTS ?? 30_000);
  const shapes = [];
  for (const shape of [wideShape(`${modelId}-wide`), loanShape(`${modelId}-loans`)]) {
    say(`model shape: ${shape.name}, ${SHAPE_N} events`);
    shapes.push(await benchShape(shape, SHAPE_N, { kafka, cluster, registry, log: quiet }));
  }

  const fmt = (x: number) => Math.round(x).toLocaleString('en-US');
  console.log(`\nAegis drift engine benchmark (${cluster.source} cluster, ${N.toLocaleString('en-US')} events of one model, so one partition; 30 features)\n`);
  console.log('throughput                                   events/s   vs raw');
  console.log(`  produce (Avro encode + kafkajs send)      ${fmt(produceRate).padStart(9)}`);
  console.log(`  raw kafkajs consume (fetch only, best of 2) ${fmt(rawCount / rawSeconds).padStart(7)}    1.00`);
  console.log(`  raw @platformatic/kafka consume (best of 2) ${fmt(platformatic.perSecond).padStart(7)}    ${(platformatic.perSecond / raw.perSecond).toFixed(2)}`);
  console.log(`  drift engine (decode+validate+window+eval) ${fmt(N / engineSeconds).padStart(8)}    ${(N / engineSeconds / (rawCount / rawSeconds)).toFixed(2)}`);
  console.log(`  engine evaluations during the run: ${evaluations}, last took ${lastEvalMs.toFixed(1)} ms (incl. publishing); RSS ${fmt(rss / 1048576)} MiB (before start ${fmt(memBefore / 1048576)} MiB)`);
  console.log('\ndetection latency: first stuck worst_radius event produced → first RED report received (400 events/s)');
  for (const r of results) console.log(`  --interval ${String(r.interval).padStart(2)} s: ${Number.isNaN(r.latencyMs) ? 'no RED within 120 s' : `${(r.latencyMs / 1000).toFixed(2)} s`}`);
  console.log(`\nmodel shapes (${SHAPE_N.toLocaleString('en-US')} events each, one partition, window 1,000)`);
  console.log('  model                                           raw events/s   engine events/s   vs raw   ms per evaluation');
  for (const s of shapes) {
    console.log(
      `  ${s.name.padEnd(47)} ${fmt(s.rawPerSecond).padStart(12)}   ${fmt(s.enginePerSecond).padStart(15)}   ${(s.enginePerSecond / s.rawPerSecond).toFixed(2).padStart(6)}   ${s.evaluationMs.toFixed(1).padStart(17)}`,
    );
  }
} finally {
  rmSync(artifacts, { recursive: true, force: true });
  await cluster.stop();
}
process.exit(0);
