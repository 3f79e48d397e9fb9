/**
 * Builds the dashboard into static files: dashboard/src/main.ts (with uPlot)
 * bundled into dist/app.js, style.css (with uPlot's CSS) into dist/style.css,
 * index.html copied. Everything the page needs is in dist/, so it works with
 * no internet. Run by `npm run build:dashboard` (hence before `npm start` and
 * `npm test`) and by the gateway when it finds no build.
 */
import { copyFile, mkdir, rm } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export const DASHBOARD_DIST = here('./dist/');

export async function buildDashboard(outdir = DASHBOARD_DIST): Promise<void> {
  await rm(outdir, { recursive: true, force: true });
  await mkdir(outdir, { recursive: true });
  await build({
    entryPoints: { app: here('./src/main.ts'), style: here('./style.css') },
    bundle: true,
    outdir,
    format: 'esm',
    target: ['chrome110', 'firefox110', 'safari16'],
    minify: true,
    sourcemap: true,
    legalComments: 'eof',
    logLevel: 'warning',
  });
  await copyFile(here('./index.html'), `${outdir}/index.html`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const started = Date.now();
  await buildDashboard();
  process.stderr.write(`dashboard built into ${DASHBOARD_DIST} in ${Date.now() - started} ms\n`);
}
