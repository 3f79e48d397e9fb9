/**
 * Memory and time that grow with the input, never faster: a wide file stays
 * within the memory budget plus a per-column constant, and a huge record is
 * read in linear time (it used to be re-parsed from its start on every read).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { csvRecords } from '../../../services/report/csv-records.ts';

const root = resolve(import.meta.dirname, '../../..');
let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'aegis-report-scale-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** Peak RSS in bytes of `aegis report` on two files, with the given memory budget. */
function peakRss(ref: string, cur: string, budgetMB: number): number {
  const rssFile = join(dir, 'rss');
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--import', './test/support/max-rss.ts', 'services/cli/main.ts', 'report', '--reference', ref, '--current', cur, '--format', 'json'],
    { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20, env: { ...process.env, AEGIS_REPORT_MEMORY_MB: String(budgetMB), AEGIS_TEST_MAX_RSS_FILE: rssFile } },
  );
  assert.equal(r.status, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).features.length > 0, true);
  return Number(readFileSync(rssFile, 'utf8'));
}

test('10,000 columns × 3 rows stay within the budget plus 15 KB a column over the runtime', () => {
  const columns = 10_000;
  const wide = (seed: number) =>
    Array.from({ length: columns }, (_, i) => `c${i}`).join(',') + '\n' +
    [0, 1, 2].map((r) => Array.from({ length: columns }, (_, i) => ((i * 7 + r * 13 + seed) % 101) / 10).join(',')).join('\n') + '\n';
  const ref = join(dir, 'wide-ref.csv');
  const cur = join(dir, 'wide-cur.csv');
  writeFileSync(ref, wide(1));
  writeFileSync(cur, wide(2));
  const tiny = join(dir, 'tiny.csv');
  writeFileSync(tiny, 'a\n1\n2\n3\n');
  const budgetMB = 16;
  const base = peakRss(tiny, tiny, budgetMB);
  const peak = peakRss(ref, cur, budgetMB);
  const allowed = base + budgetMB * 2 ** 20 + columns * 15 * 1024;
  assert.ok(peak < allowed, `peak ${(peak / 2 ** 20).toFixed(0)} MB, allowed ${(allowed / 2 ** 20).toFixed(0)} MB (runtime ${(base / 2 ** 20).toFixed(0)} MB)`);
});

test('a 4 MB field read 1 KiB at a time is parsed in linear time, quoted or not', async () => {
  const size = 4 << 20;
  for (const [name, text] of [
    ['plain', `a,b\n${'x'.repeat(size)},1\n`],
    ['quoted, with line breaks', `a,b\n"${'xyz\n'.repeat(size / 4)}",1\n`],
  ] as const) {
    const path = join(dir, 'field.csv');
    writeFileSync(path, text);
    const started = Date.now();
    const records: string[][] = [];
    for await (const r of csvRecords(path, { chunkBytes: 1024 })) records.push(r);
    const ms = Date.now() - started;
    assert.equal(records.length, 2);
    assert.equal(records[1][0].length, size);
    // re-parsing from the record's start on each read is 4,096 passes over up to 4 MB: minutes
    assert.ok(ms < 10_000, `${name}: ${ms} ms`);
  }
});
