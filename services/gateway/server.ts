/**
 * The gateway's Fastify app, without Kafka: `buildGateway` wires the history,
 * the client hub and a Kafka probe into routes, so that tests can drive it
 * with `app.inject` (REST) or a real listen (websocket). Logs through the
 * given pino logger. Routes:
 *   GET /ws                         websocket: hello, history, then live reports
 *   GET /api/models                 latest status per model
 *   GET /api/models/:id/reports     a model's recent reports (?since=epoch ms)
 *   GET /healthz                    200 while Kafka answers, else 503
 *   GET /metrics                    Prometheus text
 *   GET /, /<file>                  the dashboard
 */
import { timingSafeEqual } from 'node:crypto';
import Fastify, { type FastifyPluginAsync, type FastifyReply, type FastifyRequest } from 'fastify';
import websocket from '@fastify/websocket';
import type { Logger } from '../log.ts';
import type { ClientHub } from './client-hub.ts';
import type { ReportHistory } from './report-history.ts';
import type { OriginPolicy } from './origin-policy.ts';
import { METRICS_CONTENT_TYPE, renderMetrics, type PartitionLag } from './metrics.ts';
import { dashboardAssets } from './dashboard-assets.ts';
import { TOKEN_PARAM, WS_PATH, type ServerMessage } from './messages.ts';

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
  /** When set, websocket and /api clients must present it as a bearer token (browsers: `?access_token=`). */
  token?: string;
  dashboardDir?: string;
  logger: Logger;
}

function presentedToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice('Bearer '.length).trim();
  const query = request.query as Record<string, unknown> | undefined;
  const fromQuery = query?.[TOKEN_PARAM];
  return typeof fromQuery === 'string' ? fromQuery : undefined;
}

function sameSecret(presented: string | undefined, expected: string): boolean {
  if (presented === undefined) return false;
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** An onRequest/preValidation hook refusing requests without the token, when one is configured. */
function requireToken(token: string | undefined) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    if (token === undefined || sameSecret(presentedToken(request), token)) return;
    request.log.warn({ url: request.url.split('?')[0] }, 'refused: missing or wrong bearer token');
    await reply.code(401).header('www-authenticate', 'Bearer').send({ error: 'bearer token required' });
  };
}

const liveRoutes: FastifyPluginAsync<GatewayOptions> = async (app, options) => {
  const { hub, history, origins } = options;
  app.get(
    WS_PATH,
    {
      websocket: true,
      preValidation: [
        async (request, reply) => {
          const origin = request.headers.origin;
          if (origins.allows(origin, request.headers.host)) return;
          request.log.warn({ origin, host: request.headers.host, allowed: origins.describe() }, 'refused websocket: origin not allowed');
          await reply.code(403).send({ error: 'origin not allowed' });
        },
        requireToken(options.token),
      ],
    },
    (socket, request) => {
      const greeting: ServerMessage[] = [
        {
          type: 'hello',
          heartbeatMs: hub.options.heartbeatMs,
          historyMinutes: history.limits.maxAgeMs / 60_000,
          historyPerModel: history.limits.maxPerModel,
        },
        { type: 'history', reports: history.all() },
      ];
      const id = hub.add(socket, greeting);
      request.log.info({ client: id, origin: request.headers.origin, clients: hub.size }, 'websocket client connected');
      socket.on('close', (code) => request.log.info({ client: id, code, clients: hub.size }, 'websocket client left'));
    },
  );
};

const apiRoutes: FastifyPluginAsync<GatewayOptions> = async (app, { history, token }) => {
  app.addHook('onRequest', requireToken(token));
  app.get('/models', async () => ({ models: history.models() }));
  app.get<{ Params: { id: string }; Querystring: { since?: number } }>(
    '/models/:id/reports',
    {
      schema: {
        params: { type: 'object', properties: { id: { type: 'string', minLength: 1 } }, required: ['id'] },
        querystring: {
          type: 'object',
          properties: {
            since: { type: 'integer', minimum: 0, description: 'epoch milliseconds; reports evaluated at or after it' },
            [TOKEN_PARAM]: { type: 'string' },
          },
          additionalProperties: false,
        },
      },
    },
    async (request, reply) => {
      const reports = history.reports(request.params.id, request.query.since);
      if (!reports) return reply.code(404).send({ error: `no recent reports for model '${request.params.id}'` });
      return { modelId: request.params.id, reports };
    },
  );
};

const opsRoutes: FastifyPluginAsync<GatewayOptions> = async (app, options) => {
  app.get('/healthz', async (_request, reply) => {
    const kafka = await options.kafka.healthy();
    return reply.code(kafka ? 200 : 503).send({ status: kafka ? 'ok' : 'kafka unreachable', kafka, clients: options.hub.size });
  });
  app.get('/metrics', async (_request, reply) => {
    const text = await renderMetrics(
      {
        relayed: options.relayed,
        clients: () => options.hub.size,
        dropped: () => options.hub.dropped,
        historySize: () => options.history.size(),
        lag: () => options.kafka.lag(),
      },
      options.kafka.topic,
    );
    return reply.type(METRICS_CONTENT_TYPE).send(text);
  });
};

export async function buildGateway(options: GatewayOptions) {
  const app = Fastify({ loggerInstance: options.logger });
  await app.register(websocket, { options: { maxPayload: 4096 } });
  await app.register(liveRoutes, options);
  await app.register(apiRoutes, { ...options, prefix: '/api' });
  await app.register(opsRoutes, options);
  await app.register(dashboardAssets, { dir: options.dashboardDir });
  return app;
}

export type GatewayApp = Awaited<ReturnType<typeof buildGateway>>;
