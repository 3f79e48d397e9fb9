/**
 * `aegis backtest` is the live engine's code path: the same recorded stream,
 * produced to Kafka and consumed by `aegis engine` (real broker and registry,
 * the CLI as a user runs it), and replayed by `aegis backtest`, gives the
 * same status and the same drifted features at every evaluation point. The
 * stream goes GREEN → AMBER (0.5 σ on `a`) → RED (1.5 σ). The producer sends
 * one evaluation's rows at a time and waits for the engine's report on them,
 * so both evaluate the same windows.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { TOPICS } from '../../services/kafka/topics.ts';
import { ensureTopics } from '../../services/kafka/topic-setup.ts';
import { createRegistry, TopicSerde } from '../../pipeline/serde/registry-serde.ts';
import { schemaText } from '../../pipeline/serde/schemas.ts';
import { parseNumberCell } from '../../pipeline/reference/column-kind.ts';
import type { DriftReport } from '../../pipeline/serde/drift-report.ts';
import type { InferenceEvent } from '../../pipeline/serde/inference-event.ts';
import { testCluster, unique } from '../support/cluster.ts';
import { AegisChild } from '../support/aegis-child.ts';
import { TopicReader } from '../support/topic-reader.ts';
import { writeBacktestFiles } from '../support/stream-csv-fixture.ts';

const EVERY = 500;
const WINDOW = 1000;
const ROWS = 7000;
/** Virtual time: row i at T0 + i·STEP ms. */
const T0 = 1_700_000_000_000;
const STEP = 2;

describe('aegis backtest and aegis engine on the same stream', () => {
  const cluster = testCluster();
  const env = { KAFKA_BROKERS: cluster.brokers.join(','), SCHEMA_REGISTRY_URL: cluster.schemaRegistryUrl, AEGIS_LOG_LEVEL: 'info' };
  const dir = mkdtempSync(join(tmpdir(), 'aegis-equivalence-'));
  const model = unique('backtest-eq');
  const files = writeBacktestFiles(dir, { seed: 9, referenceRows: 1000, streamRows: ROWS, onset: 3000, shift: (i) => (i < 5000 ? 0.5 : 1.5) });
  const processes: AegisChild[] = [];
  let reports: TopicReader<DriftReport>;

  before(async () => {
    const admin = new Kafka({ clientId: 'setup', brokers: cluster.brokers, logLevel: logLevel.ERROR }).admin();
    await admin.connect();
    await ensureTopics(admin);
    await admin.disconnect();
    const reference = new AegisChild(['reference', '--model', model, '--from', files.reference, '--version', 'v1'], env);
    assert.equal(await reference.exited, 0, reference.tail());
    reports = await new TopicReader<DriftReport>(TOPICS.driftReports, new Set([model])).start();
    const engine = new AegisChild(['engine', '--interval', '1', '--window', String(WINDOW), '--min-samples', String(WINDOW), '--group', unique('engine')], env);
    processes.push(engine);
    await engine.waitFor(/engine started/, 60_000);
    await new Promise((r) => setTimeout(r, 3000));
  });

  after(async () => {
    await Promise.all(processes.map((p) => p.stop()));
    await reports?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('the same status and drifted features at every evaluation point', async () => {
    const [header, ...lines] = readFileSync(files.stream, 'utf8').trim().split('\n');
    const names = header.split(',');
    const serde = await TopicSerde.create<InferenceEvent>(createRegistry(cluster.schemaRegistryUrl), TOPICS.inference, schemaText('inference-event'));
    const producer = new Kafka({ clientId: 'equivalence', brokers: cluster.brokers, logLevel: logLevel.ERROR }).producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    const live = new Map<number, DriftReport>();
    try {
      for (let start = 0; start < ROWS; start += EVERY) {
        const batch = lines.slice(start, start + EVERY).map((line, k): InferenceEvent => {
          const cells = line.split(',');
          const features = Object.fromEntries(names.map((n, j) => [n, n === 'region' ? cells[j] : parseNumberCell(cells[j])]));
          const row = start + k;
          return { eventId: `${model}-${row}`, modelId: model, modelVersion: 'v1', eventTime: T0 + row * STEP, features, prediction: null, score: null, latencyMs: null };
        });
        await producer.send({ topic: TOPICS.inference, messages: await Promise.all(batch.map(async (e) => ({ key: model, value: await serde.encode(e) }))) });
        const endRow = start + EVERY;
        if (endRow < WINDOW) continue;
        const end = T0 + (endRow - 1) * STEP;
        await reports.waitFor(`the report on rows up to ${endRow}`, () => reports.values().some((r) => r.windowEnd === end), 60_000);
        live.set(endRow, reports.values().find((r) => r.windowEnd === end)!);
      }
    } finally {
      await producer.disconnect();
    }

    const bt = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'services/cli/main.ts', 'backtest', '--reference', files.reference, '--stream', files.stream,
        '--every', String(EVERY), '--window', String(WINDOW), '--min-samples', String(WINDOW), '--interval', '1', '--format', 'json'],
      { cwd: join(import.meta.dirname, '../..'), encoding: 'utf8' },
    );
    assert.equal(bt.status, 0, bt.stderr);
    const replayed: Array<{ endRow: number; status: string; drifted: string[] }> = JSON.parse(bt.stdout).evaluations;
    assert.deepEqual(replayed.map((e) => e.endRow), [...live.keys()]);
    const liveView = [...live].map(([endRow, r]) => ({ endRow, status: r.status, drifted: r.features.filter((f) => f.drifted).map((f) => f.name) }));
    assert.deepEqual(replayed.map(({ endRow, status, drifted }) => ({ endRow, status, drifted })), liveView);
    assert.deepEqual([...new Set(liveView.map((e) => e.status))], ['GREEN', 'AMBER', 'RED'], 'the stream crosses every status');
  });
});
