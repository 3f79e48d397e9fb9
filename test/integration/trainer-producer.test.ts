/**
 * `aegis train` and `aegis produce` as subprocesses on the real broker and
 * registry: the trained profile comes back from aegis.references.v1 equal to
 * profile.json; a sensor-failure run publishes exactly the events and labels
 * it should; bad input exits 2 with one line; SIGTERM stops cleanly.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { createRegistry } from '../../pipeline/serde/registry-serde.ts';
import type { InferenceEvent } from '../../pipeline/serde/inference-event.ts';
import type { Label } from '../../pipeline/serde/label.ts';
import type { ReferenceProfile } from '../../pipeline/serde/reference-profile.ts';
import { TOPICS } from '../../services/kafka/topics.ts';
import { ensureTopics } from '../../services/kafka/topic-setup.ts';
import type { ModelArtifact } from '../../services/trainer/artifact-store.ts';
import { testCluster, unique } from '../support/cluster.ts';

const root = resolve(import.meta.dirname, '../..');

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

interface CliOptions {
  env?: NodeJS.ProcessEnv;
  /** Called with the child once stderr contains this text. */
  onStderr?: { text: string; then: (kill: (signal: NodeJS.Signals) => void) => void };
  timeoutMs?: number;
}

function aegis(args: string[], { env = process.env, onStderr, timeoutMs = 90_000 }: CliOptions = {}): Promise<CliResult> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'services/cli/main.ts', ...args], { cwd: root, env });
    let stdout = '';
    let stderr = '';
    let fired = false;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`aegis ${args.join(' ')} did not exit within ${timeoutMs} ms; stderr:\n${stderr}`));
    }, timeoutMs);
    child.stdout.on('data', (b: Buffer) => (stdout += b));
    child.stderr.on('data', (b: Buffer) => {
      stderr += b;
      if (onStderr && !fired && stderr.includes(onStderr.text)) {
        fired = true;
        onStderr.then((signal) => child.kill(signal));
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    });
  });
}

/** Log lines of a service's stderr, parsed. */
const logLines = (stderr: string) =>
  stderr
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);

/** Decoded Avro records are class instances; compare their data. */
const plain = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

type Start = { partition: number; offset: string }[];

/**
 * Reads `topic` from the given offsets with a new consumer group, keeping the
 * records whose key is `key`, until `want` of them have arrived (then waits
 * half a second more to catch duplicates).
 */
async function readKeyed(kafka: Kafka, topic: string, start: Start | 'beginning', key: string, want: number): Promise<Buffer[]> {
  const consumer = kafka.consumer({ groupId: unique('trainer-producer-test'), sessionTimeout: 10_000, heartbeatInterval: 1000 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const values: Buffer[] = [];
  try {
    await new Promise<void>((resolveRead, reject) => {
      const timer = setTimeout(() => reject(new Error(`only ${values.length}/${want} records keyed ${key} on ${topic} within 60 s`)), 60_000);
      void consumer.run({
        eachMessage: async ({ message }) => {
          if (message.key?.toString() !== key) return;
          values.push(message.value!);
          if (values.length >= want) {
            clearTimeout(timer);
            resolveRead();
          }
        },
      });
      if (start !== 'beginning') for (const s of start) consumer.seek({ topic, partition: s.partition, offset: s.offset });
    });
    await new Promise((r) => setTimeout(r, 500));
  } finally {
    await consumer.disconnect();
  }
  return values;
}

describe('aegis train and aegis produce on the real stack', () => {
  const cluster = testCluster();
  const kafka = new Kafka({ clientId: 'trainer-producer-test', brokers: cluster.brokers, logLevel: logLevel.NOTHING });
  const modelId = unique('wdbc-test');
  let admin: Admin;
  let artifacts: string;

  before(async () => {
    artifacts = await mkdtemp(join(tmpdir(), 'aegis-artifacts-'));
    admin = kafka.admin();
    await admin.connect();
  });

  after(async () => {
    await admin.disconnect();
    await rm(artifacts, { recursive: true, force: true });
  });

  test('train writes the artifact, prints its metrics and publishes its profile', async () => {
    const res = await aegis(['train', '--model', modelId, '--artifacts', artifacts]);
    assert.equal(res.code, 0, res.stderr);

    const version = (await readFile(join(artifacts, modelId, 'LATEST'), 'utf8')).trim();
    assert.match(version, /^[0-9a-f]{12}$/);
    const dir = join(artifacts, modelId, version);
    const model = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8')) as ModelArtifact;
    const profile = JSON.parse(await readFile(join(dir, 'profile.json'), 'utf8')) as ReferenceProfile;
    const traffic = JSON.parse(await readFile(join(dir, 'traffic.json'), 'utf8')) as { rows: unknown[] };
    assert.equal(model.version, version);
    assert.equal(profile.modelVersion, version);
    assert.equal(profile.modelId, modelId);
    assert.equal(traffic.rows.length, model.poolSizes.traffic);

    for (const metric of ['accuracy', 'precision', 'recall'] as const) {
      assert.match(res.stdout, new RegExp(`^${metric}\\s+${model.holdout[metric].toFixed(3)}$`, 'm'), `stdout shows ${metric}`);
    }
    assert.ok(model.holdout.accuracy > 0.85);
    assert.ok(res.stdout.includes(version));
    assert.equal(logLines(res.stderr).length, res.stderr.trim().split('\n').length, 'stderr is structured logs only');

    const { resources } = await admin.describeConfigs({
      resources: [{ type: 2, name: TOPICS.references, configNames: ['cleanup.policy'] }],
      includeSynonyms: false,
    });
    assert.equal(resources[0].configEntries[0].configValue, 'compact');

    const [bytes] = await readKeyed(kafka, TOPICS.references, 'beginning', modelId, 1);
    const outsider = createRegistry(cluster.schemaRegistryUrl);
    assert.deepEqual(plain(await outsider.decode(bytes)), profile);
  });

  test('produce: 300 sensor-failure events from the 101st on, each with its label', async () => {
    await ensureTopics(admin, [TOPICS.inference, TOPICS.labels]);
    const starts = {
      inference: (await admin.fetchTopicOffsets(TOPICS.inference)).map(({ partition, offset }) => ({ partition, offset })),
      labels: (await admin.fetchTopicOffsets(TOPICS.labels)).map(({ partition, offset }) => ({ partition, offset })),
    };
    const started = Date.now();
    const res = await aegis([
      'produce', '--model', modelId, '--artifacts', artifacts, '--count', '300', '--rate', '300',
      '--scenario', 'sensor-failure', '--after', '100', '--features', 'worst_radius', '--label-delay', '1', '--seed', '17',
    ]);
    assert.equal(res.code, 0, res.stderr);
    assert.equal(res.stdout, '');
    const done = logLines(res.stderr).find((l) => l.msg === 'done')!;
    assert.deepEqual([done.events, done.labels, done.labelsFlushed], [300, 300, 0]);
    assert.ok(Date.now() - started >= 1000, 'waited at least the label delay');

    const registry = createRegistry(cluster.schemaRegistryUrl);
    const events = await Promise.all(
      (await readKeyed(kafka, TOPICS.inference, starts.inference, modelId, 300)).map(async (b) => plain((await registry.decode(b)) as InferenceEvent)),
    );
    assert.equal(events.length, 300);
    const version = (await readFile(join(artifacts, modelId, 'LATEST'), 'utf8')).trim();
    events.forEach((e, i) => {
      assert.equal(e.modelId, modelId);
      assert.equal(e.modelVersion, version);
      if (i < 100) assert.ok(typeof e.features.worst_radius === 'number' && e.features.worst_radius > 0, `event ${i + 1} is healthy`);
      else assert.equal(e.features.worst_radius, 0, `event ${i + 1} has a failed sensor`);
      assert.ok(typeof e.features.mean_radius === 'number' && e.features.mean_radius > 0);
      assert.ok(e.score !== null && e.score >= 0 && e.score <= 1);
      assert.ok(e.prediction === 'M' || e.prediction === 'B');
      assert.ok(e.latencyMs !== null && e.latencyMs >= 0 && e.latencyMs < 100);
      if (i > 0) assert.ok(e.eventTime >= events[i - 1].eventTime, 'in order');
    });
    assert.equal(new Set(events.map((e) => e.eventId)).size, 300);

    const labels = await Promise.all(
      (await readKeyed(kafka, TOPICS.labels, starts.labels, modelId, 300)).map(async (b) => plain((await registry.decode(b)) as Label)),
    );
    assert.equal(labels.length, 300);
    const byId = new Map(events.map((e) => [e.eventId, e]));
    assert.deepEqual(new Set(labels.map((l) => l.eventId)), new Set(byId.keys()));
    for (const l of labels) {
      assert.ok(l.label === 'M' || l.label === 'B');
      assert.equal(l.eventTime, byId.get(l.eventId)!.eventTime);
      assert.ok(l.labeledAt - l.eventTime >= 1000, `label after the 1 s delay (${l.labeledAt - l.eventTime} ms)`);
    }
    const healthy = events.slice(0, 100);
    const truth = new Map(labels.map((l) => [l.eventId, l.label]));
    const agree = healthy.filter((e) => truth.get(e.eventId) === e.prediction).length;
    assert.ok(agree / healthy.length > 0.8, `the model agrees with ${agree}/100 labels of healthy events`);
  });

  test('SIGTERM stops the producer: pending labels are flushed, exit 0', async () => {
    const res = await aegis(['produce', '--model', modelId, '--artifacts', artifacts, '--rate', '200', '--label-delay', '60'], {
      onStderr: { text: '"producing"', then: (kill) => setTimeout(() => kill('SIGTERM'), 1500) },
    });
    assert.equal(res.code, 0, res.stderr);
    const done = logLines(res.stderr).find((l) => l.msg === 'done')!;
    assert.ok((done.events as number) > 0);
    assert.equal(done.labels, done.events, 'every sent event got its label');
    assert.equal(done.labelsFlushed, done.events, 'all of them flushed early');
  });

  test('bad input exits 2 with one line naming the problem', async () => {
    const cases: [string[], RegExp][] = [
      [['train', '--bogus'], /--bogus/],
      [['train', '--seed', 'x', '--no-publish'], /--seed/],
      [['produce', '--rate', 'fast', '--model', modelId, '--artifacts', artifacts], /--rate/],
      [['produce', '--count', '1.5', '--model', modelId, '--artifacts', artifacts], /--count/],
      [['produce', '--scenario', 'meteor', '--model', modelId, '--artifacts', artifacts], /--scenario.*meteor/],
      [['produce', '--scenario', 'sensor-failure', '--features', 'worst_radius,nope', '--model', modelId, '--artifacts', artifacts], /'nope'/],
      [['produce', '--model', unique('never-trained'), '--artifacts', artifacts], /aegis train/],
    ];
    for (const [args, pattern] of cases) {
      const res = await aegis(args);
      assert.equal(res.code, 2, `${args.join(' ')}: ${res.stderr}`);
      assert.equal(res.stderr.trim().split('\n').length, 1, `${args.join(' ')}: one line, got ${res.stderr}`);
      assert.match(res.stderr, pattern);
    }
    const fromEnv = await aegis(['produce', '--model', modelId, '--artifacts', artifacts], { env: { ...process.env, AEGIS_RATE: '-5' } });
    assert.equal(fromEnv.code, 2, 'flags are also read from the environment');
    assert.match(fromEnv.stderr, /^aegis: AEGIS_RATE must be a number in \[0\.001, 100000\], got '-5'/);
    const env = { ...process.env };
    delete env.KAFKA_BROKERS;
    delete env.SCHEMA_REGISTRY_URL;
    const noCluster = await aegis(['train', '--artifacts', artifacts], { env });
    assert.equal(noCluster.code, 2);
    assert.match(noCluster.stderr, /^aegis: .*aegis stack up.*\n$/);
  });

  test('--help describes every flag', async () => {
    const res = await aegis(['produce', '--help']);
    assert.equal(res.code, 0);
    for (const flag of ['--model', '--rate', '--count', '--noise', '--scenario', '--after', '--features', '--share', '--sigma', '--duration', '--label-delay', '--seed', '--artifacts', '--brokers', '--registry']) {
      assert.ok(res.stdout.includes(flag), `produce --help mentions ${flag}`);
    }
    const train = await aegis(['train', '--help']);
    assert.equal(train.code, 0);
    for (const flag of ['--model', '--artifacts', '--seed', '--data', '--no-publish', '--brokers', '--registry']) assert.ok(train.stdout.includes(flag), flag);
  });
});
