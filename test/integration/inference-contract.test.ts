/**
 * The inference-event contract on the real broker and registry: 1,000 events
 * Avro-encoded through the registry, produced to a 3-partition topic, decoded
 * by a consumer group exactly once and in order per partition, and decoded
 * again by an independent consumer that knows only the registry URL.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, Partitioners, type Admin, type EachMessagePayload } from 'kafkajs';
import { createRegistry, TopicSerde, valueSubject } from '../../pipeline/serde/registry-serde.ts';
import { schemaText } from '../../pipeline/serde/schemas.ts';
import type { InferenceEvent } from '../../pipeline/serde/inference-event.ts';
import { WDBC_FEATURES } from '../../pipeline/model/dataset.ts';
import { testCluster, unique } from '../support/cluster.ts';

const N = 1000;
const MODELS = ['model-a', 'model-b', 'model-c', 'model-d', 'model-e', 'model-f'];

function event(i: number): InferenceEvent {
  const features = Object.fromEntries(
    WDBC_FEATURES.map((f, j) => [f, i % 97 === j ? null : Math.sin(i + j) * 10 + 20]),
  );
  return {
    eventId: randomUUID(),
    modelId: MODELS[i % MODELS.length],
    modelVersion: 'v-test',
    eventTime: 1_700_000_000_000 + i,
    features,
    prediction: i % 3 === 0 ? 'M' : 'B',
    score: (i % 100) / 100,
    latencyMs: 0.1 + (i % 7) / 10,
  };
}

/** Decoded Avro records are class instances; compare their data. */
const plain = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

interface Received {
  partition: number;
  offset: string;
  value: InferenceEvent;
}

async function consumeAll(kafka: Kafka, topic: string, groupId: string, decode: (b: Buffer) => Promise<InferenceEvent>) {
  const consumer = kafka.consumer({ groupId, sessionTimeout: 10_000, heartbeatInterval: 1000 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const received: Received[] = [];
  const done = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`only ${received.length}/${N} events within 60 s`)), 60_000);
    void consumer.run({
      eachMessage: async ({ partition, message }: EachMessagePayload) => {
        received.push({ partition, offset: message.offset, value: await decode(message.value!) });
        if (received.length >= N) {
          clearTimeout(timer);
          resolve();
        }
      },
    });
  });
  try {
    await done;
    await new Promise((r) => setTimeout(r, 500)); // anything beyond N would be a duplicate
  } finally {
    await consumer.disconnect();
  }
  return received;
}

describe('inference-event contract on the real stack', () => {
  const cluster = testCluster();
  const topic = unique('aegis.contract-test');
  const kafka = new Kafka({ clientId: 'contract-test', brokers: cluster.brokers, logLevel: logLevel.WARN });
  let admin: Admin;
  const sent = Array.from({ length: N }, (_, i) => event(i));

  before(async () => {
    admin = kafka.admin();
    await admin.connect();
    const created = await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
    assert.equal(created, true);
  });

  after(async () => {
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  });

  test('the registry is configured for Confluent clients', async () => {
    const res = await fetch(`${cluster.schemaRegistryUrl}/config`);
    assert.equal(res.status, 200);
    const body = (await res.json()) as { compatibilityLevel?: string; compatibility?: string };
    assert.equal(body.compatibilityLevel ?? body.compatibility, 'BACKWARD');
  });

  test('1,000 events round-trip exactly once, in order per partition, for two groups', async () => {
    const registry = createRegistry(cluster.schemaRegistryUrl);
    const serde = await TopicSerde.create<InferenceEvent>(registry, topic, schemaText('inference-event'));
    const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
    assert.equal(metadata.topics[0].partitions.length, 3);

    // The same schema, reformatted, resolves to the same id: lookup by canonical hash.
    const compact = JSON.stringify(JSON.parse(schemaText('inference-event')));
    const again = await TopicSerde.create<InferenceEvent>(registry, topic, compact);
    assert.equal(again.schemaId, serde.schemaId);

    const producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await producer.connect();
    for (let start = 0; start < N; start += 100) {
      const batch = sent.slice(start, start + 100);
      await producer.send({
        topic,
        messages: await Promise.all(batch.map(async (e) => ({ key: e.modelId, value: await serde.encode(e) }))),
      });
    }
    await producer.disconnect();

    const byId = new Map(sent.map((e) => [e.eventId, e]));
    const check = (received: Received[]) => {
      assert.equal(received.length, N);
      assert.equal(new Set(received.map((r) => r.value.eventId)).size, N, 'each event exactly once');
      for (const r of received) assert.deepEqual(plain(r.value), byId.get(r.value.eventId));
      const partitions = new Set<number>();
      const lastTime = new Map<number, number>();
      for (const r of received) {
        partitions.add(r.partition);
        assert.ok(r.value.eventTime > (lastTime.get(r.partition) ?? -Infinity), 'in order within a partition');
        lastTime.set(r.partition, r.value.eventTime);
      }
      assert.ok(partitions.size >= 2, `events spread over partitions (${[...partitions]})`);
    };

    check(await consumeAll(kafka, topic, unique('contract-group-1'), (b) => serde.decode(b)));

    // An independent consumer: its own group, a fresh registry client, no schema in hand.
    const outsider = createRegistry(cluster.schemaRegistryUrl);
    check(await consumeAll(kafka, topic, unique('contract-group-2'), async (b) => (await outsider.decode(b)) as InferenceEvent));

    // Tests clean up after themselves: subject deletion is enabled.
    const del = await fetch(`${cluster.schemaRegistryUrl}/subjects/${encodeURIComponent(valueSubject(topic))}`, { method: 'DELETE' });
    assert.equal(del.status, 200);
  });
});
