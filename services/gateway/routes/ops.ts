/**
 * Operations routes: GET /healthz (200 only while Kafka answers, else 503)
 * and GET /metrics (Prometheus text exposition).
 */
import type { FastifyPluginAsync } from 'fastify';
import { METRICS_CONTENT_TYPE, renderMetrics } from '../metrics.ts';
import type { GatewayOptions } from '../server.ts';

export const opsRoutes: FastifyPluginAsync<GatewayOptions> = async (app, { kafka, hub, history, relayed }) => {
  app.get('/healthz', async (_request, reply) => {
    const up = await kafka.healthy();
    return reply.code(up ? 200 : 503).send({ status: up ? 'ok' : 'kafka unreachable', kafka: up, clients: hub.size });
  });
  app.get('/metrics', async (_request, reply) => {
    const text = await renderMetrics(
      {
        relayed,
        clients: () => hub.size,
        dropped: () => hub.dropped,
        historySize: () => history.size(),
        historyFullReports: () => history.fullReports(),
        historyBytes: () => history.bytes(),
        bufferedBytes: () => hub.bufferedBytes(),
        lag: () => kafka.lag(),
      },
      kafka.topic,
    );
    return reply.type(METRICS_CONTENT_TYPE).send(text);
  });
};
