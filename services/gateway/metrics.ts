/**
 * The gateway's Prometheus metrics (format: ../prometheus.ts). Values are
 * read when scraped, from the hub, the history and the consumer.
 */
import { family, type PartitionLag, type Sample } from '../prometheus.ts';

export { METRICS_CONTENT_TYPE, type PartitionLag } from '../prometheus.ts';

export interface MetricsSources {
  relayed(): number;
  clients(): number;
  dropped(): Record<string, number>;
  historySize(): number;
  historyFullReports(): number;
  historyBytes(): number;
  bufferedBytes(): number;
  /** Per-partition lag of the gateway's consumer; undefined when it cannot be measured now. */
  lag(): Promise<PartitionLag[] | undefined>;
}

export async function renderMetrics(sources: MetricsSources, topic: string): Promise<string> {
  const lag = await sources.lag();
  const families = [
    family('aegis_gateway_reports_relayed_total', 'counter', 'Drift reports consumed and pushed to websocket clients.', [
      [{}, sources.relayed()],
    ]),
    family('aegis_gateway_clients', 'gauge', 'Websocket clients connected now.', [[{}, sources.clients()]]),
    family(
      'aegis_gateway_clients_dropped_total',
      'counter',
      'Websocket clients dropped by the gateway, by reason (backpressure: too far behind; memory: furthest behind when all clients together were over budget; heartbeat: no pong).',
      Object.entries(sources.dropped()).map(([reason, n]): Sample => [{ reason }, n]),
    ),
    family('aegis_gateway_history_reports', 'gauge', 'Drift reports in the recent history (as chart points).', [[{}, sources.historySize()]]),
    family('aegis_gateway_history_full_reports', 'gauge', 'Drift reports of the history still held in full.', [[{}, sources.historyFullReports()]]),
    family('aegis_gateway_history_bytes', 'gauge', 'Estimated bytes held by the history (JSON lengths).', [[{}, sources.historyBytes()]]),
    family('aegis_gateway_buffered_bytes', 'gauge', 'Bytes queued for websocket clients and not yet sent, summed over clients.', [
      [{}, sources.bufferedBytes()],
    ]),
    family(
      'aegis_gateway_consumer_lag',
      'gauge',
      'Messages on the drift-report topic not yet consumed by the gateway, per partition (absent while Kafka does not answer).',
      (lag ?? []).map(({ partition, lag: value }): Sample => [{ topic, partition }, value]),
    ),
    family('aegis_gateway_consumer_lag_known', 'gauge', '1 when the consumer lag could be read from Kafka at this scrape, else 0.', [
      [{}, lag ? 1 : 0],
    ]),
  ];
  return families.join('\n') + '\n';
}
