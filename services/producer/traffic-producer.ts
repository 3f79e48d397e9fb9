/**
 * The model service and the traffic simulator in one process: every tick
 * (50 ms) it draws the events the pacer says are due, runs the model on each,
 * and sends them in one batch as Avro InferenceEvents to aegis.inference.v1,
 * keyed by model id; each event's ground-truth label is queued and sent to
 * aegis.labels.v1 once the label delay has passed (in the same batch as that
 * tick's events).
 *
 * Stopping: with --count, once the last event is sent the producer keeps
 * ticking until the last pending label is due, so every event of the run gets
 * its label at its normal time. On the stop signal (SIGINT/SIGTERM) pending
 * labels are flushed at once (labeledAt = the flush time, earlier than the
 * delay) rather than dropped, since a label is never wrong, only early.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Partitioners, type Message, type TopicMessages } from 'kafkajs';
import { createKafka } from '../kafka/client.ts';
import { ensureTopics } from '../kafka/topic-setup.ts';
import { TOPICS } from '../kafka/topics.ts';
import type { Logger } from '../log.ts';
import type { ClusterAddresses } from '../stack/cluster.ts';
import type { LoadedArtifact } from '../trainer/artifact-store.ts';
import { createRegistry, TopicSerde } from '../../pipeline/serde/registry-serde.ts';
import { schemaText } from '../../pipeline/serde/schemas.ts';
import type { InferenceEvent } from '../../pipeline/serde/inference-event.ts';
import type { Label } from '../../pipeline/serde/label.ts';
import { DelayQueue } from '../../pipeline/simulator/delay-queue.ts';
import { Pacer } from '../../pipeline/simulator/pacer.ts';
import type { Scenario } from '../../pipeline/simulator/scenarios.ts';
import { createTrafficGenerator } from '../../pipeline/simulator/traffic-generator.ts';
import { infer } from './model-server.ts';
import { ModelFollower } from './model-follower.ts';

/**
 * A batch is retried until Kafka has it, with backoff 250 ms doubling to 5 s
 * (± 20 %), so a broker that restarts (connection refused for seconds) delays
 * events and labels but loses none. Idempotence (kafkajs keeps each partition's
 * sequence numbers across the retries) makes the broker drop a batch it had
 * already written before the connection broke, so none arrives twice.
 * kafkajs' idempotent producer retries without limit by default; a stop
 * signal during an outage therefore waits for the broker (a second Ctrl-C ends
 * the process at once).
 */
const UNTIL_DELIVERED = { retries: Number.MAX_SAFE_INTEGER, initialRetryTime: 250, maxRetryTime: 5000 };

export interface TrafficProducerOptions {
  cluster: ClusterAddresses;
  artifact: LoadedArtifact;
  /** Base rate, events per second. */
  rate: number;
  /** Events to send; undefined = until stopped. */
  count?: number;
  scenario: Scenario;
  /** Standard deviation of the multiplicative measurement noise. */
  noise: number;
  seed: number;
  labelDelayMs: number;
  signal: AbortSignal;
  log: Logger;
  tickMs?: number;
  progressMs?: number;
}

export interface TrafficProducerStats {
  events: number;
  labels: number;
  /** Labels sent early because the producer was stopped. */
  labelsFlushed: number;
  seconds: number;
}

export async function runTrafficProducer(o: TrafficProducerOptions): Promise<TrafficProducerStats> {
  const { artifact, log, signal, tickMs = 50, progressMs = 5000 } = o;
  const modelId = artifact.model.modelId;
  const served = new ModelFollower(artifact, log);

  const kafka = createKafka(o.cluster.brokers, `aegis-producer-${modelId}`, log);
  const admin = kafka.admin();
  await admin.connect();
  try {
    const created = await ensureTopics(admin, [TOPICS.inference, TOPICS.labels]);
    if (created.length) log.info({ topics: created }, 'created topics');
  } finally {
    await admin.disconnect();
  }
  const registry = createRegistry(o.cluster.schemaRegistryUrl);
  const events = await TopicSerde.create<InferenceEvent>(registry, TOPICS.inference, schemaText('inference-event'));
  const labels = await TopicSerde.create<Label>(registry, TOPICS.labels, schemaText('label'));
  // a client of its own: reconnecting to the cluster follows the client's retry settings, not only the producer's
  const producer = createKafka(o.cluster.brokers, `aegis-producer-${modelId}`, log, { retry: UNTIL_DELIVERED }).producer({
    createPartitioner: Partitioners.DefaultPartitioner,
    idempotent: true,
    maxInFlightRequests: 1,
    retry: UNTIL_DELIVERED,
  });
  await producer.connect();

  const generator = createTrafficGenerator({ rows: artifact.traffic.rows, noise: o.noise, scenario: o.scenario, seed: o.seed });
  const pacer = new Pacer(o.rate);
  const pending = new DelayQueue<Omit<Label, 'labeledAt'>>();
  const stats: TrafficProducerStats = { events: 0, labels: 0, labelsFlushed: 0, seconds: 0 };
  const started = performance.now();
  let lastProgress = { at: started, events: 0 };
  let announcedWait = false;

  const send = async (inference: InferenceEvent[], due: Omit<Label, 'labeledAt'>[], labeledAt: number) => {
    const batch: TopicMessages[] = [];
    if (inference.length) {
      const messages: Message[] = await Promise.all(inference.map(async (e) => ({ key: modelId, value: await events.encode(e) })));
      batch.push({ topic: TOPICS.inference, messages });
    }
    if (due.length) {
      const messages: Message[] = await Promise.all(due.map(async (l) => ({ key: modelId, value: await labels.encode({ ...l, labeledAt }) })));
      batch.push({ topic: TOPICS.labels, messages });
    }
    if (batch.length) await producer.sendBatch({ topicMessages: batch });
    stats.events += inference.length;
    stats.labels += due.length;
  };

  const progress = (now: number) => {
    const i = generator.index;
    log.info(
      {
        events: stats.events,
        labels: stats.labels,
        labelsPending: pending.size,
        eventsPerSecond: Math.round(((stats.events - lastProgress.events) / (now - lastProgress.at)) * 1000 * 10) / 10,
        targetRate: o.rate * o.scenario.rateMultiplier(i),
        scenario: o.scenario.name,
        scenarioActive: o.scenario.isActive(i),
      },
      'progress',
    );
    lastProgress = { at: now, events: stats.events };
  };

  log.info({ modelId, modelVersion: served.version, rate: o.rate, count: o.count ?? null, scenario: o.scenario.name, after: o.scenario.after, seed: o.seed }, 'producing');
  pacer.due(performance.now());
  try {
    while (!signal.aborted) {
      await sleep(tickMs, undefined, { signal }).catch(() => undefined);
      if (signal.aborted) break;
      const now = performance.now();
      const wall = Date.now();
      await served.refresh(wall);
      const { model, version: modelVersion } = served;
      const remaining = o.count === undefined ? Infinity : o.count - generator.index;
      const n = Math.min(pacer.due(now, o.scenario.rateMultiplier(generator.index)), remaining);
      const batch: InferenceEvent[] = [];
      for (let k = 0; k < n; k++) {
        const sample = generator.next();
        const { predictedClass, score, latencyMs } = infer(model, sample.values);
        const features = Object.fromEntries(model.features.map((f, j) => [f, sample.values[j]]));
        const event: InferenceEvent = { eventId: randomUUID(), modelId, modelVersion, eventTime: wall, features, prediction: predictedClass, score, latencyMs };
        batch.push(event);
        pending.push(wall + o.labelDelayMs, { eventId: event.eventId, modelId, label: sample.label, eventTime: wall });
      }
      await send(batch, pending.takeDue(wall), wall);
      if (now - lastProgress.at >= progressMs) progress(now);
      if (remaining - n <= 0) {
        if (pending.size === 0) break;
        if (!announcedWait) {
          announcedWait = true;
          log.info({ events: stats.events, labelsPending: pending.size, labelDelayMs: o.labelDelayMs }, 'all events sent; waiting for the pending labels to come due');
        }
      }
    }
    if (pending.size) {
      const flushed = pending.drain();
      await send([], flushed, Date.now());
      stats.labelsFlushed = flushed.length;
      log.info({ labels: flushed.length }, 'stopped: flushed the pending labels early');
    }
  } finally {
    await producer.disconnect();
  }
  stats.seconds = (performance.now() - started) / 1000;
  progress(performance.now());
  return stats;
}
