/**
 * Hostile input on the real stack: 10,000+ malformed records of every kind —
 * bytes that are not Avro, an unknown schema id, an unknown model, an event
 * with none of its model's features, a valid event whose modelId is 900 KB,
 * a raw value of 1,048,400 bytes — interleaved with healthy traffic of two
 * models, one of which also sends ±Infinity in feature `a`. Every bad record
 * is dead-lettered exactly once, the healthy model's reports keep coming on
 * time, and the dead-lettering rate is measured.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TOPICS } from '../../services/kafka/topics.ts';
import type { DriftReport } from '../../pipeline/serde/drift-report.ts';
import type { DeadLetter } from '../../pipeline/serde/dead-letter.ts';
import { testCluster, unique } from '../support/cluster.ts';
import { TopicReader } from '../support/topic-reader.ts';
import { Traffic, engine, longestGap } from '../support/chaos.ts';
import type { AegisChild } from '../support/aegis-child.ts';

const INTERVAL_S = 2;
const BAD_BATCHES = 10;
const BAD_PER_KIND = 260;

describe('chaos: malformed records interleaved with healthy traffic', () => {
  const cluster = testCluster();
  const run = unique('poison');
  const healthy = `${run}-healthy`;
  const infinite = `${run}-inf`;
  const unknownModel = `${run}-nobody`;
  const traffic = new Traffic(cluster);
  let eng: AegisChild;
  let reports: TopicReader<DriftReport>;
  let dead: TopicReader<DeadLetter>;
  const badKeys = new Set<string>();
  let badSent = 0;

  before(async () => {
    await traffic.start([healthy, infinite]);
    reports = await new TopicReader<DriftReport>(TOPICS.driftReports, new Set([healthy, infinite])).start();
    eng = engine(cluster, unique('poison-engine'), INTERVAL_S);
    await eng.waitFor(/assigned partitions ready/, 90_000);
  });

  after(async () => {
    await traffic.stop();
    await eng?.stop();
    await reports?.stop();
    await dead?.stop();
  });

  test('every bad record is dead-lettered once, reports stay on time, and the rate is measured', async () => {
    traffic.steady([healthy, infinite], 200);
    await reports.waitFor('first reports', (rs) => rs.some((r) => r.value.modelId === healthy), 60_000);
    const started = Date.now();
    const hugeId = 'm'.repeat(900 * 1024);
    const key = (kind: string, i: number) => `${run}-${kind}-${i}`;
    const goodEncoded = await traffic.encode(traffic.event(healthy));
    const batches: Array<Array<{ key: string; value: Buffer }>> = [];
    const infinities: Array<{ key: string; value: Buffer }> = [];
    for (let b = 0; b < BAD_BATCHES; b++) {
      const messages: Array<{ key: string; value: Buffer }> = [];
      for (let i = 0; i < BAD_PER_KIND; i++) {
        const n = b * BAD_PER_KIND + i;
        messages.push({ key: key('garbage', n), value: Buffer.from(`not avro ${n}`) });
        const unknownSchema = Buffer.from(goodEncoded);
        unknownSchema.writeInt32BE(987_654_321, 1);
        messages.push({ key: key('schema', n), value: unknownSchema });
        messages.push({ key: key('model', n), value: await traffic.encode({ ...traffic.event(unknownModel), modelId: unknownModel }) });
        messages.push({ key: key('nofeature', n), value: await traffic.encode({ ...traffic.event(healthy), features: { zzz: 1 } }) });
        // ±Infinity in one feature: a value-level finding of that model, not a dead letter.
        infinities.push({ key: infinite, value: await traffic.encode(traffic.event(infinite, { a: n % 2 ? Infinity : -Infinity })) });
      }
      for (const m of messages) badKeys.add(m.key);
      badSent += messages.length;
      batches.push(messages);
    }
    // Encoded first, sent back to back: the engine, not this producer, sets the pace measured below.
    const sending = Date.now();
    for (const [b, messages] of batches.entries()) await traffic.raw([...messages, ...infinities.slice(b * BAD_PER_KIND, (b + 1) * BAD_PER_KIND)]);
    const sendMs = Date.now() - sending;
    // The two records larger than any dead letter may be.
    const huge = { ...traffic.event(healthy), modelId: hugeId };
    await traffic.raw([{ key: key('hugeid', 0), value: await traffic.encode(huge) }]);
    await traffic.raw([{ key: key('hugevalue', 0), value: Buffer.alloc(1_048_400, 7) }]);
    badKeys.add(key('hugeid', 0));
    badKeys.add(key('hugevalue', 0));
    badSent += 2;
    const producedAt = Date.now();

    dead = await new TopicReader<DeadLetter>(TOPICS.deadLetter, badKeys).start();
    await dead.waitFor(`${badSent} dead letters`, (rs) => rs.length >= badSent, 120_000);
    const times = dead.records.map((r) => r.value.failedAt);
    const lettered = Math.max(...times);
    const first = Math.min(...times);
    await new Promise((r) => setTimeout(r, 3 * INTERVAL_S * 1000));
    await traffic.stopSteady();

    const offsets = dead.values().map((l) => `${l.sourceTopic}:${l.partition}:${l.offset}`);
    assert.equal(new Set(offsets).size, offsets.length, 'no record dead-lettered twice');
    assert.equal(dead.records.length, badSent, 'every bad record dead-lettered');
    for (const r of dead.records) assert.ok(r.raw!.length < 200_000, `a dead letter of ${r.raw!.length} bytes`);
    const big = dead.values().find((l) => l.key?.toString().startsWith(key('hugevalue', 0)))!;
    assert.match(big.reason, /value cut to \d+ of 1048400 bytes, sha256 [0-9a-f]{64}/);

    const gap = longestGap(reports.values(), healthy, started);
    assert.ok(gap <= 2 * INTERVAL_S * 1000 + 1000, `reports of the healthy model ${gap} ms apart`);
    const last = reports.values().filter((r) => r.modelId === healthy).at(-1)!;
    assert.ok(last.evaluatedAt - last.windowEnd < 2 * INTERVAL_S * 1000, 'the window kept moving');
    const inf = reports.values().filter((r) => r.modelId === infinite && r.evaluatedAt > producedAt);
    assert.ok(inf.length > 0, 'the model with ±Infinity is still reported');
    assert.ok(inf.some((r) => r.features.find((f) => f.name === 'a')!.invalidShare > 0), 'the infinities are invalid values of a');
    const rate = badSent / (Math.max(1, lettered - first) / 1000);
    console.log(`[chaos] ${badSent} bad records (sent in ${sendMs} ms) read and set aside in ${lettered - first} ms by the engine (${Math.round(rate)}/s), each dead-lettered once; longest report gap ${gap} ms`);
  });
});
