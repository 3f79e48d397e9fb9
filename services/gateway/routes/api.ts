/**
 * The REST view of the history, under /api:
 *   GET /models                              each model's latest status
 *   GET /models/:id/reports?since=<epoch ms> a model's full reports still held, oldest first
 *   GET /models/:id/series?since=&feature=   its report points as columns, with the named features
 * Query parameters are parsed strictly (query-params.ts): 400 with a one-line
 * error. Guarded by the bearer token when one is set.
 */
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { requireToken } from '../bearer-token.ts';
import type { ReportsResponse } from '../messages.ts';
import { parseFeatures, parseSince, QueryError } from '../query-params.ts';
import type { GatewayOptions } from '../server.ts';

type ModelRequest = { Params: { id: string }; Querystring: Record<string, unknown> };

function unknownModel(reply: FastifyReply, modelId: string) {
  return reply.code(404).send({ error: `no recent reports for model '${modelId}'` });
}

export const apiRoutes: FastifyPluginAsync<GatewayOptions> = async (app, { history, token }) => {
  app.addHook('onRequest', requireToken(token));
  app.setErrorHandler<Error & { statusCode?: number }>(async (err, request, reply) => {
    if (err instanceof QueryError) return reply.code(400).send({ error: err.message });
    request.log.error({ err: err.message }, 'api request failed');
    return reply.code(err.statusCode ?? 500).send({ error: err.message });
  });

  app.get('/models', async () => ({ models: history.models() }));

  app.get<ModelRequest>('/models/:id/reports', async (request, reply) => {
    const held = history.reports(request.params.id, parseSince(request.query.since));
    if (!held) return unknownModel(reply, request.params.id);
    const body: ReportsResponse = { modelId: request.params.id, ...held };
    return body;
  });

  app.get<ModelRequest>('/models/:id/series', async (request, reply) => {
    const series = history.series(request.params.id, parseSince(request.query.since), parseFeatures(request.query.feature));
    if (!series) return unknownModel(reply, request.params.id);
    return series;
  });
};
