/**
 * Reads a topic from its beginning in a consumer group of its own and keeps
 * following it; `ready` resolves once everything that was on the topic when
 * it started has been handed to `onMessage`. This is how a service rebuilds
 * state kept in a topic (a compacted table, a changelog) on any host.
 */
import { randomUUID } from 'node:crypto';
import type { Kafka, KafkaMessage } from 'kafkajs';

export interface TopicReplay {
  /** Resolves when the topic's content at start has been read. */
  ready: Promise<void>;
  stop(): Promise<void>;
}

export async function replayTopic(
  kafka: Kafka,
  topic: string,
  groupPrefix: string,
  onMessage: (message: KafkaMessage, partition: number) => Promise<void> | void,
  timeoutMs = 30_000,
): Promise<TopicReplay> {
  const admin = kafka.admin();
  await admin.connect();
  const ends = await admin.fetchTopicOffsets(topic);
  await admin.disconnect();
  const pending = new Map(ends.filter((p) => BigInt(p.high) > BigInt(p.low)).map((p) => [p.partition, BigInt(p.high)]));

  const consumer = kafka.consumer({ groupId: `${groupPrefix}-${randomUUID()}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let caughtUp!: () => void;
  const read = new Promise<void>((resolve) => (caughtUp = resolve));
  if (pending.size === 0) caughtUp();
  await consumer.run({
    autoCommit: false,
    eachMessage: async ({ partition, message }) => {
      await onMessage(message, partition);
      const end = pending.get(partition);
      if (end !== undefined && BigInt(message.offset) + 1n >= end) {
        pending.delete(partition);
        if (pending.size === 0) caughtUp();
      }
    },
  });
  let timer: NodeJS.Timeout | undefined;
  const ready = Promise.race([
    read,
    new Promise<void>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${topic} not read to its end within ${timeoutMs} ms`)), timeoutMs);
    }),
  ]).finally(() => clearTimeout(timer));
  return { ready, stop: () => consumer.disconnect() };
}
