/**
 * Reads a topic from its beginning in a consumer group of its own and keeps
 * following it; `ready` resolves once everything that was on the topic when
 * it started has been handed to `onMessage`, and `catchUp()` once everything
 * on it now has. This is how a service rebuilds state kept in a topic (a
 * compacted table, a changelog) on any host.
 *
 * Progress is the consumer's position (the offset after the last record of
 * each fetched batch, control records included), not the last message seen:
 * on a topic written in transactions the last offset is a commit marker that
 * no message carries.
 */
import { randomUUID } from 'node:crypto';
import type { Admin, Kafka, KafkaMessage } from 'kafkajs';

export interface TopicReplay {
  /** Resolves when the topic's content at start has been read. */
  ready: Promise<void>;
  /** Resolves when what is on the topic now has been read; rejects after timeoutMs. */
  catchUp(timeoutMs: number): Promise<void>;
  stop(): Promise<void>;
}

export async function replayTopic(
  kafka: Kafka,
  topic: string,
  groupPrefix: string,
  onMessage: (message: KafkaMessage, partition: number) => Promise<void> | void,
  timeoutMs = 30_000,
): Promise<TopicReplay> {
  const position = new Map<number, bigint>();
  const waiters = new Set<() => void>();
  const advance = (partition: number, next: bigint) => {
    if (next <= (position.get(partition) ?? -1n)) return;
    position.set(partition, next);
    for (const w of waiters) w();
  };
  const admin = kafka.admin();
  await admin.connect();
  const ends = async (a: Admin) => (await a.fetchTopicOffsets(topic)).filter((p) => BigInt(p.high) > BigInt(p.low)).map((p) => [p.partition, BigInt(p.high)] as const);
  const reached = (targets: ReadonlyArray<readonly [number, bigint]>, ms: number) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (targets.every(([p, end]) => (position.get(p) ?? 0n) >= end)) {
          waiters.delete(check);
          clearTimeout(timer);
          resolve();
        }
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`${topic} not read to its end within ${ms} ms (retriable)`));
      }, ms);
      waiters.add(check);
      check();
    });
  const atStart = await ends(admin);

  const consumer = kafka.consumer({ groupId: `${groupPrefix}-${randomUUID()}` });
  consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => advance(payload.partition, BigInt(payload.lastOffset) + 1n));
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachMessage: async ({ partition, message }) => {
      await onMessage(message, partition);
      advance(partition, BigInt(message.offset) + 1n);
    },
  });
  return {
    ready: reached(atStart, timeoutMs),
    catchUp: async (ms) => reached(await ends(admin), ms),
    async stop() {
      for (const w of waiters) w();
      await consumer.disconnect();
      await admin.disconnect();
    },
  };
}
