/**
 * bench:engine's model shapes: the same engine on a wide numeric model (300
 * features) and on a model with categorical features (the loan demo), each as
 * events/s through the broker beside raw kafkajs consume of the same topic,
 * and ms per evaluation of one model (the pure processor over a full window,
 * statistics and report building, without publishing).
 */
import { randomUUID } from 'node:crypto';
import { Partitioners, type Kafka } from 'kafkajs';
import type { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import type { Logger } from '../../services/log.ts';
import type { ClusterAddresses } from '../../services/stack/cluster.ts';
import { createKafka } from '../../services/kafka/client.ts';
import { publishProfile } from '../../services/reference/profile-publisher.ts';
import { DriftEngine } from '../../services/engine/drift-engine.ts';
import { loanReference } from '../../services/start/loan-demo.ts';
import { TopicSerde } from '../../pipeline/serde/registry-serde.ts';
import { schemaText } from '../../pipeline/serde/schemas.ts';
import type { FeatureValue, InferenceEvent } from '../../pipeline/serde/inference-event.ts';
import type { ReferenceProfile } from '../../pipeline/serde/reference-profile.ts';
import { buildProfile } from '../../pipeline/reference/build-profile.ts';
import { DriftProcessor } from '../../pipeline/engine/drift-processor.ts';
import { DEFAULT_POLICY } from '../../pipeline/drift/drift-policy.ts';
import { gaussian, mulberry32, type Rng } from '../../pipeline/random.ts';
import { application, approvalScore, decide, featuresOf } from '../../pipeline/simulator/loan-model.ts';
import { rawConsumeKafkajs } from './raw-consume.ts';

export interface Shape {
  name: string;
  profile: ReferenceProfile;
  event(rng: Rng): { features: Record<string, FeatureValue>; prediction: FeatureValue; score: number | null };
}

export function wideShape(modelId: string, width = 300): Shape {
  const rng = mulberry32(300);
  const names = Array.from({ length: width }, (_, j) => `x${j}`);
  return {
    name: `${width} numeric features`,
    profile: buildProfile({
      modelId,
      modelVersion: 'bench',
      createdAt: Date.now(),
      features: names.map((name, j) => ({ name, kind: 'NUMERIC' as const, values: Array.from({ length: 1000 }, () => gaussian(rng, j, 1)) })),
    }),
    event: (r) => ({ features: Object.fromEntries(names.map((n, j) => [n, gaussian(r, j, 1)])), prediction: null, score: null }),
  };
}

export function loanShape(modelId: string): Shape {
  return {
    name: '3 numeric + 3 categorical features (loan demo)',
    profile: { ...loanReference(1993), modelId },
    event: (r) => {
      const a = application(r);
      const score = approvalScore(a);
      return { features: featuresOf(a), prediction: decide(score), score };
    },
  };
}

/** Median ms of one evaluation of a full 1,000-event window, through the pure processor. */
export function evaluationMs(shape: Shape, runs = 15): number {
  const processor = new DriftProcessor({ minSamples: 200, window: { kind: 'count', size: 1000 }, policy: DEFAULT_POLICY }, randomUUID);
  processor.setReference(shape.profile);
  const rng = mulberry32(5);
  for (let i = 0; i < 1000; i++) {
    const e = shape.event(rng);
    processor.inference({ eventId: `e${i}`, modelId: shape.profile.modelId, modelVersion: 'bench', eventTime: i, latencyMs: 0.1, ...e }, 0, i);
  }
  const times: number[] = [];
  for (let k = 0; k < runs; k++) {
    const t = performance.now();
    processor.evaluate(1000 + k);
    times.push(performance.now() - t);
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)];
}

export interface ShapeResult {
  name: string;
  rawPerSecond: number;
  enginePerSecond: number;
  evaluationMs: number;
}

export async function benchShape(
  shape: Shape,
  n: number,
  o: { kafka: Kafka; cluster: ClusterAddresses; registry: SchemaRegistry; log: Logger },
): Promise<ShapeResult> {
  const topic = `aegis.bench-shape-${Date.now().toString(36)}.v1`;
  const admin = o.kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
  await publishProfile(o.cluster, shape.profile, o.log);
  const serde = await TopicSerde.create<InferenceEvent>(o.registry, topic, schemaText('inference-event'));
  const producer = o.kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  const rng = mulberry32(9);
  const modelId = shape.profile.modelId;
  for (let sent = 0; sent < n; ) {
    const batch = Math.min(100, n - sent);
    const messages = await Promise.all(
      Array.from({ length: batch }, () =>
        serde.encode({ eventId: randomUUID(), modelId, modelVersion: 'bench', eventTime: Date.now(), latencyMs: 0.1, ...shape.event(rng) }),
      ),
    );
    await producer.send({ topic, messages: messages.map((value) => ({ key: modelId, value })) });
    sent += batch;
  }
  await producer.disconnect();
  const raw = await rawConsumeKafkajs(o.kafka, topic, n);
  const engine = new DriftEngine(
    createKafka(o.cluster.brokers, 'bench-shape', o.log),
    o.registry,
    { groupId: `bench-shape-${randomUUID()}`, inputTopic: topic, labelsTopic: null, fromBeginning: true, intervalMs: 1000, minSamples: 200, window: { kind: 'count', size: 1000 }, policy: DEFAULT_POLICY },
    o.log,
  );
  await engine.start();
  let start = 0;
  while (engine.stats.eventsConsumed < n) {
    if (!start && engine.stats.eventsConsumed > 0) start = performance.now();
    await new Promise((r) => setTimeout(r, 20));
  }
  const enginePerSecond = n / ((performance.now() - start) / 1000);
  await engine.stop();
  await admin.deleteTopics({ topics: [topic] });
  await admin.disconnect();
  return { name: shape.name, rawPerSecond: raw.perSecond, enginePerSecond, evaluationMs: evaluationMs(shape) };
}
