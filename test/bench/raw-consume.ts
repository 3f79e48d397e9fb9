/**
 * The client's ceiling for bench:engine: how fast a bare consumer group reads
 * a backlog of N messages from the beginning, fetch only (no decode, no
 * processing), with kafkajs (the client the services use) and with
 * @platformatic/kafka (a maintained, faster pure-JS client, here only as a
 * reference for what the client costs). Each read gets a group of its own;
 * the clock starts at the first message delivered, so group join and the
 * first metadata round-trips are not counted. `rawConsumeRates` alternates the
 * clients for a few rounds and keeps each one's best: on a shared machine one
 * read can land in a burst of someone else's load.
 */
import { randomUUID } from 'node:crypto';
import { Consumer } from '@platformatic/kafka';
import type { Kafka } from 'kafkajs';

export interface ConsumeRate {
  client: string;
  events: number;
  seconds: number;
  perSecond: number;
}

function rate(client: string, events: number, start: number): ConsumeRate {
  const seconds = (performance.now() - start) / 1000;
  return { client, events, seconds, perSecond: events / seconds };
}

/** kafkajs consumer group, eachBatch (its fastest path). */
export async function rawConsumeKafkajs(kafka: Kafka, topic: string, n: number): Promise<ConsumeRate> {
  const consumer = kafka.consumer({ groupId: `bench-raw-${randomUUID()}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let count = 0;
  let start = 0;
  let done!: () => void;
  const finished = new Promise<void>((r) => (done = r));
  await consumer.run({
    eachBatch: async ({ batch }) => {
      if (!start) start = performance.now();
      count += batch.messages.length;
      if (count >= n) done();
    },
  });
  await finished;
  const result = rate('kafkajs', count, start);
  await consumer.disconnect();
  return result;
}

/** @platformatic/kafka consumer group, its message stream in flowing mode, Buffers as fetched. */
export async function rawConsumePlatformatic(brokers: string[], topic: string, n: number): Promise<ConsumeRate> {
  const consumer = new Consumer({ groupId: `bench-raw-plt-${randomUUID()}`, clientId: 'bench-raw-plt', bootstrapBrokers: brokers });
  try {
    const stream = await consumer.consume({ topics: [topic], mode: 'earliest' });
    let count = 0;
    let start = 0;
    await new Promise<void>((resolve, reject) => {
      stream.on('error', reject);
      stream.on('data', () => {
        if (!start) start = performance.now();
        if (++count === n) resolve();
      });
    });
    const result = rate('@platformatic/kafka', count, start);
    await stream.close();
    return result;
  } finally {
    await consumer.close(true);
  }
}

/** Best rate of each client over `rounds` alternating reads of the same backlog. */
export async function rawConsumeRates(
  kafka: Kafka,
  brokers: string[],
  topic: string,
  n: number,
  rounds = 2,
): Promise<{ kafkajs: ConsumeRate; platformatic: ConsumeRate }> {
  let kafkajs: ConsumeRate | undefined;
  let platformatic: ConsumeRate | undefined;
  for (let r = 0; r < rounds; r++) {
    const k = await rawConsumeKafkajs(kafka, topic, n);
    if (!kafkajs || k.perSecond > kafkajs.perSecond) kafkajs = k;
    const p = await rawConsumePlatformatic(brokers, topic, n);
    if (!platformatic || p.perSecond > platformatic.perSecond) platformatic = p;
  }
  return { kafkajs: kafkajs!, platformatic: platformatic! };
}
