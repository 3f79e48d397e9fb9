/**
 * `aegis notify`'s delivery half: a consumer group on aegis.alerts.v1 that
 * feeds the alerts of each report to the IncidentTracker and delivers what it
 * returns, one report's alerts at a time (so notifications of a model arrive
 * in order), to all their destinations at once. The offset after a report's
 * alerts is committed only when each of its notifications is delivered or
 * parked on aegis.notify-dead-letter.v1 with its last error.
 *
 * The tracker's state is rebuilt at start by replaying the topic up to the
 * group's committed offset, so a restart neither repeats a notification
 * already committed nor forgets an open incident. What was in flight when the
 * process died is delivered again with the same deliveryId (at least once; a
 * receiver deduplicates on X-Aegis-Delivery).
 */
import type { Consumer, EachBatchPayload, Kafka, KafkaMessage, Producer } from 'kafkajs';
import { Partitioners } from 'kafkajs';
import type { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import type { Alert } from '../../pipeline/serde/alert.ts';
import type { NotifyDeadLetter } from '../../pipeline/serde/notify-dead-letter.ts';
import { schemaText } from '../../pipeline/serde/schemas.ts';
import { TopicSerde } from '../../pipeline/serde/registry-serde.ts';
import { IncidentTracker, type Notification } from '../../pipeline/notify/incidents.ts';
import type { NotifyConfig } from '../../pipeline/notify/notify-config.ts';
import { TOPICS } from '../kafka/topics.ts';
import { replayTopic } from '../kafka/topic-replay.ts';
import { groupJoined } from '../kafka/group-joined.ts';
import { retryRetriable } from '../kafka/retry-retriable.ts';
import type { Logger } from '../log.ts';
import { Aborted, DestinationSender } from './destination-sender.ts';

export interface NotifierOptions {
  groupId: string;
  /** Where a group with no committed offset starts: the oldest alert, or (default) the next one. */
  fromBeginning: boolean;
}

export interface NotifierStats {
  alertsRead: number;
  delivered: number;
  parked: number;
}

interface Group {
  alerts: Alert[];
  messages: KafkaMessage[];
}

export class AlertNotifier {
  readonly stats: NotifierStats = { alertsRead: 0, delivered: 0, parked: 0 };
  private readonly tracker: IncidentTracker;
  private readonly senders: Map<string, DestinationSender>;
  private readonly position = new Map<number, bigint>();
  private readonly abort = new AbortController();
  private consumer?: Consumer;
  private producer?: Producer;
  private deadLetterSerde?: TopicSerde<NotifyDeadLetter>;

  constructor(
    private readonly kafka: Kafka,
    private readonly registry: SchemaRegistry,
    private readonly config: NotifyConfig,
    private readonly options: NotifierOptions,
    private readonly log: Logger,
  ) {
    this.tracker = new IncidentTracker(config.destinations);
    this.senders = new Map(
      config.destinations.map((d) => [d.name, new DestinationSender(d, config.retry, config.dashboardUrl, log.child({ component: 'sender' }))]),
    );
  }

  async start(): Promise<void> {
    this.deadLetterSerde = await TopicSerde.create(this.registry, TOPICS.notifyDeadLetter, schemaText('notify-dead-letter'));
    this.producer = this.kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, idempotent: true, maxInFlightRequests: 1 });
    await this.producer.connect();
    await this.rebuild();

    const consumer = this.kafka.consumer({ groupId: this.options.groupId, sessionTimeout: 30_000, heartbeatInterval: 3000 });
    this.consumer = consumer;
    // On every join resume exactly where the rebuilt state ends (see rebuild).
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      for (const partition of payload.memberAssignment[TOPICS.alerts] ?? []) {
        const offset = this.position.get(partition);
        if (offset !== undefined) consumer.seek({ topic: TOPICS.alerts, partition, offset: String(offset) });
      }
    });
    const joined = groupJoined(consumer);
    await consumer.connect();
    await consumer.subscribe({ topic: TOPICS.alerts, fromBeginning: this.options.fromBeginning });
    await consumer.run({ autoCommit: false, eachBatchAutoResolve: false, eachBatch: (payload) => this.onBatch(payload) });
    await joined;
  }

  /** Stops after the report in hand: in-flight attempts are abandoned, not parked, and their offsets stay uncommitted. */
  async stop(): Promise<void> {
    this.abort.abort();
    await this.consumer?.disconnect();
    await this.producer?.disconnect();
  }

  /**
   * Where each partition starts (the committed offset; without one, the
   * beginning or the end of the topic) and the tracker's state at that point,
   * folded from the alerts before it without delivering anything.
   */
  private async rebuild(): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const [committed] = await retryRetriable(() => admin.fetchOffsets({ groupId: this.options.groupId, topics: [TOPICS.alerts] }));
      const ends = await admin.fetchTopicOffsets(TOPICS.alerts);
      for (const p of ends) {
        const c = committed.partitions.find((x) => x.partition === p.partition)?.offset ?? '-1';
        const start = BigInt(c) >= 0n ? BigInt(c) : BigInt(this.options.fromBeginning ? p.low : p.high);
        this.position.set(p.partition, start);
      }
    } finally {
      await admin.disconnect();
    }
    let replayed = 0;
    let open: Group | undefined;
    const flush = () => {
      if (open) this.tracker.apply(open.alerts);
      open = undefined;
    };
    const replay = await replayTopic(this.kafka, TOPICS.alerts, `${this.options.groupId}-rebuild`, async (message, partition) => {
      if (!message.value || BigInt(message.offset) >= (this.position.get(partition) ?? 0n)) return;
      const alert = (await this.registry.decode(message.value)) as Alert;
      if (open && open.alerts[0].reportId !== alert.reportId) flush();
      (open ??= { alerts: [], messages: [] }).alerts.push(alert);
      replayed++;
    });
    await replay.ready;
    await replay.stop();
    flush();
    this.log.info({ replayed, start: Object.fromEntries([...this.position].map(([p, o]) => [p, String(o)])) }, 'incident state rebuilt');
  }

  private async onBatch({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> {
    const groups: Group[] = [];
    for (const message of batch.messages) {
      if (!message.value) continue; // nothing to deliver; committed with the next report's alerts
      const alert = (await this.registry.decode(message.value)) as Alert;
      const last = groups.at(-1);
      if (last && last.alerts[0].reportId === alert.reportId) {
        last.alerts.push(alert);
        last.messages.push(message);
      } else groups.push({ alerts: [alert], messages: [message] });
    }
    for (const group of groups) {
      if (!isRunning() || isStale() || this.abort.signal.aborted) return;
      const notifications = this.tracker.apply(group.alerts);
      try {
        await Promise.all(notifications.map((n) => this.deliverOrPark(n, batch.partition, group, heartbeat)));
      } catch (err) {
        if (err instanceof Aborted) return;
        throw err;
      }
      this.stats.alertsRead += group.alerts.length;
      const last = group.messages.at(-1)!.offset;
      const next = BigInt(last) + 1n;
      await this.consumer!.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: String(next) }]);
      resolveOffset(last);
      this.position.set(batch.partition, next);
      await heartbeat();
    }
  }

  private async deliverOrPark(n: Notification, partition: number, group: Group, heartbeat: () => Promise<void>): Promise<void> {
    const sender = this.senders.get(n.destination)!;
    const result = await sender.deliver(n, this.abort.signal, heartbeat);
    if (result.delivered) {
      this.stats.delivered++;
      return;
    }
    const message = group.messages[group.alerts.indexOf(n.alert)];
    const letter: NotifyDeadLetter = {
      deliveryId: n.deliveryId,
      destination: n.destination,
      destinationKind: sender.destination.kind,
      event: n.event,
      modelId: n.alert.modelId,
      incidentId: n.incidentId,
      alertId: n.alert.alertId,
      payload: result.body,
      attempts: result.attempts,
      lastError: result.lastError,
      lastStatusCode: result.lastStatus,
      retriable: result.retriable,
      sourceTopic: TOPICS.alerts,
      partition,
      offset: Number(message.offset),
      alert: message.value,
      failedAt: Date.now(),
    };
    await this.producer!.send({
      topic: TOPICS.notifyDeadLetter,
      messages: [{ key: n.alert.modelId, value: await this.deadLetterSerde!.encode(letter) }],
    });
    this.stats.parked++;
    this.log.warn({ destination: n.destination, deliveryId: n.deliveryId, attempts: result.attempts, error: result.lastError }, 'parked on the dead-letter topic');
  }
}
