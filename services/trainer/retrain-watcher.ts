/**
 * `aegis train --watch`: a consumer group on aegis.retrain-requests.v1. For a
 * request about a model this artifacts folder holds, it reads the model's
 * recent inference events and labels, joins them (pipeline/retrain/label-join.ts),
 * trains and gates a candidate (pipeline/retrain/promotion-gate.ts), publishes
 * the RetrainDecision to aegis.retrain-decisions.v1 and, when promoted, writes
 * the artifact (LATEST moves to it) and publishes its reference profile, on
 * which the engine restarts the model's window.
 *
 * A request is committed after its decision is published, so a trainer
 * killed mid-way answers it again on restart (a promotion repeated on the
 * same rows lands in the same content-addressed version folder). A request
 * for a model it has no artifact of, or with too few labelled rows, is logged
 * and committed: retrying would not change the answer.
 */
import { randomUUID } from 'node:crypto';
import { Partitioners, type Consumer, type EachMessagePayload, type Kafka, type Producer } from 'kafkajs';
import type { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { groupJoined } from '../kafka/group-joined.ts';
import { TOPICS } from '../kafka/topics.ts';
import type { Logger } from '../log.ts';
import type { ClusterAddresses } from '../stack/cluster.ts';
import { ArtifactNotFoundError, loadArtifact, writeArtifact } from './artifact-store.ts';
import { readRecent } from './recent-records.ts';
import { publishProfile } from '../reference/profile-publisher.ts';
import { TopicSerde } from '../../pipeline/serde/registry-serde.ts';
import { schemaText } from '../../pipeline/serde/schemas.ts';
import type { InferenceEvent } from '../../pipeline/serde/inference-event.ts';
import type { Label } from '../../pipeline/serde/label.ts';
import type { RetrainRequest } from '../../pipeline/serde/retrain-request.ts';
import type { RetrainDecision } from '../../pipeline/serde/retrain-decision.ts';
import { joinLabels } from '../../pipeline/retrain/label-join.ts';
import { gateCandidate, NotEnoughRowsError } from '../../pipeline/retrain/promotion-gate.ts';

export interface RetrainWatcherOptions {
  kafka: Kafka;
  registry: SchemaRegistry;
  cluster: ClusterAddresses;
  artifactsRoot: string;
  groupId: string;
  /** How far back traffic is read, ms before the request is handled. */
  recentMs: number;
  log: Logger;
}

export class RetrainWatcher {
  decisions = 0;
  private consumer?: Consumer;
  private producer?: Producer;
  private serde?: TopicSerde<RetrainDecision>;

  constructor(private readonly o: RetrainWatcherOptions) {}

  async start(): Promise<void> {
    const { kafka, registry, groupId } = this.o;
    this.serde = await TopicSerde.create(registry, TOPICS.retrainDecisions, schemaText('retrain-decision'));
    this.producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, idempotent: true, maxInFlightRequests: 1 });
    await this.producer.connect();
    this.consumer = kafka.consumer({ groupId, sessionTimeout: 60_000, heartbeatInterval: 3000 });
    const joined = groupJoined(this.consumer);
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: TOPICS.retrainRequests, fromBeginning: false });
    await this.consumer.run({ autoCommit: true, eachMessage: (p) => this.onMessage(p) });
    await joined;
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
    await this.producer?.disconnect();
  }

  private async onMessage({ message }: EachMessagePayload): Promise<void> {
    if (!message.value) return;
    const request = (await this.o.registry.decode(message.value)) as RetrainRequest;
    try {
      await this.handle(request);
    } catch (err) {
      if (!(err instanceof ArtifactNotFoundError || err instanceof NotEnoughRowsError)) throw err;
      this.o.log.warn({ modelId: request.modelId, requestId: request.requestId, err: (err as Error).message }, 'retrain request skipped');
    }
  }

  private async handle(request: RetrainRequest): Promise<void> {
    const { kafka, registry, artifactsRoot, recentMs, log } = this.o;
    const current = await loadArtifact(artifactsRoot, request.modelId);
    const started = Date.now();
    const trafficFrom = started - recentMs;
    const [events, labels] = await Promise.all([
      readRecent<InferenceEvent>(kafka, registry, TOPICS.inference, request.modelId, trafficFrom),
      readRecent<Label>(kafka, registry, TOPICS.labels, request.modelId, trafficFrom),
    ]);
    const joined = joinLabels(request.modelId, current.model.model.features, events, labels);
    log.info({ modelId: request.modelId, events: events.length, labels: labels.length, rows: joined.rows.length, unlabeled: joined.unlabeled, incomplete: joined.incomplete }, 'recent traffic joined to its labels');
    const gate = gateCandidate({ modelId: request.modelId, current: current.model.model, rows: joined.rows, createdAt: Date.now() });
    const [cand, cur] = [gate.candidateMetrics.accuracy, gate.currentMetrics.accuracy];
    const reason = gate.promoted
      ? `promoted: candidate accuracy ${cand.toFixed(3)} >= current ${cur.toFixed(3)} on ${gate.holdout.length} recent labelled rows`
      : `kept ${current.model.version}: candidate accuracy ${cand.toFixed(3)} < current ${cur.toFixed(3)} on ${gate.holdout.length} recent labelled rows`;
    if (gate.promoted) {
      // The demo's traffic pool stays the original rows (the simulator applies its scenario to them); training and reference are the recent traffic.
      await writeArtifact(artifactsRoot, {
        modelId: request.modelId,
        version: gate.candidateVersion,
        seed: current.model.seed,
        model: gate.candidate,
        pools: { training: [...gate.training], reference: [...gate.holdout], traffic: current.traffic.rows },
        holdout: gate.candidateMetrics,
        profile: gate.profile,
      });
      await publishProfile(this.o.cluster, gate.profile, log);
    }
    const decision: RetrainDecision = {
      decisionId: randomUUID(),
      requestId: request.requestId,
      modelId: request.modelId,
      currentVersion: current.model.version,
      candidateVersion: gate.candidateVersion,
      promoted: gate.promoted,
      currentAccuracy: cur,
      candidateAccuracy: cand,
      trainingRows: gate.training.length,
      holdoutRows: gate.holdout.length,
      trafficFrom,
      reason,
      decidedAt: Date.now(),
    };
    await this.producer!.send({ topic: TOPICS.retrainDecisions, messages: [{ key: decision.modelId, value: await this.serde!.encode(decision) }] });
    this.decisions++;
    log.info({ ...decision, ms: Date.now() - started }, 'retrain decision');
  }
}
