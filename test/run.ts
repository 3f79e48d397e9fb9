/**
 * `npm test`: runs every test file under test/ with node's test runner, after
 * providing one Kafka + schema registry for the integration, e2e and chaos
 * tests (see cluster-provider.ts); the cluster is stopped when the run ends.
 * `npm test -- test/unit` (or any files/folders) runs a subset; test/compose
 * and test/chaos run only when named.
 */
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { provideCluster, type ProvidedCluster } from './support/cluster-provider.ts';

const root = resolve(import.meta.dirname, '..');

function collect(target: string): string[] {
  const abs = resolve(root, target);
  if (statSync(abs).isFile()) return [abs];
  return readdirSync(abs, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.test.ts'))
    .map((f) => join(abs, f));
}

const targets = process.argv.slice(2);
// test/compose needs a Docker engine and takes minutes: it runs when named (`npm run test:compose`), not by default;
// so does test/chaos (`npm run test:chaos`), minutes of kills and hostile input.
const files = [...new Set((targets.length ? targets : ['test']).flatMap(collect))]
  .filter((f) => targets.length > 0 || !/\/(compose|chaos)\//.test(f))
  .sort((a, b) => {
    const rank = (f: string) => (f.includes('/unit/') ? 0 : f.includes('/integration/') ? 1 : 2);
    return rank(a) - rank(b) || a.localeCompare(b);
  });
if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}

const say = (m: string) => process.stderr.write(`[test] ${m}\n`);
let cluster: ProvidedCluster | undefined;
if (files.some((f) => /\/(integration|e2e|chaos)\//.test(f))) {
  const started = Date.now();
  cluster = await provideCluster(say);
  say(`cluster (${cluster.source}) ready in ${((Date.now() - started) / 1000).toFixed(1)} s: ` +
    `KAFKA_BROKERS=${cluster.brokers.join(',')} SCHEMA_REGISTRY_URL=${cluster.schemaRegistryUrl}`);
}

const child = spawn(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=1', ...files.map((f) => relative(root, f))],
  {
    cwd: root,
    stdio: 'inherit',
    env: cluster
      ? { ...process.env, KAFKA_BROKERS: cluster.brokers.join(','), SCHEMA_REGISTRY_URL: cluster.schemaRegistryUrl }
      : process.env,
  },
);
const forward = (signal: NodeJS.Signals) => child.kill(signal);
process.on('SIGINT', forward);
process.on('SIGTERM', forward);
const code = await new Promise<number>((done) => child.on('exit', (c, s) => done(c ?? (s ? 1 : 0))));
if (cluster) {
  say(`stopping the ${cluster.source} cluster`);
  await cluster.stop();
}
process.exit(code);
