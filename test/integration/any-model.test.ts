/**
 * Aegis watches any model, through its public paths only: a team registers its
 * model with `aegis reference` from a CSV and publishes predictions with a
 * standard client — Python's confluent-kafka AvroSerializer
 * (examples/python/publish_predictions.py, in a venv this test makes) or the
 * Node publisher — and the engine reports on it: categorical drift, a
 * 300-feature model, unknown and wrong-kind features, a 100,000-row reference.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import { TOPICS } from '../../services/kafka/topics.ts';
import { ensureTopics } from '../../services/kafka/topic-setup.ts';
import { publishProfile } from '../../services/reference/profile-publisher.ts';
import { createInferencePublisher, type InferencePublisher } from '../../services/sdk/inference-publisher.ts';
import { createLogger } from '../../services/log.ts';
import { buildProfile } from '../../pipeline/reference/build-profile.ts';
import { gaussian, mulberry32, type Rng } from '../../pipeline/random.ts';
import type { DriftReport } from '../../pipeline/serde/drift-report.ts';
import type { ReferenceProfile } from '../../pipeline/serde/reference-profile.ts';
import { testCluster, unique } from '../support/cluster.ts';
import { AegisChild } from '../support/aegis-child.ts';
import { TopicReader } from '../support/topic-reader.ts';
import { pythonVenv } from '../support/python-venv.ts';

const root = resolve(import.meta.dirname, '../..');
const exec = promisify(execFile);
const REGIONS = ['north', 'south', 'east', 'west'];

function pick(rng: Rng, shares: number[]): string {
  let u = rng();
  for (let k = 0; k < shares.length; k++) if ((u -= shares[k]) < 0) return REGIONS[k];
  return REGIONS[3];
}

/** CSV rows of a mixed-kind model: income, age (numeric), region, plan (categorical), employed (boolean), outputs. */
function mixedCsv(rng: Rng, rows: number, regionShares = [0.25, 0.25, 0.25, 0.25], withLabel = false): string {
  const lines = [`income,age,region,plan,employed,prediction,score${withLabel ? ',label' : ''}`];
  for (let i = 0; i < rows; i++) {
    const income = gaussian(rng, 50_000, 12_000);
    const score = Math.min(1, Math.max(0, (income - 20_000) / 70_000));
    const plan = rng() < 0.6 ? 'basic' : 'gold';
    lines.push(
      [income.toFixed(2), Math.round(gaussian(rng, 40, 10)), pick(rng, regionShares), plan, rng() < 0.7, score >= 0.5 ? 'yes' : 'no', score.toFixed(4)]
        .concat(withLabel ? [rng() < score ? 'yes' : 'no'] : [])
        .join(','),
    );
  }
  return lines.join('\n') + '\n';
}

describe('any model on the real stack', () => {
  const cluster = testCluster();
  const env = { KAFKA_BROKERS: cluster.brokers.join(','), SCHEMA_REGISTRY_URL: cluster.schemaRegistryUrl };
  const dir = mkdtempSync(join(tmpdir(), 'aegis-any-model-'));
  const run = unique('m');
  const pyModel = `${run}-py`;
  const wide = `${run}-wide`;
  const big = `${run}-big`;
  const processes: AegisChild[] = [];
  let reports: TopicReader<DriftReport>;
  let publisher: InferencePublisher | undefined;
  const forModel = (id: string) => reports.values().filter((r) => r.modelId === id);
  const log = createLogger('test');

  before(async () => {
    const admin = new Kafka({ clientId: 'setup', brokers: cluster.brokers, logLevel: logLevel.ERROR }).admin();
    await admin.connect();
    await ensureTopics(admin);
    await admin.disconnect();
    reports = await new TopicReader<DriftReport>(TOPICS.driftReports, new Set([pyModel, wide])).start();
    const engine = new AegisChild(['engine', '--interval', '1', '--window', '600', '--min-samples', '300', '--group', unique('engine')], env);
    processes.push(engine);
    await engine.waitFor(/engine started/, 60_000);
    await engine.waitFor(/partitions assigned/, 30_000);
  });

  after(async () => {
    await publisher?.close();
    await Promise.all(processes.map((p) => p.stop()));
    await reports?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a Python service with confluent-kafka: registered by `aegis reference`, GREEN, then RED naming the categorical feature that moved', async () => {
    const rng = mulberry32(42);
    writeFileSync(join(dir, 'reference.csv'), mixedCsv(rng, 800, undefined, true));
    writeFileSync(join(dir, 'healthy.csv'), mixedCsv(rng, 600));
    writeFileSync(join(dir, 'shifted.csv'), mixedCsv(rng, 600, [0.85, 0.05, 0.05, 0.05]));

    const reference = new AegisChild(['reference', '--model', pyModel, '--from', join(dir, 'reference.csv'), '--prediction', 'prediction', '--score', 'score', '--label', 'label'], env);
    assert.equal(await reference.exited, 0, reference.tail());
    assert.match(reference.tail(), /features {2}5: 2 numeric, 3 categorical/);
    assert.match(reference.tail(), /baseline {2}accuracy 0\.\d+ on 800 labelled rows/);

    const models = new AegisChild(['models', '--format', 'json'], env);
    assert.equal(await models.exited, 0, models.tail());
    const listed = (JSON.parse(models.tail(1_000_000).slice(models.tail(1_000_000).indexOf('{'))) as { models: Array<{ modelId: string; features: Array<{ name: string; kind: string }> }> }).models.find((m) => m.modelId === pyModel);
    assert.deepEqual(listed?.features.map((f) => `${f.name}:${f.kind}`), ['income:NUMERIC', 'age:NUMERIC', 'region:CATEGORICAL', 'plan:CATEGORICAL', 'employed:CATEGORICAL']);

    const python = await pythonVenv(join(root, 'examples/python/requirements.txt'));
    const publish = (csv: string) =>
      exec(python, [join(root, 'examples/python/publish_predictions.py'), '--model', pyModel, '--csv', join(dir, csv)], { env: { ...process.env, ...env }, timeout: 120_000 });
    const healthy = await publish('healthy.csv');
    assert.match(healthy.stdout, /published 600 events/);
    await reports.waitFor('a GREEN report of the Python model', () => forModel(pyModel).some((r) => r.eventCount === 600), 30_000);
    const green = forModel(pyModel).find((r) => r.eventCount === 600)!;
    assert.equal(green.status, 'GREEN', green.reason);
    const region = green.features.find((f) => f.name === 'region')!;
    assert.equal(region.kind, 'CATEGORICAL');
    assert.equal(region.decidingTest, 'chi_square_homogeneity');
    assert.equal(green.features.find((f) => f.name === 'income')!.decidingTest, 'ks_mean');
    assert.equal(green.prediction.classes.length, 2);

    await publish('shifted.csv');
    await reports.waitFor('a RED report naming region', () => forModel(pyModel).some((r) => r.status === 'RED'), 30_000);
    const red = forModel(pyModel).find((r) => r.status === 'RED')!;
    assert.deepEqual(red.features.filter((f) => f.drifted).map((f) => f.name), ['region']);
    const north = red.features.find((f) => f.name === 'region')!.categories.find((c) => c.value === 'north')!;
    assert.ok(north.current > 0.6 && Math.abs(north.reference - 0.25) < 0.06, JSON.stringify(north));
    assert.match(red.reason, /region RED: chi_square_homogeneity/);
  });

  test('a 300-feature model from Node: a stuck feature is RED and named; unknown and wrong-kind features are counted per feature', async () => {
    const rng = mulberry32(300);
    const names = Array.from({ length: 300 }, (_, j) => `x${j}`);
    const row = () => Object.fromEntries(names.map((n, j) => [n, gaussian(rng, j, 1)]));
    const profile = buildProfile({
      modelId: wide,
      modelVersion: 'v1',
      createdAt: Date.now(),
      features: names.map((name, j) => ({ name, kind: 'NUMERIC' as const, values: Array.from({ length: 500 }, () => gaussian(rng, j, 1)) })),
    });
    await publishProfile(cluster, profile, log);
    await new Promise((r) => setTimeout(r, 1500)); // the engine reads the new reference
    publisher = await createInferencePublisher({ brokers: cluster.brokers, registryUrl: cluster.schemaRegistryUrl, modelId: wide });
    await publisher.publish(Array.from({ length: 600 }, () => ({ features: row() })));
    await reports.waitFor('a report of the 300-feature model', () => forModel(wide).some((r) => r.eventCount >= 600), 30_000);
    const green = forModel(wide).find((r) => r.eventCount >= 600)!;
    assert.equal(green.status, 'GREEN', green.reason.slice(0, 500));
    assert.equal(green.features.length, 300);

    await publisher.publish(Array.from({ length: 600 }, (_, i) => ({ features: { ...row(), x17: 0, x42: i % 2 ? 'broken' : Number.POSITIVE_INFINITY, extra_sensor: 1 } })));
    // the window is all new events once x42 is invalid in nearly all of it
    const full = (r: DriftReport) => r.features.find((f) => f.name === 'x42')!.invalidShare > 0.9;
    await reports.waitFor('a window of the new events', () => forModel(wide).some(full), 30_000);
    const red = forModel(wide).find(full)!;
    assert.equal(red.status, 'RED');
    assert.deepEqual(red.features.filter((f) => f.drifted).map((f) => f.name), ['x17']);
    const x42 = red.features.find((f) => f.name === 'x42')!;
    assert.equal(x42.status, 'RED');
    assert.ok(forModel(wide).some((r) => r.integrity.unknownFeatures.some((u) => u.name === 'extra_sensor' && u.events > 0)));
  });

  test('a 100,000-row × 50-feature reference round-trips through aegis.references.v1', async () => {
    const rng = mulberry32(100);
    const rows = 100_000;
    const profile = buildProfile({
      modelId: big,
      modelVersion: 'v1',
      createdAt: Date.now(),
      features: Array.from({ length: 50 }, (_, j) => ({ name: `f${j}`, kind: 'NUMERIC' as const, values: Array.from({ length: rows }, () => gaussian(rng, j, 1)) })),
    });
    await publishProfile(cluster, profile, log);
    const back = await new TopicReader<ReferenceProfile>(TOPICS.references, new Set([big])).start();
    try {
      await back.waitFor('the big profile', (r) => r.length > 0, 30_000);
      const got = back.values()[0];
      assert.ok(back.records[0].raw!.length > 1024 * 1024, `${back.records[0].raw!.length} bytes: above Kafka's 1 MB default`);
      assert.equal(got.features.length, 50);
      assert.equal(got.rowCount, rows);
      for (const [j, f] of got.features.entries()) {
        assert.equal(f.count, rows);
        assert.deepEqual(f.values, profile.features[j].values);
      }
    } finally {
      await back.stop();
    }
  });
});
