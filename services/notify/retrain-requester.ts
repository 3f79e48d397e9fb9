/**
 * `aegis notify`'s retraining half: a consumer group on aegis.drift-reports.v1
 * running the retraining policy (pipeline/retrain/retrain-policy.ts) and
 * publishing its RetrainRequests to aegis.retrain-requests.v1. A request is
 * published before its report's offset is resolved; a restarted requester
 * recovers each model's incident from the alerts topic and the requests it
 * already made (restoreIncident), so an incident never gets two requests.
 */
import { randomUUID } from 'node:crypto';
import type { Consumer, EachBatchPayload, Kafka, Producer } from 'kafkajs';
import { Partitioners } from 'kafkajs';
import type { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import type { Alert } from '../../pipeline/serde/alert.ts';
import type { DriftReport } from '../../pipeline/serde/drift-report.ts';
import type { RetrainRequest } from '../../pipeline/serde/retrain-request.ts';
import { schemaText } from '../../pipeline/serde/schemas.ts';
import { TopicSerde } from '../../pipeline/serde/registry-serde.ts';
import { RetrainTrigger, restoreIncident, type ModelAlertRecord, type RetrainDecision, type RetrainPolicy } from '../../pipeline/retrain/retrain-policy.ts';
import { TOPICS } from '../kafka/topics.ts';
import { replayTopic } from '../kafka/topic-replay.ts';
import { groupJoined } from '../kafka/group-joined.ts';
import type { Logger } from '../log.ts';

export function retrainRequest(d: RetrainDecision, requestedAt: number, requestId = randomUUID()): RetrainRequest {
  const p = d.report.performance;
  return {
    requestId,
    modelId: d.report.modelId,
    modelVersion: d.report.modelVersion,
    incidentId: d.incidentId,
    rule: d.rule,
    reason: d.reason,
    consecutiveEvaluations: d.consecutive,
    driftedFeatures: d.driftedFeatures,
    accuracy: p?.accuracy ?? null,
    referenceAccuracy: p?.referenceAccuracy ?? null,
    labeled: p?.labeled ?? 0,
    reportId: d.report.reportId,
    evaluatedAt: d.report.evaluatedAt,
    requestedAt,
  };
}

export class RetrainRequester {
  requests = 0;
  private consumer?: Consumer;
  private producer?: Producer;
  private serde?: TopicSerde<RetrainRequest>;
  private readonly lastIncident = new Map<string, string>();
  private readonly modelAlerts = new Map<string, ModelAlertRecord[]>();
  private readonly trigger: RetrainTrigger;

  constructor(
    private readonly kafka: Kafka,
    private readonly registry: SchemaRegistry,
    policy: RetrainPolicy,
    private readonly groupId: string,
    private readonly log: Logger,
  ) {
    this.trigger = new RetrainTrigger(policy, (report) =>
      restoreIncident(report, this.modelAlerts.get(report.modelId) ?? [], this.lastIncident.get(report.modelId)),
    );
  }

  async start(): Promise<void> {
    this.serde = await TopicSerde.create(this.registry, TOPICS.retrainRequests, schemaText('retrain-request'));
    await this.readTopic(TOPICS.retrainRequests, (r: RetrainRequest) => this.lastIncident.set(r.modelId, r.incidentId));
    await this.readTopic(TOPICS.alerts, (a: Alert) => {
      if (a.scope !== 'MODEL') return;
      const list = this.modelAlerts.get(a.modelId) ?? [];
      list.push({ status: a.status, previousStatus: a.previousStatus, raisedAt: a.raisedAt, reportId: a.reportId });
      this.modelAlerts.set(a.modelId, list);
    });
    this.log.info({ models: this.lastIncident.size }, 'retrain requests and incidents read');

    this.producer = this.kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, idempotent: true, maxInFlightRequests: 1 });
    await this.producer.connect();
    this.consumer = this.kafka.consumer({ groupId: this.groupId, sessionTimeout: 30_000, heartbeatInterval: 3000 });
    const joined = groupJoined(this.consumer);
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: TOPICS.driftReports, fromBeginning: false });
    await this.consumer.run({ autoCommit: true, autoCommitInterval: 1000, eachBatchAutoResolve: false, eachBatch: (p) => this.onBatch(p) });
    await joined;
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
    await this.producer?.disconnect();
  }

  private async readTopic<T>(topic: string, onValue: (value: T) => void): Promise<void> {
    const replay = await replayTopic(this.kafka, topic, `${this.groupId}-restore`, async (message) => {
      if (message.value) onValue((await this.registry.decode(message.value)) as T);
    });
    await replay.ready;
    await replay.stop();
  }

  private async onBatch({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> {
    for (const message of batch.messages) {
      if (!isRunning() || isStale()) return;
      if (message.value) {
        const report = (await this.registry.decode(message.value)) as DriftReport;
        const decision = this.trigger.onReport(report);
        if (decision) await this.publish(retrainRequest(decision, Date.now()));
      }
      resolveOffset(message.offset);
      await heartbeat();
    }
  }

  private async publish(request: RetrainRequest): Promise<void> {
    await this.producer!.send({ topic: TOPICS.retrainRequests, messages: [{ key: request.modelId, value: await this.serde!.encode(request) }] });
    this.lastIncident.set(request.modelId, request.incidentId);
    this.requests++;
    this.log.info(
      { modelId: request.modelId, modelVersion: request.modelVersion, incidentId: request.incidentId, rule: request.rule, reason: request.reason },
      'retrain requested',
    );
  }
}
