/**
 * `aegis backtest` as a user runs it: a recorded stream through the engine's
 * processor on a virtual clock, its timeline as JSON and text.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { writeBacktestFiles } from '../../support/stream-csv-fixture.ts';

const root = resolve(import.meta.dirname, '../../..');
const aegis = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'services/cli/main.ts', 'backtest', ...args], { cwd: root, encoding: 'utf8' });

describe('aegis backtest', () => {
  const dir = mkdtempSync(join(tmpdir(), 'aegis-backtest-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const files = writeBacktestFiles(dir, { seed: 5, referenceRows: 1000, streamRows: 8000, onset: 4000, shift: 1.5 });

  test('JSON: GREEN before the onset, RED naming the shifted feature after, one evaluation every K rows', () => {
    const r = aegis('--reference', files.reference, '--stream', files.stream, '--every', '500', '--window', '1000', '--format', 'json');
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.deepEqual(out.evaluations.map((e: { endRow: number }) => e.endRow), Array.from({ length: 16 }, (_, i) => 500 * (i + 1)));
    assert.deepEqual(out.evaluations.map((e: { index: number }) => e.index), [...Array(16).keys()]);
    const before = out.evaluations.filter((e: { endRow: number }) => e.endRow <= 4000);
    assert.ok(before.every((e: { status: string; drifted: string[] }) => e.status === 'GREEN' && e.drifted.length === 0), JSON.stringify(before));
    const full = out.evaluations.filter((e: { endRow: number }) => e.endRow >= 5000);
    for (const e of full) {
      assert.equal(e.status, 'RED', e.reason);
      assert.deepEqual(e.drifted, ['a']);
      assert.match(e.reason, /^a RED: ks_mean D=/);
    }
    assert.equal(out.summary.GREEN + out.summary.AMBER + out.summary.RED, 16);
    assert.equal(out.summary.GREEN, before.length);
    assert.ok(out.summary.statusChanges >= 1 && out.summary.statusChanges <= 2, JSON.stringify(out.summary));
    assert.ok(out.minimumDetectableShiftSigma > 0.1 && out.minimumDetectableShiftSigma < 0.4, String(out.minimumDetectableShiftSigma));
  });

  test('text: one line per evaluation and a summary; a looser budget never flags later', () => {
    const r = aegis('--reference', files.reference, '--stream', files.stream, '--every', '1000', '--false-alarms-per-day', '100');
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.trimEnd().split('\n');
    assert.equal(lines.length, 8 + 2);
    assert.match(lines[0], /^\s+0 {2}row +1000 {2}GREEN/);
    assert.match(lines[8], /^8 evaluations: GREEN 4, AMBER 0, RED 4; 1 status changes$/);
  });

  test('bad input exits 2 with one line', () => {
    for (const [args, pattern] of [
      [['--reference', files.reference], /^aegis: --stream is required/],
      [['--reference', files.reference, '--stream', join(dir, 'nope.csv')], /^aegis: --stream: cannot read/],
      [['--reference', files.reference, '--stream', files.stream, '--every', '0'], /^aegis: --every must be an integer/],
      [['--reference', files.reference, '--stream', files.stream, '--format', 'xml'], /format/],
    ] as const) {
      const r = aegis(...args);
      assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, pattern);
      assert.equal(r.stderr.trim().split('\n').length, 1);
    }
  });
});
