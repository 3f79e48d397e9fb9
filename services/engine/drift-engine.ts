/**
 * The drift engine's kafkajs adapter around the pure DriftProcessor
 * (pipeline/engine/drift-processor.ts): a consumer group on
 * aegis.inference.v1 and aegis.labels.v1 whose records are decoded and handed
 * to the processor; every interval the processor's reports and alerts are
 * published, and only then committed to its state. Records it cannot use go
 * to aegis.dead-letter.v1, one send per fetched batch, before their offsets
 * can be committed: nothing is lost and nothing stalls.
 *
 * A consumer that crashes for good (kafkajs gives up restarting it) takes the
 * process down with exit 1: an engine that still publishes reports from a
 * frozen window would say GREEN while watching nothing.
 */
import { randomUUID } from 'node:crypto';
import type { Consumer, EachBatchPayload, Kafka, KafkaMessage, Producer } from 'kafkajs';
import { Partitioners } from 'kafkajs';
import type { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import type avro from 'avsc';
import { avroType, schemaText } from '../../pipeline/serde/schemas.ts';
import { DecodeError, ReaderDecoder } from '../../pipeline/serde/reader-decoder.ts';
import { validateInferenceEvent } from '../../pipeline/serde/validate-inference-event.ts';
import type { InferenceEvent } from '../../pipeline/serde/inference-event.ts';
import type { DriftReport } from '../../pipeline/serde/drift-report.ts';
import type { Alert } from '../../pipeline/serde/alert.ts';
import type { DeadLetter } from '../../pipeline/serde/dead-letter.ts';
import { fitDeadLetter } from '../../pipeline/serde/dead-letter-fit.ts';
import type { Label } from '../../pipeline/serde/label.ts';
import { TopicSerde } from '../../pipeline/serde/registry-serde.ts';
import type { DriftPolicy } from '../../pipeline/drift/drift-policy.ts';
import { DriftProcessor, type WindowSpec } from '../../pipeline/engine/drift-processor.ts';
import { TOPICS } from '../kafka/topics.ts';
import { ensureTopics } from '../kafka/topic-setup.ts';
import { replayTopic } from '../kafka/topic-replay.ts';
import type { Logger } from '../log.ts';
import { ReferenceStore } from './reference-store.ts';

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
}

export interface EngineStats {
  eventsConsumed: number;
  labelsJoined: number;
  labelsUnmatched: number;
  deadLettered: number;
  reportsPublished: number;
  alertsPublished: number;
  evaluations: number;
  lastEvaluationMs: number;
}

const UNKNOWN_MODEL = '(unknown)';

export class DriftEngine {
  private readonly counters = { deadLettered: 0, reportsPublished: 0, alertsPublished: 0, evaluations: 0, lastEvaluationMs: 0 };
  readonly processor: DriftProcessor;
  private readonly references: ReferenceStore;
  private readonly decoder: ReaderDecoder<InferenceEvent>;
  private readonly labelDecoder: ReaderDecoder<Label>;
  private consumer?: Consumer;
  private producer?: Producer;
  private reportSerde?: TopicSerde<DriftReport>;
  private alertSerde?: TopicSerde<Alert>;
  private deadLetterSerde?: TopicSerde<DeadLetter>;
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
    return { eventsConsumed: p.eventsConsumed, labelsJoined: p.labelsJoined, labelsUnmatched: p.labelsUnmatched, ...this.counters };
  }

  constructor(
    private readonly kafka: Kafka,
    private readonly registry: SchemaRegistry,
    private readonly config: EngineConfig,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {
    this.processor = new DriftProcessor({ minSamples: config.minSamples, window: config.window, policy: config.policy }, randomUUID);
    this.references = new ReferenceStore(kafka, registry, log.child({ component: 'references' }));
    const lookup = async (id: number) => {
      try {
        return (await registry.getSchema(id)) as unknown as avro.Type;
      } catch (err) {
        const status = (err as { status?: number }).status;
        if (status === 404 || status === 422) throw new DecodeError('UNKNOWN_SCHEMA', `schema id ${id} is not in the registry`);
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
    this.producer = this.kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, idempotent: true, maxInFlightRequests: 1 });
    await this.producer.connect();

    this.references.onUpdate((profile) => {
      if (this.processor.setReference(profile)) {
        this.log.info({ modelId: profile.modelId, modelVersion: profile.modelVersion }, 'new reference version: window restarted');
      }
    });
    await this.references.start();
    this.log.info({ models: this.processor.modelCount }, 'reference profiles read');
    await this.restoreAlertState();

    this.consumer = this.kafka.consumer({
      groupId: this.config.groupId,
      sessionTimeout: 30_000,
      heartbeatInterval: 3000,
    });
    this.consumer.on(this.consumer.events.GROUP_JOIN, ({ payload }) => {
      const assigned = new Set(payload.memberAssignment[this.inputTopic] ?? []);
      this.processor.retainPartitions(assigned);
      this.log.info({ partitions: [...assigned] }, 'partitions assigned');
    });
    this.consumer.on(this.consumer.events.CRASH, ({ payload }) => {
      if (payload.restart || this.stopped) return;
      this.log.fatal({ err: payload.error }, 'the consumer crashed and will not restart: exiting rather than report from a frozen window');
      process.exit(1);
    });
    await this.consumer.connect();
    await this.consumer.subscribe({
      topics: this.labelsTopic === null ? [this.inputTopic] : [this.inputTopic, this.labelsTopic],
      fromBeginning: this.config.fromBeginning ?? false,
    });
    await this.consumer.run({
      autoCommit: true,
      autoCommitInterval: 1000,
      eachBatchAutoResolve: false,
      eachBatch: (payload) => this.onBatch(payload),
    });
    this.timer = setInterval(() => {
      if (!this.evaluating) {
        this.evaluating = this.evaluateAll()
          .catch((err) => this.log.error({ err }, 'publishing the evaluation failed; its counts are kept for the next one'))
          .finally(() => (this.evaluating = undefined));
      }
    }, this.config.intervalMs);
    this.log.info({ groupId: this.config.groupId, intervalMs: this.config.intervalMs, window: this.config.window }, 'engine started');
  }

  /**
   * The alerts topic is the changelog of the tracker's state: replaying it
   * means a restarted engine does not raise again what it already raised.
   */
  private async restoreAlertState(): Promise<void> {
    let restored = 0;
    const replay = await replayTopic(this.kafka, TOPICS.alerts, 'aegis-engine-alert-state', async (message) => {
      if (!message.value) return;
      try {
        this.processor.restoreAlert((await this.registry.decode(message.value)) as Alert);
        restored++;
      } catch (err) {
        this.log.warn({ err, offset: message.offset }, 'unreadable alert skipped while restoring state');
      }
    });
    await replay.ready;
    await replay.stop();
    this.log.info({ alerts: restored }, 'alert state restored');
  }

  private deadLetter(topic: string, partition: number, message: KafkaMessage, kind: DeadLetter['errorKind'], reason: string): DeadLetter {
    this.processor.countInvalid(message.key?.toString('utf8').slice(0, 1000) || UNKNOWN_MODEL);
    return fitDeadLetter({
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
  }

  private async onBatch({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> {
    const dead: DeadLetter[] = [];
    let last: string | undefined;
    const isLabels = batch.topic === this.labelsTopic;
    for (const message of batch.messages) {
      if (!isRunning() || isStale()) break;
      try {
        if (isLabels) {
          const outcome = this.processor.label(await this.labelDecoder.decode(message.value), this.now());
          if (typeof outcome === 'object') dead.push(this.deadLetter(batch.topic, batch.partition, message, outcome.kind, outcome.reason));
        } else {
          const event = await this.decoder.decode(message.value);
          const rejected = this.processor.inference(event, batch.partition, this.now());
          if (rejected) dead.push(this.deadLetter(batch.topic, batch.partition, message, rejected.kind, rejected.reason));
        }
      } catch (err) {
        if (!(err instanceof DecodeError)) throw err; // transient (registry unreachable): retry the batch from `last`
        dead.push(this.deadLetter(batch.topic, batch.partition, message, err.kind, err.message));
      }
      last = message.offset;
    }
    // Dead letters are written before their offsets can be committed: nothing is lost.
    if (dead.length) await this.publishDeadLetters(dead);
    if (last !== undefined) resolveOffset(last);
    await heartbeat();
  }

  private async publishDeadLetters(letters: DeadLetter[]): Promise<void> {
    await this.producer!.send({
      topic: TOPICS.deadLetter,
      messages: await Promise.all(letters.map(async (l) => ({ key: l.key, value: await this.deadLetterSerde!.encode(l) }))),
    });
    this.counters.deadLettered += letters.length;
    const first = letters[0];
    this.log.warn({ count: letters.length, offset: first.offset, partition: first.partition, kind: first.errorKind, reason: first.reason.slice(0, 300) }, 'dead-lettered');
  }

  /** Evaluates every model with enough events, publishes the reports and alerts, then commits them. */
  async evaluateAll(): Promise<DriftReport[]> {
    const started = performance.now();
    const evaluation = this.processor.evaluate(this.now());
    const { reports, alerts } = evaluation;
    if (reports.length === 0 || this.stopped) return reports;
    await this.producer!.sendBatch({
      topicMessages: [
        {
          topic: TOPICS.driftReports,
          messages: await Promise.all(reports.map(async (r) => ({ key: r.modelId, value: await this.reportSerde!.encode(r) }))),
        },
        ...(alerts.length
          ? [
              {
                topic: TOPICS.alerts,
                messages: await Promise.all(alerts.map(async (a) => ({ key: a.modelId, value: await this.alertSerde!.encode(a) }))),
              },
            ]
          : []),
      ],
    });
    evaluation.commit();
    this.counters.evaluations++;
    this.counters.reportsPublished += reports.length;
    this.counters.alertsPublished += alerts.length;
    this.counters.lastEvaluationMs = performance.now() - started;
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

  /** Stops evaluating, finishes what is in flight, commits and disconnects. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.evaluating;
    this.stopped = true;
    await this.consumer?.disconnect();
    await this.references.stop();
    await this.producer?.disconnect();
  }
}
