/**
 * The drift engine: a consumer group on aegis.inference.v1 that keeps a
 * bounded window per model, evaluates each model against its reference every
 * interval, and publishes a DriftReport per model and an Alert per change of
 * state. Records it cannot use go to aegis.dead-letter.v1 with the reason;
 * offsets are committed only once their events are in the windows.
 */
import { randomUUID } from 'node:crypto';
import type { Consumer, EachBatchPayload, Kafka, Producer } from 'kafkajs';
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
import type { Label } from '../../pipeline/serde/label.ts';
import { LABELED_WIDTH } from '../../pipeline/drift/performance.ts';
import { TopicSerde } from '../../pipeline/serde/registry-serde.ts';
import { AlertTracker } from '../../pipeline/drift/alert-tracker.ts';
import { evaluateWindow } from '../../pipeline/drift/evaluate-window.ts';
import type { DriftPolicy } from '../../pipeline/drift/drift-policy.ts';
import type { EventWindow } from '../../pipeline/windows/event-window.ts';
import { SlidingWindow } from '../../pipeline/windows/sliding-window.ts';
import { TimeReservoirWindow } from '../../pipeline/windows/time-reservoir-window.ts';
import { RecentIndex } from '../../pipeline/windows/recent-index.ts';
import { TOPICS } from '../kafka/topics.ts';
import { ensureTopics } from '../kafka/topic-setup.ts';
import { replayTopic } from '../kafka/topic-replay.ts';
import type { Logger } from '../log.ts';
import { ReferenceStore, type ModelReference } from './reference-store.ts';

export type WindowSpec = { kind: 'count'; size: number } | { kind: 'time'; spanMs: number; capacity: number };

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

interface ModelState {
  ref: ModelReference;
  window: EventWindow;
  row: Float64Array;
  partition: number;
  eventsSinceReport: number;
  lastReportAt: number;
  /** eventId → predicted class index of recent predictions, for joining labels. */
  predictions: RecentIndex<number>;
  labeled: SlidingWindow;
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
  readonly stats: EngineStats = {
    eventsConsumed: 0,
    labelsJoined: 0,
    labelsUnmatched: 0,
    deadLettered: 0,
    reportsPublished: 0,
    alertsPublished: 0,
    evaluations: 0,
    lastEvaluationMs: 0,
  };
  private readonly models = new Map<string, ModelState>();
  private readonly invalid = new Map<string, { sinceReport: number; total: number }>();
  private readonly tracker = new AlertTracker(randomUUID);
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

  constructor(
    private readonly kafka: Kafka,
    private readonly registry: SchemaRegistry,
    private readonly config: EngineConfig,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {
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

    this.references.onUpdate((ref) => {
      const state = this.models.get(ref.profile.modelId);
      if (state && state.ref.profile.modelVersion !== ref.profile.modelVersion) {
        this.log.info({ modelId: ref.profile.modelId, modelVersion: ref.profile.modelVersion }, 'new reference version: window restarted');
        this.models.delete(ref.profile.modelId);
      }
    });
    await this.references.start();
    this.log.info({ models: this.references.size }, 'reference profiles read');
    await this.restoreAlertState();

    this.consumer = this.kafka.consumer({
      groupId: this.config.groupId,
      sessionTimeout: 30_000,
      heartbeatInterval: 3000,
    });
    this.consumer.on(this.consumer.events.GROUP_JOIN, ({ payload }) => {
      const assigned = new Set(payload.memberAssignment[this.inputTopic] ?? []);
      for (const [id, m] of this.models) if (!assigned.has(m.partition)) this.models.delete(id);
      this.log.info({ partitions: [...assigned] }, 'partitions assigned');
    });
    await this.consumer.connect();
    await this.consumer.subscribe({
      topics: this.config.labelsTopic === null ? [this.inputTopic] : [this.inputTopic, this.config.labelsTopic ?? TOPICS.labels],
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
          .catch((err) => this.log.error({ err }, 'evaluation failed'))
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
        this.tracker.restore((await this.registry.decode(message.value)) as Alert);
        restored++;
      } catch (err) {
        this.log.warn({ err, offset: message.offset }, 'unreadable alert skipped while restoring state');
      }
    });
    await replay.ready;
    await replay.stop();
    this.log.info({ alerts: restored }, 'alert state restored');
  }

  private newWindow(width: number): EventWindow {
    const w = this.config.window;
    return w.kind === 'count'
      ? new SlidingWindow(width, w.size)
      : new TimeReservoirWindow(width, w.spanMs, w.capacity, Math.random);
  }

  private async onBatch({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> {
    const dead: DeadLetter[] = [];
    for (const message of batch.messages) {
      if (!isRunning() || isStale()) break;
      const keyModel = message.key?.toString('utf8') || UNKNOWN_MODEL;
      try {
        if (batch.topic === TOPICS.labels) await this.onLabel(message.value);
        else await this.onInference(message.value, batch.partition);
      } catch (err) {
        if (!(err instanceof DecodeError)) throw err; // transient (registry unreachable): retry the batch
        dead.push({
          sourceTopic: batch.topic,
          partition: batch.partition,
          offset: Number(message.offset),
          key: message.key ?? null,
          value: message.value ?? null,
          reason: err.message,
          errorKind: err.kind,
          consumerGroup: this.config.groupId,
          failedAt: this.now(),
        });
        const counter = this.invalid.get(keyModel) ?? { sinceReport: 0, total: 0 };
        counter.sinceReport++;
        counter.total++;
        this.invalid.set(keyModel, counter);
      }
      if (dead.length) {
        // dead letters are written before their offsets can be committed: nothing is lost
        await this.publishDeadLetters(dead.splice(0));
      }
      resolveOffset(message.offset);
      await heartbeat();
    }
  }

  private async onInference(bytes: Buffer | null, partition: number): Promise<void> {
    const event = await this.decoder.decode(bytes);
    const ref = this.references.get(event.modelId);
    if (!ref) throw new DecodeError('UNKNOWN_MODEL', `no reference profile for model '${event.modelId}' on ${TOPICS.references}`);
    let state = this.models.get(event.modelId);
    if (!state) {
      const capacity = this.config.window.kind === 'count' ? this.config.window.size : this.config.window.capacity;
      state = {
        ref,
        window: this.newWindow(ref.layout.width),
        row: new Float64Array(ref.layout.width),
        partition,
        eventsSinceReport: 0,
        lastReportAt: this.now(),
        predictions: new RecentIndex<number>(Math.max(10_000, 10 * capacity)),
        labeled: new SlidingWindow(LABELED_WIDTH, capacity),
      };
      this.models.set(event.modelId, state);
    }
    const row = ref.layout.row(event, state.row);
    state.window.push(event.eventTime, row);
    state.predictions.set(event.eventId, row[ref.layout.classColumn]);
    state.eventsSinceReport++;
    this.stats.eventsConsumed++;
  }

  /** Joins a ground-truth label to its prediction, by eventId, into the model's labelled window. */
  private async onLabel(bytes: Buffer | null): Promise<void> {
    const label = await this.labelDecoder.decode(bytes);
    if (!this.references.get(label.modelId)) {
      throw new DecodeError('UNKNOWN_MODEL', `no reference profile for model '${label.modelId}' on ${TOPICS.references}`);
    }
    const state = this.models.get(label.modelId);
    const predicted = state?.predictions.take(label.eventId);
    if (!state || predicted === undefined) {
      this.stats.labelsUnmatched++;
      return;
    }
    const actual = state.ref.layout.classes.indexOf(label.label);
    state.labeled.push(label.labeledAt, [predicted, actual < 0 ? Number.NaN : actual]);
    this.stats.labelsJoined++;
  }

  private async publishDeadLetters(letters: DeadLetter[]): Promise<void> {
    await this.producer!.send({
      topic: TOPICS.deadLetter,
      messages: await Promise.all(
        letters.map(async (l) => ({ key: l.key, value: await this.deadLetterSerde!.encode(l) })),
      ),
    });
    this.stats.deadLettered += letters.length;
    for (const l of letters) this.log.warn({ offset: l.offset, partition: l.partition, kind: l.errorKind, reason: l.reason }, 'dead-lettered');
  }

  /** Evaluates every model with enough events and publishes its report and alerts. */
  async evaluateAll(): Promise<DriftReport[]> {
    const started = performance.now();
    const reports: DriftReport[] = [];
    for (const [modelId, state] of this.models) {
      state.window.expire(this.now());
      if (state.window.size < this.config.minSamples) continue;
      const now = this.now();
      const invalid = this.invalid.get(modelId) ?? { sinceReport: 0, total: 0 };
      const report = evaluateWindow(state.ref.profile, state.ref.layout, state.window.snapshot(), this.config.policy, {
        reportId: randomUUID(),
        evaluatedAt: now,
        invalidEvents: invalid.sinceReport,
        invalidEventsTotal: invalid.total,
        eventsSinceLastReport: state.eventsSinceReport,
        secondsSinceLastReport: (now - state.lastReportAt) / 1000,
      }, state.labeled.snapshot());
      invalid.sinceReport = 0;
      state.eventsSinceReport = 0;
      state.lastReportAt = now;
      reports.push(report);
    }
    if (reports.length === 0 || this.stopped) return reports;
    const alerts = reports.flatMap((r) => this.tracker.update(r));
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
    this.stats.evaluations++;
    this.stats.reportsPublished += reports.length;
    this.stats.alertsPublished += alerts.length;
    this.stats.lastEvaluationMs = performance.now() - started;
    for (const r of reports) {
      this.log.info(
        { modelId: r.modelId, status: r.status, events: r.eventCount, drifted: r.dataset.drifted, ms: Math.round(this.stats.lastEvaluationMs) },
        `report ${r.status}: ${r.reason}`,
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
