/**
 * Reads one model's records of a topic from a point in time to the end the
 * topic has now: the start offsets come from the broker's time index
 * (admin.fetchTopicOffsetsByTimestamp, the first record at or after `since`
 * in each partition), the end from the high watermarks, and a consumer in a
 * throwaway group seeks to the starts and reads until every partition has
 * reached its end. Records are filtered by key (the model id) and timestamp,
 * so a record fetched before the seek took effect is not counted.
 */
import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import type { SchemaRegistry } from '@kafkajs/confluent-schema-registry';

export async function readRecent<T>(
  kafka: Kafka,
  registry: SchemaRegistry,
  topic: string,
  key: string,
  since: number,
  timeoutMs = 60_000,
): Promise<T[]> {
  const admin = kafka.admin();
  await admin.connect();
  let starts: { partition: number; offset: string }[];
  let ends: { partition: number; high: string }[];
  try {
    starts = await admin.fetchTopicOffsetsByTimestamp(topic, since);
    ends = await admin.fetchTopicOffsets(topic);
  } finally {
    await admin.disconnect();
  }
  const end = new Map(ends.map((p) => [p.partition, BigInt(p.high)]));
  const pending = new Map(starts.filter((s) => BigInt(s.offset) < (end.get(s.partition) ?? 0n)).map((s) => [s.partition, end.get(s.partition)!]));
  const out: T[] = [];
  if (pending.size === 0) return out;

  const consumer = kafka.consumer({ groupId: `aegis-trainer-read-${randomUUID()}` });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    let done!: () => void;
    const finished = new Promise<void>((resolve) => (done = resolve));
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) => {
        const last = pending.get(partition);
        if (last === undefined) return;
        if (message.value && message.key?.toString() === key && Number(message.timestamp) >= since) {
          out.push((await registry.decode(message.value)) as T);
        }
        if (BigInt(message.offset) + 1n >= last) {
          pending.delete(partition);
          if (pending.size === 0) done();
        }
      },
    });
    for (const s of starts) if (pending.has(s.partition)) consumer.seek({ topic, partition: s.partition, offset: s.offset });
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      finished,
      new Promise<void>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${topic} not read to its end within ${timeoutMs} ms (retriable)`)), timeoutMs);
      }),
    ]).finally(() => clearTimeout(timer));
  } finally {
    await consumer.disconnect();
  }
  return out;
}
