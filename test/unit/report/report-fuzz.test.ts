/**
 * Property-based fuzzing of `aegis report` (fast-check): random and mutated
 * CSV files — ragged rows, stray quotes, control characters, ';' files,
 * NaN/inf/overflow spellings, empty columns, truncated bytes — with random
 * options. Whatever the input:
 * - only bad-input errors escape (the CLI prints one line and exits 2), never a
 *   bug with a stack trace;
 * - the exit code is 0, 2 or 3, and stdout is valid JSON whenever it is 0 or 3;
 * - the text table carries no control character from the data;
 * - memory stays bounded.
 * The in-process property runs the command's own pieces (option table, CSV
 * reading, report, both formats) many times; the CLI property spawns the real
 * process fewer times. AEGIS_FUZZ_RUNS multiplies both.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { parseOptions } from '../../../services/cli/options.ts';
import { UsageError } from '../../../services/cli/command.ts';
import { REPORT_OPTIONS } from '../../../services/cli/commands/report.ts';
import { buildReport } from '../../../services/report/build-report.ts';
import { csvInput } from '../../../services/report/column-kinds.ts';
import { CsvInputError } from '../../../services/report/csv-columns.ts';
import { formatText } from '../../../services/report/format-text.ts';

const root = resolve(import.meta.dirname, '../../..');
const SCALE = Number(process.env.AEGIS_FUZZ_RUNS ?? 1);
const MAX_RSS_BYTES = 512 * 2 ** 20;
let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'aegis-report-fuzz-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

const name = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('a', 'b', 'c', 'd', 'ü', ' e ', '"q"') },
  { weight: 1, arbitrary: fc.constantFrom('x;y', 'p\tq', 'e\x1b[2J', 'n\nl', '', '\u2028') },
  { weight: 1, arbitrary: fc.string({ maxLength: 6 }) },
);
const number = fc.oneof(fc.double({ noDefaultInfinity: true, noNaN: true }).map(String), fc.integer({ min: -5, max: 5 }).map(String));
const oddity = fc.constantFrom('', ' ', 'NaN', 'nan', 'Inf', '-inf', 'Infinity', '1e400', '-1e400', '0x10', 'oops', '1,5', '\x1b]0;t\x07', 'a"b', '"', '\r\n', '\u2028');
const category = fc.oneof(fc.constantFrom('A', 'B', 'C', 'ä', 'A B'), fc.string({ maxLength: 5 }));
/** One column's cells: numbers with a few oddities, categories, or anything. */
const column = (rows: number) =>
  fc.constantFrom('numeric', 'numeric', 'categorical', 'anything').chain((kind) =>
    fc.array(
      kind === 'numeric'
        ? fc.oneof({ weight: 30, arbitrary: number }, { weight: 1, arbitrary: oddity })
        : kind === 'categorical'
          ? fc.oneof({ weight: 10, arbitrary: category }, { weight: 1, arbitrary: oddity })
          : fc.oneof(number, oddity, category),
      { minLength: rows, maxLength: rows },
    ),
  );
const quote = (s: string, always: boolean, sep: string) =>
  always || s.includes(sep) || s.includes('"') || s.includes('\n') || s.includes('\r') ? `"${s.replace(/"/g, '""')}"` : s;
const rarely = <T,>(arb: fc.Arbitrary<T>, none: T) => fc.oneof({ weight: 6, arbitrary: fc.constant(none) }, { weight: 1, arbitrary: arb });
const mutation = fc.record({
  at: fc.nat(),
  op: fc.constantFrom('insert', 'delete', 'replace'),
  ch: fc.constantFrom('"', ',', '\n', '\r', ';', '\x00', '\x1b', 'x', '1', '\uFEFF'),
});

/** A CSV file's text: the header, columns of cells, maybe ragged rows, then maybe byte-level mutations. */
const csvBody = (header: readonly string[], sep: string) =>
  fc
    .record({
      columns: fc.nat({ max: 40 }).chain((rows) => fc.tuple(...header.map(() => column(rows)))),
      ragged: rarely(fc.constant(true), false),
      quoteAll: fc.boolean(),
      eol: fc.constantFrom('\n', '\r\n', '\r'),
      bom: fc.boolean(),
      mutations: rarely(fc.array(mutation, { minLength: 1, maxLength: 3 }), []),
    })
    .map(({ columns, ragged, quoteAll, eol, bom, mutations }) => {
      const rows = Array.from({ length: columns[0]?.length ?? 0 }, (_, i) => columns.map((c) => c[i]));
      const lines = [[...header], ...rows.map((r) => (ragged ? r.slice(0, 1 + (i32(r.join('')) % r.length)) : r))].map((r) =>
        r.map((c) => quote(c, quoteAll, sep)).join(sep),
      );
      let text = (bom ? '\uFEFF' : '') + lines.join(eol) + eol;
      for (const m of mutations) {
        const at = m.at % (text.length + 1);
        const tail = text.slice(m.op === 'insert' ? at : at + 1);
        text = text.slice(0, at) + (m.op === 'delete' ? '' : m.ch) + tail;
      }
      return text;
    });
const i32 = (s: string) => [...s].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7);

/** Two files sharing a delimiter and (mostly) a header, and the options to read them with. */
const input = fc
  .record({
    header: fc.uniqueArray(name, { minLength: 1, maxLength: 5 }),
    curHeader: rarely(fc.uniqueArray(name, { minLength: 1, maxLength: 5 }), null),
    sep: fc.constantFrom(',', ',', ',', ';', '\t'),
    format: fc.constantFrom('text', 'json'),
    preset: rarely(fc.constantFrom('aegis', 'evidently', 'nope'), null),
    tests: rarely(fc.constantFrom('psi', 'ks,jensenShannon', 'zTest', 'bogus'), null),
    numeric: rarely(name, null),
    categorical: rarely(name, null),
    delimiter: fc.oneof({ weight: 8, arbitrary: fc.constant('same') }, { weight: 1, arbitrary: fc.constantFrom(';', 'tab', ',', '', '"') }),
    failOnDrift: fc.boolean(),
  })
  .chain((o) =>
    fc.tuple(csvBody(o.header, o.sep), csvBody(o.curHeader ?? o.header, o.sep)).map(([ref, cur]) => ({
      ref,
      cur,
      args: [
        '--format', o.format,
        ...(o.preset ? ['--preset', o.preset] : []),
        ...(o.tests ? ['--tests', o.tests] : []),
        ...(o.numeric !== null ? ['--numeric', o.numeric] : []),
        ...(o.categorical !== null ? ['--categorical', o.categorical] : []),
        ...(o.delimiter === 'same' ? (o.sep === ',' ? [] : ['--delimiter', o.sep === '\t' ? 'tab' : o.sep]) : ['--delimiter', o.delimiter]),
        ...(o.failOnDrift ? ['--fail-on-drift'] : []),
      ],
    })),
  );

let n = 0;
function write(ref: string, cur: string): [string, string] {
  n++;
  const r = join(dir, `ref-${n}.csv`);
  const c = join(dir, `cur-${n}.csv`);
  writeFileSync(r, ref);
  writeFileSync(c, cur);
  return [r, c];
}

test('in process: only bad-input errors, valid JSON, no control characters in the table', async () => {
  const outcomes = new Map<string, number>();
  const seen = (k: string) => outcomes.set(k, (outcomes.get(k) ?? 0) + 1);
  await fc.assert(
    fc.asyncProperty(input, async ({ ref, cur, args }) => {
      const [r, c] = write(ref, cur);
      let doc;
      try {
        const { values } = parseOptions(['--reference', r, '--current', c, ...args], REPORT_OPTIONS, {});
        doc = await buildReport(r, c, { preset: values.preset, memoryBudgetMB: 0.01, csv: csvInput(values) });
      } catch (err) {
        if (err instanceof UsageError || err instanceof CsvInputError) {
          assert.doesNotMatch(err.message, /^$/);
          seen(err.message.replace(/^.*?: /, '').replace(/'.*$/, '').slice(0, 40));
          return;
        }
        throw err;
      }
      seen(doc.dataset.detected ? 'report: drift' : 'report: no drift');
      const parsed = JSON.parse(JSON.stringify({ features: doc.features, dataset: doc.dataset }));
      assert.equal(parsed.features.length, doc.dataset.total);
      for (const f of parsed.features) {
        assert.ok(f.nReference + f.missingReference + f.invalidReference === doc.reference.rows, JSON.stringify(f));
        assert.ok(f.nCurrent + f.missingCurrent + f.invalidCurrent === doc.current.rows, JSON.stringify(f));
      }
      assert.doesNotMatch(formatText(doc), /[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029]/);
    }),
    { numRuns: 300 * SCALE, seed: Number(process.env.AEGIS_FUZZ_SEED ?? 20261130) },
  );
  const reports = (outcomes.get('report: drift') ?? 0) + (outcomes.get('report: no drift') ?? 0);
  // a generator that only ever produced bad input would test nothing
  assert.ok(reports >= 30 * SCALE, JSON.stringify([...outcomes]));
  console.log(JSON.stringify([...outcomes].sort((a, b) => b[1] - a[1])));
});

function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string; rss: number }> {
  const rssFile = join(dir, `rss-${n}`);
  const child = spawn(process.execPath, ['--import', 'tsx', '--import', './test/support/max-rss.ts', 'services/cli/main.ts', 'report', ...args], {
    cwd: root,
    env: { ...process.env, AEGIS_TEST_MAX_RSS_FILE: rssFile, AEGIS_REPORT_MEMORY_MB: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  return new Promise((done) => child.on('exit', (code) => done({ code, stdout, stderr, rss: Number(readFileSync(rssFile, 'utf8')) })));
}

test('the real CLI: exit 0, 2 or 3; one-line errors, no stack trace; JSON on 0 and 3; bounded memory', async () => {
  await fc.assert(
    fc.asyncProperty(input, async ({ ref, cur, args }) => {
      const [r, c] = write(ref, cur);
      const out = await cli(['--reference', r, '--current', c, ...args]);
      assert.ok([0, 2, 3].includes(out.code!), `exit ${out.code}: ${out.stderr}`);
      assert.doesNotMatch(out.stderr, /\n\s+at /, 'stack trace');
      assert.ok(out.rss < MAX_RSS_BYTES, `peak RSS ${out.rss}`);
      if (out.code === 2) {
        assert.equal(out.stderr.split('\n').filter((l) => l.startsWith('aegis: ')).length, 1, out.stderr);
        assert.equal(out.stdout, '');
      } else if (args.includes('json')) {
        JSON.parse(out.stdout);
      } else {
        assert.match(out.stdout, /^Drift report/);
      }
      if (out.code === 3) assert.ok(args.includes('--fail-on-drift'));
    }),
    { numRuns: 20 * SCALE, seed: Number(process.env.AEGIS_FUZZ_SEED ?? 20261130) },
  );
});
