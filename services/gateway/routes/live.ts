/**
 * GET /ws: the websocket the dashboard listens on. The handshake is refused
 * before the upgrade when the Origin is not allowed (403) or the token is
 * missing (401); an accepted client gets `hello` and the recent history,
 * then joins the hub for live reports.
 */
import type { FastifyPluginAsync } from 'fastify';
import { requireToken } from '../bearer-token.ts';
import { WS_PATH, type ServerMessage } from '../messages.ts';
import type { GatewayOptions } from '../server.ts';

export const liveRoutes: FastifyPluginAsync<GatewayOptions> = async (app, { hub, history, origins, token }) => {
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
        requireToken(token),
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
