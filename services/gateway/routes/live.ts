/**
 * GET /ws: the websocket the dashboard listens on. The handshake is refused
 * before the upgrade when the Origin is not allowed (403) or the token is
 * missing (401); an accepted client gets `hello` and the history's points
 * (messages.ts), then joins the hub for live reports. The history frame is
 * encoded once per change of the history and shared by every client that
 * connects meanwhile (30 clients reconnecting at once cost one encoding).
 */
import type { FastifyPluginAsync } from 'fastify';
import { requireToken } from '../bearer-token.ts';
import { encodeFrame } from '../client-hub.ts';
import { WS_PATH } from '../messages.ts';
import type { GatewayOptions } from '../server.ts';

export const liveRoutes: FastifyPluginAsync<GatewayOptions> = async (app, { hub, history, origins, token }) => {
  const hello = encodeFrame({
    type: 'hello',
    heartbeatMs: hub.options.heartbeatMs,
    historyMinutes: history.limits.maxAgeMs / 60_000,
    historyPerModel: history.limits.maxPerModel,
  });
  let cached: { version: number; frame: Buffer } | undefined;
  const historyFrame = (): Buffer => {
    history.prune();
    if (cached?.version !== history.version) cached = { version: history.version, frame: encodeFrame({ type: 'history', models: history.histories() }) };
    return cached.frame;
  };

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
      const id = hub.add(socket, [hello, historyFrame()]);
      request.log.info({ client: id, origin: request.headers.origin, clients: hub.size }, 'websocket client connected');
      socket.on('close', (code) => request.log.info({ client: id, code, clients: hub.size }, 'websocket client left'));
    },
  );
};
