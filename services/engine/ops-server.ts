/**
 * The engine's operations endpoint, without Kafka: `buildEngineOps` turns a
 * stats provider into a Fastify app that tests drive with `app.inject`.
 *   GET /healthz   200 while Kafka answers, else 503 (a container healthcheck)
 *   GET /metrics   Prometheus: events consumed, consumer lag, evaluations and
 *                  the last evaluation's duration, dead letters, reports, alerts
 * Values are read at each request, so a scrape always sees the live counters.
 */
import Fastify from 'fastify';
import type { Logger } from '../log.ts';
import { family, METRICS_CONTENT_TYPE, type PartitionLag, type Sample } from '../prometheus.ts';
import type { EngineStats } from './drift-engine.ts';

export interface EngineStatsProvider {
  /** The engine's live counters (the engine's own `stats` object). */
  stats(): Readonly<EngineStats>;
  /** Whether Kafka answers now. */
  healthy(): Promise<boolean>;
  /** Committed-offset lag of the engine's group on its input topic; undefined when Kafka does not answer. */
  lag(): Promise<PartitionLag[] | undefined>;
  readonly topic: string;
  readonly groupId: string;
}

export function renderEngineMetrics(stats: Readonly<EngineStats>, lag: PartitionLag[] | undefined, topic: string): string {
  const counter = (name: string, help: string, value: number) => family(name, 'counter', help, [[{}, value]]);
  return (
    [
      counter('aegis_engine_events_consumed_total', 'Inference events read from the input topic.', stats.eventsConsumed),
      counter('aegis_engine_labels_joined_total', 'Ground-truth labels joined to a recent prediction.', stats.labelsJoined),
      counter('aegis_engine_labels_unmatched_total', 'Ground-truth labels with no recent prediction to join.', stats.labelsUnmatched),
      counter('aegis_engine_dead_letters_total', 'Undecodable or invalid events sent to the dead-letter topic.', stats.deadLettered),
      counter('aegis_engine_evaluations_total', 'Evaluation rounds run.', stats.evaluations),
      counter('aegis_engine_reports_published_total', 'Drift reports published.', stats.reportsPublished),
      counter('aegis_engine_alerts_published_total', 'Alerts (changes of state) published.', stats.alertsPublished),
      family('aegis_engine_last_evaluation_seconds', 'gauge', 'Wall time of the latest evaluation round.', [
        [{}, stats.lastEvaluationMs / 1000],
      ]),
      family(
        'aegis_engine_consumer_lag',
        'gauge',
        "Events on the input topic after the group's committed offset, per partition with a commit (absent while Kafka does not answer).",
        (lag ?? []).map(({ partition, lag: value }): Sample => [{ topic, partition }, value]),
      ),
      family('aegis_engine_consumer_lag_known', 'gauge', '1 when the consumer lag could be read from Kafka at this scrape, else 0.', [
        [{}, lag ? 1 : 0],
      ]),
      counter('aegis_engine_events_replayed_total', 'Records read again only to refill windows after an assignment (counted in no report).', stats.eventsReplayed),
      family(
        'aegis_engine_position_lag_records',
        'gauge',
        "Records after this engine's position, per partition it holds, as of its last fetch (its own lag, also in each report's engineLag).",
        stats.positionLag.map(({ topic: t, partition, records }): Sample => [{ topic: t, partition }, records]),
      ),
      family(
        'aegis_engine_position_lag_seconds',
        'gauge',
        'Age of the last record this engine read, per partition it holds, while records are waiting after it (0 when caught up).',
        stats.positionLag.map(({ topic: t, partition, seconds }): Sample => [{ topic: t, partition }, seconds]),
      ),
    ].join('\n') + '\n'
  );
}

export async function buildEngineOps(provider: EngineStatsProvider, logger: Logger) {
  // Healthchecks hit /healthz every few seconds: request lines would drown the engine's own log.
  const app = Fastify({ loggerInstance: logger, disableRequestLogging: true });
  app.get('/healthz', async (_request, reply) => {
    const up = await provider.healthy();
    return reply
      .code(up ? 200 : 503)
      .send({ status: up ? 'ok' : 'kafka unreachable', kafka: up, eventsConsumed: provider.stats().eventsConsumed });
  });
  app.get('/metrics', async (_request, reply) => {
    const text = renderEngineMetrics(provider.stats(), await provider.lag(), provider.topic);
    return reply.type(METRICS_CONTENT_TYPE).send(text);
  });
  return app;
}

export type EngineOpsApp = Awaited<ReturnType<typeof buildEngineOps>>;
