/**
 * The gateway's optional shared secret (AEGIS_GATEWAY_TOKEN): a hook that
 * refuses a request with 401 unless it carries the token, as
 * `Authorization: Bearer <token>` or, for browsers (which cannot set headers
 * on a websocket), as the `access_token` query parameter. Compared in
 * constant time. No token configured: every request passes.
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { TOKEN_PARAM } from './messages.ts';

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

export function requireToken(token: string | undefined) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    if (token === undefined || sameSecret(presentedToken(request), token)) return;
    request.log.warn({ url: request.url.split('?')[0] }, 'refused: missing or wrong bearer token');
    await reply.code(401).header('www-authenticate', 'Bearer').send({ error: 'bearer token required' });
  };
}
