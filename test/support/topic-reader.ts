/**
 * Reads a topic from the beginning in a consumer group of its own, decoding
 * each value with a fresh registry client (knowing only the registry URL, as
 * any outside subscriber would), and lets a test wait for what it expects.
 */
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { createRegistry } from '../../pipeline/serde/registry-serde.ts';
import { testCluster, unique } from './cluster.ts';

export interface Received<T> {
  partition: number;
  offset: string;
  key: string | null;
  value: T;
  raw: Buffer | null;
}

export class TopicReader<T> {
  readonly records: Received<T>[] = [];
  private consumer?: Consumer;

  /** @param keys when given, only records with one of these keys are decoded and kept */
  constructor(
    readonly topic: string,
    private readonly keys?: ReadonlySet<string>,
  ) {}

  async start(cluster = testCluster()): Promise<this> {
    const registry = createRegistry(cluster.schemaRegistryUrl);
    const kafka = new Kafka({ clientId: unique('reader'), brokers: cluster.brokers, logLevel: logLevel.ERROR });
    this.consumer = kafka.consumer({ groupId: unique(`test-reader-${this.topic}`) });
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: this.topic, fromBeginning: true });
    await this.consumer.run({
      eachMessage: async ({ partition, message }) => {
        const key = message.key?.toString() ?? null;
        if (this.keys && (key === null || !this.keys.has(key))) return;
        const value = message.value ? ((await registry.decode(message.value)) as T) : (null as T);
        this.records.push({ partition, offset: message.offset, key, value, raw: message.value });
      },
    });
    return this;
  }

  values(): T[] {
    return this.records.map((r) => r.value);
  }

  async waitFor(what: string, done: (records: Received<T>[]) => boolean, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!done(this.records)) {
      if (Date.now() > deadline) {
        const last = this.records.slice(-3).map((r) => JSON.stringify(r.value).slice(0, 300));
        throw new Error(`${this.topic}: ${what} not seen within ${timeoutMs} ms (${this.records.length} records; last: ${last.join(' | ')})`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
  }
}
