import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gaussian, mulberry32 } from '../../../pipeline/random.ts';
import { chiSquareHomogeneity, ks2 } from '../../../pipeline/stats/index.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
let dir: string;

function aegis(...args: string[]) {
  return aegisWith({}, ...args);
}

function aegisWith(env: Record<string, string>, ...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'services/cli/main.ts', 'report', ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function csv(name: string, header: string[], rows: (string | number)[][]): string {
  const path = join(dir, name);
  writeFileSync(path, [header.join(','), ...rows.map((r) => r.join(','))].join('\n') + '\n');
  return path;
}

const rng = mulberry32(99);
const ages = (n: number, mean: number) => Array.from({ length: n }, () => (40 + 10 * gaussian(rng, mean, 1)).toFixed(2));
const pick = (n: number, cats: string[]) => Array.from({ length: n }, () => cats[Math.floor(rng() * cats.length)]);

let stable: { ref: string; cur: string };
let drifted: { ref: string; cur: string };
let refAge: string[];
let curAge: string[];
let refCity: string[];
let curCity: string[];

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'aegis-report-test-'));
  refAge = ages(300, 0);
  curAge = ages(200, 0);
  refCity = pick(300, ['paris', 'lyon', 'nice']);
  curCity = pick(200, ['paris', 'lyon', 'nice']);
  const refRows = refAge.map((a, i) => [i % 17 === 0 ? '' : a, refCity[i], i, 'x']);
  const curRows = curAge.map((a, i) => [a, curCity[i], i]);
  stable = {
    ref: csv('stable-ref.csv', ['age', 'city', 'id', 'ref_only'], refRows),
    cur: csv('stable-cur.csv', ['age', 'city', 'id'], curRows),
  };
  const shifted = ages(200, 1.5);
  drifted = {
    ref: csv('drift-ref.csv', ['age', 'city'], refAge.map((a, i) => [a, refCity[i]])),
    cur: csv('drift-cur.csv', ['age', 'city'], shifted.map((a) => [a, 'marseille'])),
  };
});

after(() => rmSync(dir, { recursive: true, force: true }));

describe('aegis report', () => {
  test('--format json prints only the report: common columns, kinds, counts, tests, drift', () => {
    const r = aegis('--reference', stable.ref, '--current', stable.cur, '--format', 'json');
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout);
    assert.deepEqual(
      doc.features.map((f: any) => [f.name, f.kind]),
      [
        ['age', 'numeric'],
        ['city', 'categorical'],
        ['id', 'numeric'],
      ],
    );
    const age = doc.features[0];
    const missing = refAge.filter((_, i) => i % 17 === 0).length;
    assert.equal(age.missingReference, missing);
    assert.equal(age.nReference, 300 - missing);
    assert.equal(age.nCurrent, 200);
    assert.equal(age.missingCurrent, 0);
    assert.deepEqual(Object.keys(age.tests).sort(), ['jensenShannon', 'ks', 'psi', 'wassersteinNorm']);
    const expectedKs = ks2(refAge.filter((_, i) => i % 17 !== 0).map(Number), curAge.map(Number));
    assert.equal(age.tests.ks.statistic, expectedKs.statistic);
    assert.equal(age.tests.ks.pValue, expectedKs.pValue);
    const city = doc.features[1];
    assert.deepEqual(Object.keys(city.tests).sort(), ['chiSquare', 'chiSquareHomogeneity', 'jensenShannon', 'psi']);
    assert.equal(city.tests.chiSquareHomogeneity.pValue, chiSquareHomogeneity(refCity, curCity).pValue);
    for (const f of doc.features) {
      assert.deepEqual(Object.keys(f.drift).sort(), ['detected', 'score', 'test', 'threshold']);
      assert.ok(f.drift.test in f.tests);
    }
    assert.deepEqual(
      ['detected', 'drifted', 'share', 'total'].every((k) => k in doc.dataset),
      true,
    );
    assert.equal(doc.dataset.total, 3);
  });

  test('exit 0 without drift even with --fail-on-drift; text table on stdout', () => {
    const r = aegis('--reference', stable.ref, '--current', stable.cur, '--fail-on-drift');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /feature/);
    assert.match(r.stdout, /Dataset drift: not detected/);
  });

  test('dataset drift: exit 3 with --fail-on-drift, 0 without; drifted rows marked', () => {
    const failing = aegis('--reference', drifted.ref, '--current', drifted.cur, '--fail-on-drift', '--format', 'json');
    assert.equal(failing.code, 3);
    const doc = JSON.parse(failing.stdout);
    assert.equal(doc.dataset.detected, true);
    assert.ok(doc.features.every((f: any) => f.drift.detected));
    const plain = aegis('--reference', drifted.ref, '--current', drifted.cur);
    assert.equal(plain.code, 0);
    assert.match(plain.stdout, /^\*\s+age/m);
    assert.match(plain.stdout, /Dataset drift: DETECTED/);
  });

  test('--preset evidently decides categorical drift by goodness of fit; --tests limits the tests', () => {
    const r = aegis('--reference', stable.ref, '--current', stable.cur, '--format', 'json', '--preset', 'evidently', '--tests', 'psi');
    assert.equal(r.code, 0, r.stderr);
    const [age, city] = JSON.parse(r.stdout).features;
    assert.equal(city.drift.test, 'chiSquare');
    assert.deepEqual(Object.keys(age.tests).sort(), ['ks', 'psi']);
  });

  test('bad input exits 2 with one line naming the problem', () => {
    const cases: [string[], RegExp][] = [
      [['--reference', join(dir, 'missing.csv'), '--current', stable.cur], /missing\.csv: no such file/],
      [['--reference', stable.ref, '--current', csv('other.csv', ['x'], [[1]])], /no common column/],
      [['--reference', stable.ref, '--current', csv('ragged.csv', ['age', 'city'], [[1, 'a'], [2]])], /ragged\.csv: unparseable CSV/],
      [['--reference', stable.ref, '--current', csv('header-only.csv', ['age'], [])], /header-only\.csv: no data rows/],
      [['--reference', stable.ref, '--current', stable.cur, '--tests', 'nope'], /unknown test 'nope'/],
      [['--reference', stable.ref, '--current', stable.cur, '--format', 'xml'], /--format/],
      [['--reference', stable.ref], /--current/],
    ];
    for (const [args, message] of cases) {
      const r = aegis(...args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.match(r.stderr, message);
      assert.equal(r.stdout, '');
    }
  });

  test('reading columns in several passes under a small memory budget changes nothing', () => {
    const whole = aegis('--reference', stable.ref, '--current', stable.cur, '--format', 'json');
    const split = aegisWith({ AEGIS_REPORT_MEMORY_MB: '0.001' }, '--reference', stable.ref, '--current', stable.cur, '--format', 'json');
    assert.equal(split.code, 0, split.stderr);
    assert.deepEqual(JSON.parse(split.stdout), JSON.parse(whole.stdout));
  });

  test('--help describes every option', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'services/cli/main.ts', 'report', '--help'], { cwd: root, encoding: 'utf8' });
    assert.equal(r.status, 0);
    for (const flag of ['--reference', '--current', '--format', '--tests', '--preset', '--fail-on-drift']) assert.ok(r.stdout.includes(flag), flag);
  });
});
