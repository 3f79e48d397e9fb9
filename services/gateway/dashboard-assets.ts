/**
 * Serves the built dashboard (dashboard/dist) from memory: the handful of
 * files are read once at start, so no request path ever reaches the file
 * system. Builds the dashboard first when no build is there. The page gets a
 * Content-Security-Policy that allows only its own scripts and connections.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyPluginAsync } from 'fastify';

export const DEFAULT_DASHBOARD_DIR = fileURLToPath(new URL('../../dashboard/dist/', import.meta.url));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.txt': 'text/plain; charset=utf-8',
};

const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export interface DashboardAssetsOptions {
  /** The built dashboard; defaults to dashboard/dist. */
  dir?: string;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

export const dashboardAssets: FastifyPluginAsync<DashboardAssetsOptions> = async (app, options) => {
  const dir = options.dir ?? DEFAULT_DASHBOARD_DIR;
  if (!(await exists(join(dir, 'index.html')))) {
    app.log.info({ dir }, 'no dashboard build found: building it');
    const { buildDashboard } = await import('../../dashboard/build.ts');
    await buildDashboard(dir);
  }
  const files = new Map<string, { body: Buffer; type: string }>();
  for (const name of await readdir(dir)) {
    const type = TYPES[extname(name)];
    if (type) files.set(name, { body: await readFile(join(dir, name)), type });
  }
  app.log.info({ dir, files: [...files.keys()] }, 'serving the dashboard');

  const send = (name: string) => files.get(name);
  app.get('/', async (_request, reply) => {
    const file = send('index.html')!;
    return reply.type(file.type).header('cache-control', 'no-cache').header('content-security-policy', CSP).send(file.body);
  });
  app.get<{ Params: { file: string } }>('/:file', async (request, reply) => {
    const file = request.params.file === 'index.html' ? undefined : send(request.params.file);
    if (!file) return reply.code(404).send({ error: 'not found' });
    return reply.type(file.type).header('cache-control', 'no-cache').send(file.body);
  });
};
