/**
 * The REST view of the history, under /api: GET /models (each model's latest
 * status) and GET /models/:id/reports?since=<epoch ms> (a model's recent
 * reports, oldest first). Guarded by the bearer token when one is set.
 */
import type { FastifyPluginAsync } from 'fastify';
import { requireToken } from '../bearer-token.ts';
import { TOKEN_PARAM } from '../messages.ts';
import type { GatewayOptions } from '../server.ts';

export const apiRoutes: FastifyPluginAsync<GatewayOptions> = async (app, { history, token }) => {
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
