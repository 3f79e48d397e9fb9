/**
 * The drift engine's kafkajs adapter around the pure DriftProcessor
 * (pipeline/engine/drift-processor.ts): a consumer group on
 * aegis.inference.v1 and aegis.labels.v1 whose records are decoded and handed
 * to the processor. Every interval, one Kafka transaction publishes the
 * reports, the alerts, the dead letters of the records read since the last
 * one, and the group's input offsets; only once it commits is the processor's
 * state committed. So every input record is counted in exactly one report and
 * dead-lettered exactly once, whatever fails and whenever the process dies.
 *
 * Partitions (assignment.ts): the same partition numbers of both topics go
 * to one member (co-partitioning, so labels join), and a partition this
 * instance takes over is first re-read from before the group's committed
 * offset to refill its windows (records before that offset are replayed, not
 * counted), while the reports topic — the changelog of alert state, invalid
 * totals and report times — is read to its end. Only then does it evaluate.
 *
 * A consumer that crashes for good (kafkajs gives up restarting it) takes the
 * process down with exit 1: an engine that still publishes reports from a
 * frozen window would say GREEN while watching nothing.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Consumer, EachBatchPayload, Kafka, KafkaMessage, Producer } from 'kafkajs';
import { Partitioners } from 'kafkajs';
import type { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import type avro from 'avsc';
import { avroType, schemaText } from '../../pipeline/serde/schemas.ts';
import { DecodeError, ReaderDecoder } from '../../pipeline/serde/reader-decoder.ts';
import { validateInferenceEvent } from '../../pipeline/serde/validate-inference-event.ts';
import type { InferenceEvent } from '../../pipeline/serde/inference-event.ts';
import type { DriftReport, EngineLag } from '../../pipeline/serde/drift-report.ts';
import type { Alert } from '../../pipeline/serde/alert.ts';
import type { DeadLetter } from '../../pipeline/serde/dead-letter.ts';
import { fitDeadLetter } from '../../pipeline/serde/dead-letter-fit.ts';
import type { Label } from '../../pipeline/serde/label.ts';
import { TopicSerde } from '../../pipeline/serde/registry-serde.ts';
import type { DriftPolicy } from '../../pipeline/drift/drift-policy.ts';
import { DriftProcessor, type WindowSpec } from '../../pipeline/engine/drift-processor.ts';
import { TOPICS } from '../kafka/topics.ts';
import { ensureTopics } from '../kafka/topic-setup.ts';
import { replayTopic, type TopicReplay } from '../kafka/topic-replay.ts';
import { CoPartitionedAssigner } from '../kafka/copartitioned-assigner.ts';
import type { Logger } from '../log.ts';
import { ReferenceStore } from './reference-store.ts';
import { claimInstanceSlot, type InstanceSlot } from './instance-slot.ts';
import { Assignment, type PartitionLag } from './assignment.ts';
import { chunkMessages } from './chunk-messages.ts';

export type { WindowSpec };

export interface EngineConfig {
  groupId: string;
  /** Topic of inference events (default aegis.inference.v1). */
  inputTopic?: string;
  /** Topic of ground-truth labels (default aegis.labels.v1; null: no labels). */
  labelsTopic?: string | null;
  /** Where a new consumer group starts: the oldest event, or (default) the next one. */
  fromBeginning?: boolean;
  intervalMs: number;
  minSamples: number;
  window: WindowSpec;
  policy: DriftPolicy;
  /** A model with no new event for this long is reported STALE (default: 3 intervals). */
  staleAfterMs?: number;
}

export interface EngineStats {
  eventsConsumed: number;
  eventsReplayed: number;
  labelsJoined: number;
  labelsUnmatched: number;
  deadLettered: number;
  reportsPublished: number;
  alertsPublished: number;
  evaluations: number;
  lastEvaluationMs: number;
  /** How far this engine is behind each partition it reads, as of its last fetch. */
  positionLag: PartitionLag[];
}

const UNKNOWN_MODEL = '(unknown)';
/** Kafka's default max.message.bytes is 1 MB: dead letters go in produce requests of at most this many value bytes. */
const MAX_SEND_BYTES = 512 * 1024;
/** Kafka's lowest allowed session timeout (group.min.session.timeout.ms): a dead engine's partitions move after it. */
const SESSION_TIMEOUT_MS = 6000;
const UNKNOWN_SCHEMA_TTL_MS = 10_000;

export class DriftEngine {
  private readonly counters = { deadLettered: 0, reportsPublished: 0, alertsPublished: 0, evaluations: 0, lastEvaluationMs: 0 };
  readonly processor: DriftProcessor;
  private readonly references: ReferenceStore;
  private readonly decoder: ReaderDecoder<InferenceEvent>;
  private readonly labelDecoder: ReaderDecoder<Label>;
  private readonly assignment: Assignment;
  private consumer?: Consumer;
  private producer?: Producer;
  private reportState?: TopicReplay;
  private slot?: InstanceSlot;
  private reportSerde?: TopicSerde<DriftReport>;
  private alertSerde?: TopicSerde<Alert>;
  private deadLetterSerde?: TopicSerde<DeadLetter>;
  /** Dead letters not yet published, per "topic:partition" (dropped with the partition). */
  private pendingDead = new Map<string, DeadLetter[]>();
  private timer?: NodeJS.Timeout;
  private evaluating?: Promise<unknown>;
  private stopped = false;

  private get inputTopic(): string {
    return this.config.inputTopic ?? TOPICS.inference;
  }

  private get labelsTopic(): string | null {
    return this.config.labelsTopic === null ? null : (this.config.labelsTopic ?? TOPICS.labels);
  }

  get stats(): EngineStats {
    const p = this.processor.stats;
    return {
      eventsConsumed: p.eventsConsumed,
      eventsReplayed: p.eventsReplayed,
      labelsJoined: p.labelsJoined,
      labelsUnmatched: p.labelsUnmatched,
      ...this.counters,
      positionLag: this.assignment.lag(this.now()),
    };
  }

  constructor(
    private readonly kafka: Kafka,
    private readonly registry: SchemaRegistry,
    private readonly config: EngineConfig,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {
    this.processor = new DriftProcessor(
      { minSamples: config.minSamples, window: config.window, policy: config.policy, staleAfterMs: config.staleAfterMs ?? 3 * config.intervalMs },
      randomUUID,
    );
    this.references = new ReferenceStore(kafka, registry, log.child({ component: 'references' }));
    this.assignment = new Assignment(kafka, config.groupId, log.child({ component: 'assignment' }));
    // Unknown ids are remembered for a few seconds: a flood of records with one bogus id costs one registry request, not one each.
    const unknownIds = new Map<number, number>();
    const lookup = async (id: number) => {
      const known = unknownIds.get(id);
      if (known !== undefined && this.now() - known < UNKNOWN_SCHEMA_TTL_MS) throw new DecodeError('UNKNOWN_SCHEMA', `schema id ${id} is not in the registry`);
      try {
        return (await registry.getSchema(id)) as unknown as avro.Type;
      } catch (err) {
        const status = (err as { status?: number }).status;
        if (status === 404 || status === 422) {
          if (unknownIds.size > 10_000) unknownIds.clear();
          unknownIds.set(id, this.now());
          throw new DecodeError('UNKNOWN_SCHEMA', `schema id ${id} is not in the registry`);
        }
        throw err;
      }
    };
    this.decoder = new ReaderDecoder<InferenceEvent>(avroType('inference-event'), lookup, validateInferenceEvent);
    this.labelDecoder = new ReaderDecoder<Label>(avroType('label'), lookup, (l) => (l.label ? [] : ['label is empty']));
  }

  async start(): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    await ensureTopics(admin);
    await admin.disconnect();

    this.reportSerde = await TopicSerde.create(this.registry, TOPICS.driftReports, schemaText('drift-report'));
    this.alertSerde = await TopicSerde.create(this.registry, TOPICS.alerts, schemaText('alert'));
    this.deadLetterSerde = await TopicSerde.create(this.registry, TOPICS.deadLetter, schemaText('dead-letter'));
    this.slot = claimInstanceSlot(this.config.groupId);
    const transactionalId = `aegis-engine.${this.config.groupId}.${hostname()}.${this.slot.slot}`;
    this.producer = this.kafka.producer({
      createPartitioner: Partitioners.DefaultPartitioner,
      idempotent: true,
      maxInFlightRequests: 1,
      transactionalId,
      transactionTimeout: Math.max(10_000, 3 * this.config.intervalMs),
    });
    await this.producer.connect();

    this.references.onUpdate((profile) => {
      if (this.processor.setReference(profile)) {
        this.log.info({ modelId: profile.modelId, modelVersion: profile.modelVersion }, 'new reference version: window restarted');
      }
    });
    await this.references.start();
    this.log.info({ models: this.processor.modelCount }, 'reference profiles read');
    await this.followReports();

    const topics = this.labelsTopic === null ? [this.inputTopic] : [this.inputTopic, this.labelsTopic];
    this.consumer = this.kafka.consumer({
      groupId: this.config.groupId,
      sessionTimeout: SESSION_TIMEOUT_MS,
      heartbeatInterval: 1000,
      partitionAssigners: [CoPartitionedAssigner],
    });
    this.assignment.attach(this.consumer, {
      topics,
      fromBeginning: this.config.fromBeginning ?? false,
      refillRecords: (partition, partitions) => {
        const w = this.config.window;
        // The models whose records the producers' default (murmur2) partitioner puts on this partition.
        const metadata = Array.from({ length: partitions }, (_, partitionId) => ({ partitionId, leader: 0, partitionErrorCode: 0, replicas: [0], isr: [0] }));
        const place = Partitioners.DefaultPartitioner();
        const here = this.references.modelIds().filter((key) => place({ topic: this.inputTopic, partitionMetadata: metadata, message: { key, value: null } }) === partition).length;
        return (w.kind === 'count' ? w.size : w.capacity) * Math.max(1, here);
      },
      refillSpanMs: this.config.window.kind === 'time' ? this.config.window.spanMs : undefined,
      onAssigned: (partitions) => {
        this.processor.retainPartitions(new Set(partitions.get(this.inputTopic) ?? []));
        for (const key of this.pendingDead.keys()) {
          const [topic, p] = key.split(':');
          if (!(partitions.get(topic) ?? []).includes(Number(p))) this.pendingDead.delete(key);
        }
      },
      beforeReady: () => this.reportState!.catchUp(15_000).catch((err) => this.log.warn({ err: (err as Error).message }, 'report state not read to its end; evaluating anyway')),
      onReady: () => this.evaluateSoon(),
    });
    this.consumer.on(this.consumer.events.CRASH, ({ payload }) => {
      if (payload.restart || this.stopped) return;
      this.log.fatal({ err: payload.error }, 'the consumer crashed and will not restart: exiting rather than report from a frozen window');
      process.exit(1);
    });
    await this.consumer.connect();
    await this.consumer.subscribe({ topics, fromBeginning: this.config.fromBeginning ?? false });
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: (payload) => this.onBatch(payload),
    });
    this.timer = setInterval(() => this.evaluateSoon(), this.config.intervalMs);
    this.log.info({ groupId: this.config.groupId, transactionalId, intervalMs: this.config.intervalMs, window: this.config.window }, 'engine started');
  }

  /**
   * The reports topic is the changelog of what the processor continues from
   * (alert state, invalid totals, time of the last report): followed from the
   * beginning, by every engine, read-committed, so that whichever engine is
   * handed a model continues where its last report left it.
   */
  private async followReports(): Promise<void> {
    let restored = 0;
    this.reportState = await replayTopic(this.kafka, TOPICS.driftReports, 'aegis-engine-report-state', async (message, partition) => {
      if (!message.value) return;
      try {
        this.processor.restoreReport((await this.registry.decode(message.value)) as DriftReport, partition);
        restored++;
      } catch (err) {
        this.log.warn({ err, offset: message.offset }, 'unreadable report skipped while restoring state');
      }
    });
    await this.reportState.ready;
    this.log.info({ reports: restored }, 'report state restored');
  }

  private evaluateSoon(): void {
    if (this.evaluating || this.stopped || !this.assignment.ready) return;
    this.evaluating = this.evaluateAll()
      .catch((err) => this.log.error({ err }, 'publishing the evaluation failed; its counts are kept for the next one'))
      .finally(() => (this.evaluating = undefined));
  }

  private deadLetter(topic: string, partition: number, message: KafkaMessage, kind: DeadLetter['errorKind'], reason: string): void {
    // Bad labels are counted on their own (labels dead-lettered), never as the model's invalid inference events.
    if (topic === this.inputTopic) this.processor.countInvalid(message.key?.toString('utf8').slice(0, 1000) || UNKNOWN_MODEL, partition);
    const letter = fitDeadLetter({
      sourceTopic: topic,
      partition,
      offset: Number(message.offset),
      key: message.key ?? null,
      value: message.value ?? null,
      reason,
      errorKind: kind,
      consumerGroup: this.config.groupId,
      failedAt: this.now(),
    });
    const key = `${topic}:${partition}`;
    const list = this.pendingDead.get(key) ?? [];
    list.push(letter);
    this.pendingDead.set(key, list);
  }

  private async onBatch({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> {
    const isLabels = batch.topic === this.labelsTopic;
    const { topic, partition } = batch;
    for (const message of batch.messages) {
      if (!isRunning() || isStale()) break;
      // Records the group had already committed are read again only to refill windows: not counted, not dead-lettered.
      const replay = this.assignment.isReplay(topic, partition, message.offset);
      try {
        if (isLabels) {
          const outcome = this.processor.label(await this.labelDecoder.decode(message.value), this.now(), replay);
          if (typeof outcome === 'object' && !replay) this.deadLetter(topic, partition, message, outcome.kind, outcome.reason);
        } else {
          const event = await this.decoder.decode(message.value);
          const rejected = this.processor.inference(event, partition, replay ? Number(message.timestamp) : this.now(), replay);
          if (rejected && !replay) this.deadLetter(topic, partition, message, rejected.kind, rejected.reason);
        }
      } catch (err) {
        if (!(err instanceof DecodeError)) throw err; // transient (registry unreachable): the batch is fetched again from the position
        if (!replay) this.deadLetter(topic, partition, message, err.kind, err.message);
      }
      this.assignment.consumed(topic, partition, message.offset, Number(message.timestamp), batch.highWatermark);
      // The fetch position (not a commit: offsets are committed in the evaluation's transaction).
      resolveOffset(message.offset);
    }
    await heartbeat();
  }

  private takeDeadLetters(): DeadLetter[] {
    const all = [...this.pendingDead.values()].flat();
    this.pendingDead.clear();
    return all;
  }

  /**
   * Evaluates every model with enough events and publishes, in one
   * transaction, the reports, alerts, pending dead letters and input offsets;
   * then commits the processor's state. A failed transaction is aborted and
   * everything in it is tried again at the next evaluation.
   */
  async evaluateAll(): Promise<DriftReport[]> {
    const started = performance.now();
    const now = this.now();
    const lagOf = (p: number): EngineLag | null => this.assignment.lagOf(this.inputTopic, p, now);
    const evaluation = this.processor.evaluate(now, lagOf);
    const { reports, alerts } = evaluation;
    const offsets = this.assignment.positions();
    const dead = this.takeDeadLetters();
    if (this.stopped || (reports.length === 0 && dead.length === 0 && offsets.length === 0)) return reports;
    const transaction = await this.producer!.transaction();
    try {
      const encode = <T>(serde: TopicSerde<T>, items: T[], key: (x: T) => string | Buffer | null) =>
        Promise.all(items.map(async (x) => ({ key: key(x), value: await serde.encode(x) })));
      await transaction.sendBatch({
        topicMessages: [
          { topic: TOPICS.driftReports, messages: await encode(this.reportSerde!, reports, (r) => r.modelId) },
          { topic: TOPICS.alerts, messages: await encode(this.alertSerde!, alerts, (a) => a.modelId) },
        ].filter((t) => t.messages.length > 0),
      });
      for (const chunk of chunkMessages(await encode(this.deadLetterSerde!, dead, (l) => l.key), MAX_SEND_BYTES)) {
        await transaction.send({ topic: TOPICS.deadLetter, messages: chunk });
      }
      if (offsets.length) await transaction.sendOffsets({ consumerGroupId: this.config.groupId, topics: offsets });
      await transaction.commit();
    } catch (err) {
      await transaction.abort().catch((e) => this.log.warn({ err: (e as Error).message }, 'aborting the transaction failed'));
      // What was taken goes back for the next attempt, unless its partition has been handed over meanwhile.
      for (const l of dead) if (this.assignment.owns(l.sourceTopic, l.partition)) this.pendingDead.set(`${l.sourceTopic}:${l.partition}`, [l, ...(this.pendingDead.get(`${l.sourceTopic}:${l.partition}`) ?? [])]);
      throw err;
    }
    evaluation.commit();
    this.counters.evaluations++;
    this.counters.deadLettered += dead.length;
    this.counters.reportsPublished += reports.length;
    this.counters.alertsPublished += alerts.length;
    this.counters.lastEvaluationMs = performance.now() - started;
    if (dead.length) {
      const first = dead[0];
      this.log.warn({ count: dead.length, offset: first.offset, partition: first.partition, kind: first.errorKind, reason: first.reason.slice(0, 300) }, 'dead-lettered');
    }
    for (const r of reports) {
      this.log.info(
        { modelId: r.modelId, status: r.status, events: r.eventCount, drifted: r.dataset.drifted, ms: Math.round(this.counters.lastEvaluationMs) },
        `report ${r.status}: ${r.reason.slice(0, 500)}`,
      );
    }
    for (const a of alerts) {
      this.log.warn({ modelId: a.modelId, scope: a.scope, feature: a.feature, from: a.previousStatus, to: a.status }, 'alert');
    }
    return reports;
  }

  /** Stops evaluating, finishes what is in flight and disconnects; what was not yet published is read again by the next owner. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.evaluating;
    this.stopped = true;
    await this.consumer?.disconnect();
    await this.reportState?.stop();
    await this.references.stop();
    await this.producer?.disconnect();
    this.assignment.close();
    this.slot?.release();
  }
}
