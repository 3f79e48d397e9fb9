/**
 * `aegis report`: drift between two CSV files, feature by feature and for the
 * dataset, with the statistics of pipeline/stats. Bad input exits 2 with one
 * line; --fail-on-drift exits 3 when dataset drift is detected.
 */
import { UsageError, type Command } from '../command.ts';
import { optionsHelp, parseOptions, type CommandOptions } from '../options.ts';
import { PRESETS, TEST_NAMES, TEST_REGISTRY, type TestName } from '../../../pipeline/stats/index.ts';
import { DEFAULT_MEMORY_BUDGET_MB, INTEGRITY_THRESHOLD, buildReport } from '../../report/build-report.ts';
import { CsvInputError } from '../../report/csv-columns.ts';
import { CSV_OPTIONS, csvInput } from '../../report/column-kinds.ts';
import { escapeControls } from '../terminal-text.ts';
import { formatText } from '../../report/format-text.ts';

const testList = TEST_NAMES.map((n) => {
  const t = TEST_REGISTRY.get(n)!;
  const rule = t.direction === 'p-value below' ? `drift if p < ${t.defaultThreshold}` : `drift if >= ${t.defaultThreshold}`;
  return `  ${n.padEnd(21)} ${t.kinds.join('/').padEnd(20)} ${rule.padEnd(18)} ${t.title}${t.optIn ? ' (only with --tests)' : ''}`;
}).join('\n');

export const REPORT_OPTIONS = {
  table: {
    reference: { type: 'string', arg: 'PATH', help: 'reference (training) data, CSV with a header row' },
    current: { type: 'string', arg: 'PATH', help: 'current (production) data, CSV with a header row' },
    format: {
      type: 'string',
      arg: 'text|json',
      choices: ['text', 'json'],
      default: 'text',
      help: `text: a table, drifted rows marked '*', a progress line on stderr for
slow inputs. json: only JSON on stdout:
{"features":[{"name","kind","kindSource","nReference","nCurrent",
"missingReference","missingCurrent","invalidReference","invalidCurrent",
"integrity":{"referenceShare","currentShare","failed"},"tests":{...},
"drift":{"test","score","threshold","detected"}}],
"dataset":{"drifted","total","share","detected","integrityFailures",...}}
(non-finite numbers are written as null)`,
    },
    tests: {
      type: 'string',
      arg: 'LIST',
      help: `comma-separated tests to compute (default: all that apply
to the column's kind); the preset's deciding test is always computed`,
    },
    preset: {
      type: 'string',
      arg: 'NAME',
      choices: ['aegis', 'evidently'],
      default: 'aegis',
      help: `which test decides drift:
  evidently: ${PRESETS.evidently.description}
  aegis: ${PRESETS.aegis.description}`,
    },
    'fail-on-drift': { type: 'boolean', help: 'exit 3 when dataset drift is detected' },
    ...CSV_OPTIONS,
    memory: {
      type: 'number',
      envOnly: true,
      env: 'AEGIS_REPORT_MEMORY_MB',
      min: 0.001,
      default: DEFAULT_MEMORY_BUDGET_MB,
      help: 'MB of column values held at once (see Memory)',
    },
  },
} as const satisfies CommandOptions;

const help = `Usage: aegis report --reference REF.csv --current CUR.csv [options]

Compares the columns common to both CSV headers and reports, per feature, every
drift test that applies to its kind, which test decided drift, and whether the
dataset as a whole drifted (share of drifted features >= 50%).

${optionsHelp(REPORT_OPTIONS.table)}

Columns: an empty, blank or NaN cell is a missing value (excluded from the
tests, counted). A column is numeric when almost all of its non-empty cells in
the reference (at most 1% and at least one may be other text) are numbers;
its other cells - text, inf, 1e400 - are invalid: counted per column in
invalidReference / invalidCurrent, excluded from the tests, and named in a
warning on stderr. A column with a true/false cell, or mostly text, is
categorical. --numeric / --categorical decide instead. nReference and nCurrent count the values tested.

Integrity: a column whose share of missing or invalid rows rises by ${INTEGRITY_THRESHOLD * 100}
points or more in the current file, or that has values in one file only (a
dead sensor), has drifted (drift.test "integrity"), and makes the dataset
drifted.

Input: regular files only (each is read more than once; a pipe is refused);
a record longer than AEGIS_REPORT_MAX_RECORD_MB is an error. A file that is
one column named like 'a;b;c' in both inputs asks for --delimiter.

Memory: values are held as 8-byte numbers (4-byte codes for categories); when
both files together exceed AEGIS_REPORT_MEMORY_MB (default ${DEFAULT_MEMORY_BUDGET_MB}) the columns are
read in groups, one pass over both files per group.

Tests:
${testList}

Exit status: 0 done; 3 dataset drift with --fail-on-drift; 2 bad input (missing
file, not a regular file, no common column, unparseable CSV, no data rows, bad
option).
`;

function parseTests(raw: string | undefined): TestName[] | undefined {
  if (raw === undefined) return undefined;
  const byWire = new Map([...TEST_REGISTRY.values()].map((t) => [t.wireName, t.name]));
  const names = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      const name = TEST_REGISTRY.has(s as TestName) ? (s as TestName) : byWire.get(s);
      if (!name) throw new UsageError(`unknown test '${s}' (known: ${TEST_NAMES.join(', ')})`);
      return name;
    });
  if (names.length === 0) throw new UsageError('--tests needs at least one test name');
  return names;
}

function progressReporter(enabled: boolean) {
  const start = Date.now();
  let last = 0;
  let shown = false;
  const tty = process.stderr.isTTY;
  return {
    report(message: string) {
      const now = Date.now();
      if (!enabled || now - start < 1000 || now - last < 1000) return;
      last = now;
      shown = true;
      process.stderr.write(tty ? `\raegis report: ${message}\x1b[K` : `aegis report: ${message}\n`);
    },
    done() {
      if (shown && tty) process.stderr.write('\n');
    },
  };
}

/** Warnings on stderr, one line each (escaped), at most 20 and then a count. */
function warningPrinter(limit = 20) {
  let n = 0;
  return {
    warn(message: string) {
      if (++n <= limit) process.stderr.write(`aegis report: warning: ${escapeControls(message)}\n`);
    },
    done() {
      if (n > limit) process.stderr.write(`aegis report: warning: ${n - limit} more like these (see invalidReference / invalidCurrent in --format json)\n`);
    },
  };
}

const command: Command = {
  name: 'report',
  summary: 'drift statistics between two CSV files',
  help,
  async run(argv) {
    const { values } = parseOptions(argv, REPORT_OPTIONS);
    if (!values.reference) throw new UsageError('--reference REF.csv is required');
    if (!values.current) throw new UsageError('--current CUR.csv is required');
    const { format, preset } = values;
    const tests = parseTests(values.tests);
    const memoryBudgetMB = values.memory;
    const csv = csvInput(values);
    const progress = progressReporter(format === 'text');
    const warnings = warningPrinter();
    let doc;
    try {
      doc = await buildReport(values.reference, values.current, { preset, tests, memoryBudgetMB, csv, onProgress: progress.report, onWarning: warnings.warn });
    } catch (err) {
      if (err instanceof CsvInputError) throw new UsageError(err.message);
      throw err;
    } finally {
      progress.done();
      warnings.done();
    }
    if (format === 'json') {
      const { features, dataset } = doc;
      process.stdout.write(JSON.stringify({ features, dataset }) + '\n');
    } else {
      process.stdout.write(formatText(doc) + '\n');
    }
    return values['fail-on-drift'] && doc.dataset.detected ? 3 : 0;
  },
};

export default command;
