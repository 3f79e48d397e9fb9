/**
 * The gateway's Fastify app, without Kafka: `buildGateway` wires the history,
 * the client hub and a Kafka probe into route plugins, so that tests can
 * drive it with `app.inject` (REST) or a real listen (websocket). Logs
 * through the given pino logger, with the access token redacted from request
 * URLs. Every request's Host must be one the gateway serves (host-policy.ts),
 * else 403. Routes:
 *   GET /ws                         websocket: hello, history, then live reports (routes/live.ts)
 *   GET /api/models                 latest status per model (routes/api.ts)
 *   GET /api/models/:id/reports     a model's full reports still held (?since=epoch ms)
 *   GET /api/models/:id/series      a model's report points as columns (?since=, ?feature=)
 *   GET /healthz, /metrics          health and Prometheus metrics (routes/ops.ts)
 *   GET /, /<file>                  the dashboard (dashboard-assets.ts)
 */
import Fastify, { type FastifyRequest } from 'fastify';
import websocket from '@fastify/websocket';
import type { Logger } from '../log.ts';
import type { ClientHub } from './client-hub.ts';
import type { ReportHistory } from './report-history.ts';
import type { OriginPolicy } from './origin-policy.ts';
import type { HostPolicy } from './host-policy.ts';
import { redactUrl } from './redact-url.ts';
import type { PartitionLag } from './metrics.ts';
import { dashboardAssets } from './dashboard-assets.ts';
import { liveRoutes } from './routes/live.ts';
import { apiRoutes } from './routes/api.ts';
import { opsRoutes } from './routes/ops.ts';

/** What the routes ask of Kafka. */
export interface KafkaProbe {
  readonly topic: string;
  healthy(): Promise<boolean>;
  lag(): Promise<PartitionLag[] | undefined>;
}

export interface GatewayOptions {
  history: ReportHistory;
  hub: ClientHub;
  kafka: KafkaProbe;
  /** Reports relayed so far. */
  relayed(): number;
  origins: OriginPolicy;
  hosts: HostPolicy;
  /** When set, websocket and /api clients must present it (see bearer-token.ts). */
  token?: string;
  dashboardDir?: string;
  logger: Logger;
}

/** Largest frame a client may send; the protocol is server to client only. */
const MAX_CLIENT_FRAME = 4096;

/** Fastify's request serializer, with the URL redacted. */
function requestForLog(request: FastifyRequest) {
  return { method: request.method, url: redactUrl(request.url), host: request.host, remoteAddress: request.ip, remotePort: request.socket?.remotePort };
}

export async function buildGateway(options: GatewayOptions) {
  const app = Fastify({ loggerInstance: options.logger.child({}, { serializers: { req: requestForLog } }) });
  await app.register(websocket, { options: { maxPayload: MAX_CLIENT_FRAME } });
  // After the websocket plugin's own onRequest hook, which marks an upgrade request so that its
  // socket is destroyed once answered: refused before that, the socket would stay open and hold app.close().
  app.addHook('onRequest', async (request, reply) => {
    if (options.hosts.allows(request.headers.host)) return;
    request.log.warn({ host: request.headers.host, allowed: options.hosts.describe() }, 'refused: Host not served (DNS rebinding?)');
    await reply.code(403).send({ error: `host '${request.headers.host ?? ''}' is not served here; see --allowed-hosts` });
  });
  await app.register(liveRoutes, options);
  await app.register(apiRoutes, { ...options, prefix: '/api' });
  await app.register(opsRoutes, options);
  await app.register(dashboardAssets, { dir: options.dashboardDir });
  return app;
}

export type GatewayApp = Awaited<ReturnType<typeof buildGateway>>;
