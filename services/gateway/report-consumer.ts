/**
 * The gateway's reader of aegis.drift-reports.v1.
 *
 * Every gateway instance must see every report (it is a broadcast, not a work
 * queue), so each one joins its own consumer group, `aegis-gateway-<host>-<random>`,
 * which gets all partitions. History is rebuilt at start by seeking each
 * partition to the first offset whose timestamp is at most `historyMs` old
 * (admin.fetchTopicOffsetsByTimestamp): the topic is not replayed from the
 * beginning, so start-up costs one hour of reports whatever the retention.
 * Auto-commit is off: the position lives only in this process, and an
 * instance's group leaves nothing behind when it stops.
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Admin, Consumer, Kafka } from 'kafkajs';
import type { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { createKafka } from '../kafka/client.ts';
import { TOPICS } from '../kafka/topics.ts';
import { ensureTopics } from '../kafka/topic-setup.ts';
import { retryRetriable } from '../kafka/retry-retriable.ts';
import { createRegistry } from '../../pipeline/serde/registry-serde.ts';
import type { DriftReport } from '../../pipeline/serde/drift-report.ts';
import type { Logger } from '../log.ts';
import type { PartitionLag } from './metrics.ts';
import { withTimeout } from '../with-timeout.ts';

export interface ReportConsumerOptions {
  brokers: string[];
  schemaRegistryUrl: string;
  /** How far back to rebuild history from, in ms. */
  historyMs: number;
  groupId?: string;
  /** Budget of one health or lag probe, in ms. */
  probeTimeoutMs?: number;
  log: Logger;
}

export function gatewayGroupId(): string {
  return `aegis-gateway-${hostname()}-${randomBytes(4).toString('hex')}`;
}

export class ReportConsumer {
  readonly topic = TOPICS.driftReports;
  readonly groupId: string;
  private readonly kafka: Kafka;
  private readonly probeKafka: Kafka;
  private readonly registry: SchemaRegistry;
  private readonly log: Logger;
  private consumer: Consumer | undefined;
  private probeAdmin: Admin | undefined;
  /** Next offset to read, per partition. */
  private readonly position = new Map<number, number>();
  private rebuildTarget = new Map<number, number>();
  private markRebuilt: () => void = () => undefined;
  /** Resolves once the reports that were on the topic at start (within the history window) have been read. */
  readonly rebuilt: Promise<void>;
  undecodable = 0;

  constructor(private readonly options: ReportConsumerOptions) {
    this.groupId = options.groupId ?? gatewayGroupId();
    this.log = options.log.child({ component: 'report-consumer', topic: this.topic, groupId: this.groupId });
    this.kafka = createKafka(options.brokers, 'aegis-gateway', this.log);
    this.probeKafka = createKafka(options.brokers, 'aegis-gateway-probe', this.log, {
      connectionTimeout: 1000,
      requestTimeout: 2000,
      retry: { retries: 1, initialRetryTime: 100, maxRetryTime: 500 },
    });
    this.registry = createRegistry(options.schemaRegistryUrl);
    this.rebuilt = new Promise((resolve) => {
      this.markRebuilt = resolve;
    });
  }

  /** Joins the group, seeks to the start of the history window and calls `onReport` for every report (and its JSON) from then on. */
  async start(onReport: (report: DriftReport, json: string) => void): Promise<void> {
    const started = Date.now();
    const admin = this.kafka.admin();
    await admin.connect();
    let seekTo: { partition: number; offset: string }[];
    try {
      await ensureTopics(admin, [TOPICS.driftReports]);
      seekTo = await retryRetriable(() => admin.fetchTopicOffsetsByTimestamp(this.topic, started - this.options.historyMs));
      const high = await retryRetriable(() => admin.fetchTopicOffsets(this.topic));
      this.rebuildTarget = new Map(high.map((p) => [p.partition, Number(p.high)]));
    } finally {
      await admin.disconnect();
    }
    for (const { partition, offset } of seekTo) this.position.set(partition, Number(offset));
    const toRead = [...this.rebuildTarget].reduce((n, [p, high]) => n + Math.max(0, high - (this.position.get(p) ?? high)), 0);
    this.log.info({ partitions: seekTo, historyMs: this.options.historyMs, toRead }, 'rebuilding history from the topic');
    void this.rebuilt.then(() => this.log.info({ ms: Date.now() - started, read: toRead }, 'history rebuilt'));
    this.checkRebuilt();

    const consumer = this.kafka.consumer({
      groupId: this.groupId,
      sessionTimeout: 10_000,
      heartbeatInterval: 1000,
      maxWaitTimeInMs: 500,
    });
    this.consumer = consumer;
    consumer.on(consumer.events.CRASH, ({ payload }) =>
      this.log.error({ err: payload.error?.message, restart: payload.restart }, 'drift-report consumer crashed'),
    );
    // On every join (the first, and after kafkajs restarts a crashed consumer, e.g. while a
    // fresh cluster's group coordinator is still loading) resume from our own position:
    // nothing is committed, so without a seek a restarted consumer would skip to the end.
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      for (const partition of payload.memberAssignment[this.topic] ?? []) {
        const offset = this.position.get(partition);
        if (offset !== undefined) consumer.seek({ topic: this.topic, partition, offset: String(offset) });
      }
    });
    // The engines write reports in transactions, so a partition's last offset is often a commit
    // marker, which is never handed out as a message: the batch's last offset, not the last
    // message's, is how far the consumer has read.
    consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
      if (payload.topic !== this.topic) return;
      const next = Number(payload.lastOffset) + 1;
      if (next > (this.position.get(payload.partition) ?? -1)) this.position.set(payload.partition, next);
      this.checkRebuilt();
    });
    await consumer.connect();
    await consumer.subscribe({ topic: this.topic, fromBeginning: false });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) => {
        this.position.set(partition, Number(message.offset) + 1);
        try {
          if (message.value) {
            // Decoded Avro records are class instances; the history and the wire want plain data.
            const json = JSON.stringify(await this.registry.decode(message.value));
            onReport(JSON.parse(json) as DriftReport, json);
          }
        } catch (err) {
          this.undecodable++;
          this.log.warn({ partition, offset: message.offset, err: (err as Error).message }, 'skipping an undecodable drift report');
        }
        this.checkRebuilt();
      },
    });
  }

  /** Whether Kafka answers a metadata request within the probe budget. */
  async healthy(): Promise<boolean> {
    return (await this.lag()) !== undefined;
  }

  /** High watermark minus next offset to read, per partition; undefined when Kafka does not answer in time. */
  async lag(): Promise<PartitionLag[] | undefined> {
    try {
      const admin = await this.admin();
      const offsets = await withTimeout(admin.fetchTopicOffsets(this.topic), this.options.probeTimeoutMs ?? 2000, 'fetchTopicOffsets');
      return offsets.map(({ partition, high }) => ({
        partition,
        lag: Math.max(0, Number(high) - (this.position.get(partition) ?? Number(high))),
      }));
    } catch (err) {
      this.log.warn({ err: (err as Error).message }, 'Kafka does not answer');
      await this.resetProbe();
      return undefined;
    }
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
    this.consumer = undefined;
    await this.resetProbe();
  }

  private async admin(): Promise<Admin> {
    if (!this.probeAdmin) {
      const admin = this.probeKafka.admin();
      this.probeAdmin = admin;
      await withTimeout(admin.connect(), this.options.probeTimeoutMs ?? 2000, 'admin connect');
    }
    return this.probeAdmin;
  }

  private async resetProbe(): Promise<void> {
    const admin = this.probeAdmin;
    this.probeAdmin = undefined;
    await admin?.disconnect().catch(() => undefined);
  }

  private checkRebuilt(): void {
    for (const [partition, high] of this.rebuildTarget) {
      if ((this.position.get(partition) ?? high) < high) return;
    }
    this.markRebuilt();
  }
}
