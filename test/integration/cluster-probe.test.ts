/**
 * The start-up probe against the real cluster: a running Kafka and registry
 * answer at once; a registry URL that is not the Confluent-compatible API is
 * one line naming it, exit 1, not a failure deep inside the first decode.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { probeCluster } from '../../services/kafka/cluster-probe.ts';
import { testCluster } from '../support/cluster.ts';

const root = resolve(import.meta.dirname, '../..');

test('a running cluster answers the probe within a second', async () => {
  const started = Date.now();
  await probeCluster(testCluster(), 5000);
  assert.ok(Date.now() - started < 1000, `${Date.now() - started} ms`);
});

test('a registry URL that answers 404 is one line naming it, exit 1', () => {
  const cluster = testCluster();
  const wrong = `${cluster.schemaRegistryUrl}/not-the-api`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'services/cli/main.ts', 'models'], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, KAFKA_BROKERS: cluster.brokers.join(','), SCHEMA_REGISTRY_URL: wrong },
  });
  assert.equal(r.status, 1, r.stderr);
  assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  assert.match(r.stderr, new RegExp(`^aegis: the schema registry at ${wrong.replace(/[.]/g, '\\.')} answered 404 to GET /subjects`));
});
