/**
 * A broker killed under a running `aegis stack up` (kill -9 of the Kafka JVM)
 * comes back on its own: same port, its topics and records, the registry
 * untouched (same JVM, same schema ids). A producer running through the
 * restart loses no event and no label, and sends none twice.
 *
 * The test runs a stack of its own (its broker is killed), on ports below the
 * ephemeral range so that no outgoing connection can take them while Kafka is down.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { freeListenPort } from '../../services/stack/ports.ts';
import { TOPICS } from '../../services/kafka/topics.ts';
import type { InferenceEvent } from '../../pipeline/serde/inference-event.ts';
import type { Label } from '../../pipeline/serde/label.ts';
import { AegisChild } from '../support/aegis-child.ts';
import { killKafka, registryJvms, stackUp, type RunningStack } from '../support/local-stack-child.ts';
import { TopicReader } from '../support/topic-reader.ts';
import { unique } from '../support/cluster.ts';

const backCount = (s: RunningStack) => s.stack.tail(10_000_000).split('"msg":"kafka is back"').length - 1;

/** Kills the broker with SIGKILL; returns the seconds from kill to answering, once the stack has logged it back. */
async function killBroker(s: RunningStack): Promise<number> {
  const backBefore = backCount(s);
  const seconds = await killKafka(s.ports.kafkaPort, async () => undefined, 90_000);
  const deadline = Date.now() + 10_000;
  while (backCount(s) === backBefore) {
    assert.ok(Date.now() < deadline, 'the stack logs the broker back');
    await new Promise((r) => setTimeout(r, 100));
  }
  return seconds;
}

async function registerSchema(url: string, subject: string, name: string): Promise<{ id: number; schema: string }> {
  const schema = JSON.stringify({ type: 'record', name, fields: [{ name: 'n', type: 'long' }] });
  const res = await fetch(`${url}/subjects/${subject}/versions`, {
    method: 'POST',
    headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
    body: JSON.stringify({ schema }),
  });
  assert.equal(res.status, 200, await res.clone().text());
  return { id: ((await res.json()) as { id: number }).id, schema };
}

describe('a broker killed under aegis stack up', () => {
  let s: RunningStack;
  let kafka: Kafka;
  let admin: Admin;

  before(async () => {
    s = await stackUp({ kafkaPort: await freeListenPort(), registryPort: await freeListenPort() });
    kafka = new Kafka({ clientId: 'broker-restart-test', brokers: s.cluster.brokers, logLevel: logLevel.NOTHING });
    admin = kafka.admin();
    await admin.connect();
  });

  after(async () => {
    await admin?.disconnect();
    if (!s) return;
    s.stack.child.kill('SIGINT');
    assert.equal(await s.stack.exited, 0, 'Ctrl-C after the restarts still exits 0');
  });

  test('comes back on its port with its topics and records, and the registry keeps its schema ids', async (t) => {
    const topic = unique('restart-topic');
    await admin.createTopics({ topics: [{ topic, numPartitions: 3 }] });
    const sent = Array.from({ length: 300 }, (_, i) => ({ key: `k${i}`, value: `record ${i}` }));
    // idempotent: kafkajs re-sends a whole request when one partition of a new topic fails, and the broker drops the repeats only for an idempotent producer
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    await producer.send({ topic, messages: sent });
    await producer.disconnect();
    const schemas = [await registerSchema(s.cluster.schemaRegistryUrl, 'a-value', 'A'), await registerSchema(s.cluster.schemaRegistryUrl, 'b-value', 'B')];
    const [registryPid] = registryJvms(s.ports.registryPort);

    const seconds = await killBroker(s);
    t.diagnostic(`broker answered again ${seconds.toFixed(1)} s after kill -9`);

    assert.equal(s.stack.child.exitCode, null, 'aegis stack up is still running');
    assert.deepEqual(registryJvms(s.ports.registryPort), [registryPid], 'the registry JVM was not touched');
    assert.ok((await admin.listTopics()).includes(topic));
    const offsets = await admin.fetchTopicOffsets(topic);
    assert.equal(offsets.reduce((n, o) => n + Number(o.high), 0), 300);

    const consumer = kafka.consumer({ groupId: unique('restart-read') });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const read = new Map<string, string>();
    await new Promise<void>((done, fail) => {
      const timer = setTimeout(() => fail(new Error(`${read.size}/300 records read back within 60 s`)), 60_000);
      void consumer.run({
        eachMessage: async ({ message }) => {
          read.set(String(message.key), String(message.value));
          if (read.size === 300) {
            clearTimeout(timer);
            done();
          }
        },
      });
    });
    await consumer.disconnect();
    assert.deepEqual(read, new Map(sent.map((m) => [m.key, m.value])));

    for (const [subject, { id, schema }] of [['a-value', schemas[0]], ['b-value', schemas[1]]] as const) {
      const latest = (await (await fetch(`${s.cluster.schemaRegistryUrl}/subjects/${subject}/versions/latest`)).json()) as { id: number };
      assert.equal(latest.id, id, `${subject} keeps schema id ${id}`);
      const byId = (await (await fetch(`${s.cluster.schemaRegistryUrl}/schemas/ids/${id}`)).json()) as { schema: string };
      assert.deepEqual(JSON.parse(byId.schema), JSON.parse(schema));
    }
  });

  test('a producer running through the restart loses no event and no label and sends none twice', async (t) => {
    const artifacts = await mkdtemp(join(tmpdir(), 'aegis-artifacts-'));
    const env = { KAFKA_BROKERS: s.cluster.brokers.join(','), SCHEMA_REGISTRY_URL: s.cluster.schemaRegistryUrl, AEGIS_ARTIFACTS_DIR: artifacts };
    const modelId = unique('restart-model');
    const readers = [new TopicReader<InferenceEvent>(TOPICS.inference, new Set([modelId])), new TopicReader<Label>(TOPICS.labels, new Set([modelId]))];
    try {
      const train = new AegisChild(['train', '--model', modelId, '--no-publish'], env);
      assert.equal(await train.exited, 0, train.tail());
      const count = 4000;
      const producer = new AegisChild(['produce', '--model', modelId, '--count', String(count), '--rate', '400', '--label-delay', '2', '--seed', '7'], env);
      try {
        await producer.waitFor(/"msg":"progress"/, 60_000);
        const seconds = await killBroker(s);
        t.diagnostic(`broker answered again ${seconds.toFixed(1)} s after kill -9, under a producer`);
        assert.equal(producer.child.exitCode, null, 'the producer is still running after the restart');
        assert.equal(await producer.exited, 0, producer.tail());
      } finally {
        await producer.stop();
      }
      const done = producer
        .tail(10_000_000)
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .find((l) => l.msg === 'done');
      assert.deepEqual([done?.events, done?.labels], [count, count], 'the producer generated and sent every event and its label');
      assert.match(producer.tail(10_000_000), /ECONNREFUSED/, 'the producer was sending when the broker went down');

      const [events, labels] = readers;
      for (const r of readers) await r.start(s.cluster);
      await events.waitFor(`${count} events`, (rs) => rs.length >= count, 90_000);
      await labels.waitFor(`${count} labels`, (rs) => rs.length >= count, 90_000);
      await new Promise((r) => setTimeout(r, 2000)); // time for a duplicate to show
      const eventIds = events.values().map((e) => e.eventId);
      const labelIds = labels.values().map((l) => l.eventId);
      assert.equal(new Set(eventIds).size, count, 'every event arrived');
      assert.equal(eventIds.length, count, 'no event arrived twice');
      assert.equal(labelIds.length, count, 'no label arrived twice');
      assert.deepEqual(new Set(labelIds), new Set(eventIds), 'every event has its label');
    } finally {
      for (const r of readers) await r.stop();
      await rm(artifacts, { recursive: true, force: true });
    }
  });
});
