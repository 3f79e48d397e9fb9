/**
 * What the chaos tests share: synthetic models published as reference
 * profiles, a steady producer of their events and labels (a drift switch per
 * model), an `aegis engine` child that can be killed outright, and the checks
 * every scenario makes on the reports and alerts that came out.
 */
import assert from 'node:assert/strict';
import { Kafka, logLevel, Partitioners, type Producer } from 'kafkajs';
import { TOPICS } from '../../services/kafka/topics.ts';
import { ensureTopics } from '../../services/kafka/topic-setup.ts';
import { TopicSerde, createRegistry } from '../../pipeline/serde/registry-serde.ts';
import { schemaText } from '../../pipeline/serde/schemas.ts';
import { numericFeatureProfile } from '../../pipeline/reference/build-profile.ts';
import { gaussian, mulberry32 } from '../../pipeline/random.ts';
import type { ReferenceProfile } from '../../pipeline/serde/reference-profile.ts';
import type { InferenceEvent } from '../../pipeline/serde/inference-event.ts';
import type { Label } from '../../pipeline/serde/label.ts';
import type { DriftReport } from '../../pipeline/serde/drift-report.ts';
import type { Alert } from '../../pipeline/serde/alert.ts';
import type { ClusterAddresses } from '../../services/stack/cluster.ts';
import { AegisChild } from './aegis-child.ts';
import { unique } from './cluster.ts';

export const FEATURES = ['a', 'b', 'c', 'd'];

export function syntheticProfile(modelId: string, seed = 1): ReferenceProfile {
  const rng = mulberry32(seed);
  const rows = 1000;
  return {
    modelId,
    modelVersion: 'v1',
    createdAt: Date.now(),
    rowCount: rows,
    features: FEATURES.map((name) => numericFeatureProfile(name, Array.from({ length: rows }, () => gaussian(rng, 10, 1)), 10_000)),
    prediction: {
      classes: [
        { label: 'B', share: 0.5, count: rows / 2 },
        { label: 'M', share: 0.5, count: rows / 2 },
      ],
      scores: Array.from({ length: rows }, () => rng()).sort((x, y) => x - y),
    },
    performance: { rows, positiveLabel: 'M', accuracy: 0.9, precision: 0.9, recall: 0.9 },
  };
}

/** Sends events (and a label for each) of synthetic models; counts what Kafka acknowledged. */
export class Traffic {
  readonly sent = new Map<string, number>();
  readonly labels = new Map<string, number>();
  /** Models whose feature `a` is shifted by 5 standard deviations from now on. */
  readonly drifting = new Set<string>();
  private producer!: Producer;
  private events!: TopicSerde<InferenceEvent>;
  private labelSerde!: TopicSerde<Label>;
  private rng = mulberry32(42);
  private running = false;
  private loop?: Promise<void>;

  constructor(readonly cluster: ClusterAddresses) {}

  async start(models: string[]): Promise<this> {
    const kafka = new Kafka({ clientId: unique('chaos-traffic'), brokers: this.cluster.brokers, logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    await ensureTopics(admin);
    await admin.disconnect();
    const registry = createRegistry(this.cluster.schemaRegistryUrl);
    this.events = await TopicSerde.create(registry, TOPICS.inference, schemaText('inference-event'));
    this.labelSerde = await TopicSerde.create(registry, TOPICS.labels, schemaText('label'));
    const references = await TopicSerde.create<ReferenceProfile>(registry, TOPICS.references, schemaText('reference-profile'));
    this.producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, idempotent: true, maxInFlightRequests: 1, retry: { retries: 1000, maxRetryTime: 2000 } });
    await this.producer.connect();
    for (const [i, m] of models.entries()) {
      await this.producer.send({ topic: TOPICS.references, messages: [{ key: m, value: await references.encode(syntheticProfile(m, i + 1)) }] });
    }
    return this;
  }

  /** Raw records, as they are, to the inference topic. */
  async raw(messages: Array<{ key: Buffer | string | null; value: Buffer | null }>): Promise<void> {
    await this.producer.send({ topic: TOPICS.inference, messages });
  }

  event(modelId: string, over: Record<string, number> = {}): InferenceEvent {
    const rng = this.rng;
    const features: Record<string, number> = Object.fromEntries(FEATURES.map((f) => [f, gaussian(rng, 10, 1)]));
    if (this.drifting.has(modelId)) features.a += 5;
    const score = rng();
    return { eventId: unique('e'), modelId, modelVersion: 'v1', eventTime: Date.now(), features: { ...features, ...over }, prediction: score >= 0.5 ? 'M' : 'B', score, latencyMs: 1 };
  }

  async encode(e: InferenceEvent): Promise<Buffer> {
    return this.events.encode(e);
  }

  /** One batch: `n` events of each model, then their labels (90% agree with the prediction). */
  async batch(models: string[], n: number): Promise<void> {
    const events = models.flatMap((m) => Array.from({ length: n }, () => this.event(m)));
    await this.producer.send({ topic: TOPICS.inference, messages: await Promise.all(events.map(async (e) => ({ key: e.modelId, value: await this.events.encode(e) }))) });
    for (const e of events) this.sent.set(e.modelId, (this.sent.get(e.modelId) ?? 0) + 1);
    const labels = events.map((e): Label => ({ eventId: e.eventId, modelId: e.modelId, label: this.rng() < 0.9 ? String(e.prediction) : e.prediction === 'M' ? 'B' : 'M', eventTime: e.eventTime, labeledAt: Date.now() }));
    await this.producer.send({ topic: TOPICS.labels, messages: await Promise.all(labels.map(async (l) => ({ key: l.modelId, value: await this.labelSerde.encode(l) }))) });
    for (const l of labels) this.labels.set(l.modelId, (this.labels.get(l.modelId) ?? 0) + 1);
  }

  /** Sends `perSecond` events of each model every second, in 10 batches, until stopped. */
  steady(models: string[], perSecond: number): void {
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        const started = Date.now();
        await this.batch(models, Math.max(1, Math.round(perSecond / 10)));
        await new Promise((r) => setTimeout(r, Math.max(0, 100 - (Date.now() - started))));
      }
    })();
  }

  async stopSteady(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  async stop(): Promise<void> {
    await this.stopSteady();
    await this.producer?.disconnect();
  }
}

export function engine(cluster: ClusterAddresses, group: string, intervalS: number, extra: string[] = []): AegisChild {
  const env = { KAFKA_BROKERS: cluster.brokers.join(','), SCHEMA_REGISTRY_URL: cluster.schemaRegistryUrl, AEGIS_LOG_LEVEL: 'info' };
  return new AegisChild(['engine', '--interval', String(intervalS), '--window', '500', '--min-samples', '100', '--group', group, ...extra], env);
}

/** SIGKILL to the engine's whole process group: no drain, no goodbye to the group. */
export function killHard(child: AegisChild): Promise<number> {
  try {
    process.kill(-child.child.pid!, 'SIGKILL');
  } catch {
    // already gone
  }
  return child.exited;
}

/** The longest time between two consecutive reports of `model` (from `from` on), in ms. */
export function longestGap(reports: DriftReport[], model: string, from = 0): number {
  const times = reports.filter((r) => r.modelId === model && r.evaluatedAt >= from).map((r) => r.evaluatedAt).sort((x, y) => x - y);
  let gap = 0;
  for (let i = 1; i < times.length; i++) gap = Math.max(gap, times[i] - times[i - 1]);
  return gap;
}

/** Asserts each model's and feature's alerts form one chain of changes: each leaves the state the previous one entered, none repeats it. */
export function assertNoRepeatedAlert(alerts: Alert[]): void {
  const last = new Map<string, string>();
  for (const a of [...alerts].sort((x, y) => x.raisedAt - y.raisedAt)) {
    const k = `${a.modelId}/${a.scope}/${a.feature ?? ''}`;
    const before = last.get(k) ?? 'GREEN';
    assert.equal(a.previousStatus, before, `${k}: alert ${a.previousStatus}→${a.status} at ${a.raisedAt} after a change to ${before}`);
    assert.notEqual(a.status, a.previousStatus, `${k}: an alert that changes nothing`);
    last.set(k, a.status);
  }
}

/** Sum of eventsSinceLastReport over a model's reports. */
export function reportedEvents(reports: DriftReport[], model: string): number {
  return reports.filter((r) => r.modelId === model).reduce((s, r) => s + r.throughput.eventsSinceLastReport, 0);
}
