/**
 * `aegis report` with hostile and sloppy input (issue 12): a stray cell, a
 * dead column, a wrong delimiter, a pipe, a device, a huge record, a closed
 * stdout, terminal escapes in the data. Bad input never changes a verdict
 * silently: it is a warning with counts, an integrity failure, or exit 2 with
 * one line.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gaussian, mulberry32 } from '../../../pipeline/random.ts';

const root = resolve(import.meta.dirname, '../../..');
let dir: string;

function report(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'services/cli/main.ts', 'report', ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function json(args: string[], env?: Record<string, string>) {
  const r = report([...args, '--format', 'json', '--fail-on-drift'], env);
  assert.ok(r.code === 0 || r.code === 3, `exit ${r.code}: ${r.stderr}`);
  return { ...r, doc: JSON.parse(r.stdout) };
}

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const rng = mulberry32(12);
const normals = (n: number, mean: number) => Array.from({ length: n }, () => gaussian(rng, mean, 1).toFixed(4));
/** A numeric column `x` (and a steady categorical `c`). */
const table = (xs: string[], sep = ',') => `x${sep}c\n` + xs.map((x, i) => `${x}${sep}${'abc'[i % 3]}`).join('\n') + '\n';
const oneLine = (s: string) => assert.equal(s.trim().split('\n').length, 1, s);

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'aegis-report-input-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('aegis report: one bad cell never flips the verdict', () => {
  test('with 300 rows, real drift is found with or without a stray cell; the cell is counted and warned about', () => {
    const ref = normals(300, 0);
    const cur = normals(300, 1);
    const clean = json(['--reference', file('ref.csv', table(ref)), '--current', file('cur.csv', table(cur))]);
    assert.equal(clean.code, 3);
    for (const bad of ['oops', 'NaN', 'Inf', '-inf', '1e400']) {
      const dirty = json(['--reference', file(`ref-${bad}.csv`, table(ref)), '--current', file(`cur-${bad}.csv`, table([...cur.slice(0, 299), bad]))]);
      const x = dirty.doc.features.find((f: { name: string }) => f.name === 'x');
      assert.equal(x.kind, 'numeric', bad);
      assert.equal(dirty.code, 3, `${bad}: the drift is still found`);
      assert.equal(x.drift.detected, true, bad);
      if (bad === 'NaN') {
        assert.equal(x.missingCurrent, 1);
        assert.equal(x.invalidCurrent, 0);
        assert.equal(dirty.stderr, '');
      } else {
        assert.equal(x.invalidCurrent, 1, bad);
        assert.equal(x.nCurrent, 299, bad);
        oneLine(dirty.stderr);
        assert.match(dirty.stderr, /^aegis report: warning: column 'x': 0 cell\(s\) in the reference and 1 in the current file are not finite numbers/);
      }
    }
  });

  test('with 1,500 rows, the same values with one stray cell in the reference do not raise drift', () => {
    const cur = normals(1500, 0);
    const ref = [...cur].reverse();
    ref[700] = 'oops';
    const r = json(['--reference', file('big-ref.csv', table(ref)), '--current', file('big-cur.csv', table(cur))]);
    assert.equal(r.code, 0, JSON.stringify(r.doc.features.map((f: { drift: unknown }) => f.drift)));
    const x = r.doc.features[0];
    assert.equal(x.kind, 'numeric');
    assert.equal(x.invalidReference, 1);
    assert.equal(x.drift.detected, false);
  });

  test('--categorical and --numeric override the guess; unknown columns are named', () => {
    const ref = file('o-ref.csv', table(normals(100, 0)));
    const cur = file('o-cur.csv', table(normals(100, 0)));
    const cat = json(['--reference', ref, '--current', cur, '--categorical', 'x']);
    assert.deepEqual(cat.doc.features.map((f: { kind: string; kindSource: string }) => [f.kind, f.kindSource]), [['categorical', 'forced'], ['categorical', 'guessed']]);
    const num = json(['--reference', ref, '--current', cur, '--numeric', 'c']);
    const c = num.doc.features[1];
    assert.deepEqual([c.kind, c.nReference, c.invalidReference], ['numeric', 0, 100]);
    const bad = report(['--reference', ref, '--current', cur, '--numeric', 'nope']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^aegis: --numeric: no column 'nope' in both files/);
  });

  test("';' and tab files are caught and read with --delimiter", () => {
    for (const [sep, flag] of [[';', ';'], ['\t', 'tab']]) {
      const ref = file('d-ref.csv', table(normals(50, 0), sep));
      const cur = file('d-cur.csv', table(normals(50, 0), sep));
      const r = report(['--reference', ref, '--current', cur]);
      assert.equal(r.code, 2, r.stdout);
      oneLine(r.stderr);
      assert.match(r.stderr, new RegExp(`look ${sep === ';' ? "';'" : 'tab'}-delimited; pass --delimiter ${sep === ';' ? "';'" : 'tab'}`));
      const ok = json(['--reference', ref, '--current', cur, '--delimiter', flag]);
      assert.deepEqual(ok.doc.features.map((f: { name: string; kind: string }) => [f.name, f.kind]), [['x', 'numeric'], ['c', 'categorical']]);
    }
  });
});

test('a column empty in the current file is a dead sensor: 100 % missing, integrity failure, dataset drifted', () => {
  const rows = normals(200, 0);
  const cur = 'x,c\n' + rows.map((_, i) => `,${'abc'[i % 3]}`).join('\n') + '\n';
  const r = json(['--reference', file('dead-ref.csv', table(rows)), '--current', file('dead-cur.csv', cur)]);
  assert.equal(r.code, 3);
  const x = r.doc.features[0];
  assert.equal(x.missingCurrent, 200);
  assert.equal(x.nCurrent, 0);
  assert.deepEqual(x.integrity, { referenceShare: 0, currentShare: 1, failed: true });
  assert.equal(x.drift.test, 'integrity');
  assert.equal(r.doc.dataset.integrityFailures, 1);
  assert.equal(r.doc.dataset.detected, true);
  const text = report(['--reference', join(dir, 'dead-ref.csv'), '--current', join(dir, 'dead-cur.csv')]);
  assert.match(text.stdout, /^\*\s+x\s+numeric.*integrity/m);
});

describe('aegis report: files that are not files, records that never end', () => {
  test('a FIFO, a device and a pipe are refused at once with one line', () => {
    const ok = file('p-ok.csv', table(normals(20, 0)));
    const fifo = join(dir, 'fifo.csv');
    execFileSync('mkfifo', [fifo]);
    for (const [path, what] of [[fifo, 'a pipe'], ['/dev/zero', 'a device']]) {
      const r = report(['--reference', path, '--current', ok]);
      assert.equal(r.code, 2, `${path}: ${r.stderr}`);
      oneLine(r.stderr);
      assert.match(r.stderr, new RegExp(`${path}: ${what}, not a regular file; save the data to a file first`));
    }
    const piped = spawnSync('bash', ['-c', `"${process.execPath}" --import tsx services/cli/main.ts report --reference ${ok} --current <(cat ${ok})`], {
      cwd: root,
      encoding: 'utf8',
    });
    assert.equal(piped.status, 2);
    assert.match(piped.stderr, /^aegis: \/dev\/fd\/\d+: a pipe, not a regular file/);
  });

  test('a record longer than AEGIS_REPORT_MAX_RECORD_MB is one line, exit 2', () => {
    const huge = file('huge.csv', 'x\n' + '7'.repeat(3 << 20) + '\n');
    const r = report(['--reference', huge, '--current', file('h-ok.csv', 'x\n1\n')], { AEGIS_REPORT_MAX_RECORD_MB: '1' });
    assert.equal(r.code, 2);
    oneLine(r.stderr);
    assert.match(r.stderr, /huge\.csv: unparseable CSV: Record Too Long: the record starting on line 2 is longer than 1 MB/);
  });
});

test('a closed stdout (| head) ends quietly', () => {
  const ref = file('e-ref.csv', table(normals(50, 0)));
  const r = spawnSync(
    'bash',
    ['-c', `"${process.execPath}" --import tsx services/cli/main.ts report --reference ${ref} --current ${ref} 2>${join(dir, 'epipe.err')} | true; echo \${PIPESTATUS[0]}`],
    { cwd: root, encoding: 'utf8' },
  );
  assert.equal(r.stdout.trim(), '0');
  assert.equal(readFileSync(join(dir, 'epipe.err'), 'utf8'), '');
});

test('terminal escapes and newlines in names and paths are printed escaped', () => {
  const name = 'evil\x1b[2J\x1b]0;pwned\x07';
  const text = `"${name}","two\nlines",c\n` + normals(30, 0).map((v, i) => `${v},${v},${'ab'[i % 2]}`).join('\n') + '\n';
  const path = file('esc\x1b[31m.csv', text);
  const r = report(['--reference', path, '--current', path]);
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stdout, /[\x00-\x08\x0b-\x1f\x7f]/);
  assert.ok(r.stdout.includes('evil\\x1b[2J\\x1b]0;pwned\\x07'), r.stdout);
  assert.ok(r.stdout.includes('two\\nlines'), r.stdout);
  assert.ok(r.stdout.includes('esc\\x1b[31m.csv'));
  const missing = report(['--reference', join(dir, 'no\x1b[2Jfile.csv'), '--current', path]);
  assert.equal(missing.code, 2);
  assert.doesNotMatch(missing.stderr, /\x1b/);
  oneLine(missing.stderr);
});
