/**
 * Resolves when `consumer` has joined its group and been given partitions
 * (kafkajs' run() returns before that): a service says it has started only
 * when it will see the next record. Rejects after `timeoutMs`.
 */
import type { Consumer } from 'kafkajs';

export function groupJoined(consumer: Consumer, timeoutMs = 60_000): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      remove();
      reject(new Error(`the consumer group was not joined within ${timeoutMs} ms`));
    }, timeoutMs);
    const remove = consumer.on(consumer.events.GROUP_JOIN, () => {
      clearTimeout(timer);
      remove();
      resolve();
    });
  });
}
