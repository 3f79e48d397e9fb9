/**
 * `aegis backtest`: replays a recorded stream through the engine's own
 * window, tests and policy (pipeline/engine/replay.ts) and prints the status
 * timeline. No Kafka needed.
 */
import { UsageError, type Command } from '../command.ts';
import { optionsHelp, parseOptions, type CommandOptions } from '../options.ts';
import { profileFromCsv } from '../../reference/reference-csv.ts';
import { streamRows } from '../../backtest/stream-csv.ts';
import { DEFAULT_POLICY, type DriftPolicy } from '../../../pipeline/drift/drift-policy.ts';
import { minimumDetectableShift, SECONDS_PER_DAY, testLevel } from '../../../pipeline/drift/calibration.ts';
import { Replay, type ReplayEvaluation } from '../../../pipeline/engine/replay.ts';
import type { Status } from '../../../pipeline/serde/drift-report.ts';
import { escapeControls } from '../terminal-text.ts';
import { CSV_OPTIONS, csvInput } from '../../report/column-kinds.ts';
import { MAX_WINDOW } from './engine.ts';

export const BACKTEST_OPTIONS = {
  table: {
    reference: { type: 'string', arg: 'FILE', help: 'the reference CSV, as for aegis reference (required); its columns are the features' },
    stream: { type: 'string', arg: 'FILE', help: 'the recorded stream CSV, one event per row in arrival order (required)' },
    window: { type: 'number', arg: 'N', integer: true, min: 10, max: MAX_WINDOW, default: 1000, help: 'count window: the last N events' },
    every: { type: 'number', arg: 'K', integer: true, min: 1, max: MAX_WINDOW, default: 500, help: 'an evaluation every K rows' },
    interval: {
      type: 'number',
      arg: 'S',
      min: 0.1,
      max: 3600,
      default: 10,
      help: 'virtual seconds between evaluations (the live --interval):\nthe false-alarm budget is spread over 86,400 / S evaluations a day',
    },
    'min-samples': { type: 'number', arg: 'N', integer: true, min: 1, max: MAX_WINDOW, default: 200, help: 'events needed before the first evaluation' },
    'false-alarms-per-day': {
      type: 'number',
      arg: 'F',
      min: 0,
      max: 86400,
      default: DEFAULT_POLICY.falseAlarmsPerDay,
      help: 'false AMBER-or-worse evaluations allowed per day (0: the\nuncalibrated rules, --min-effect as the only gate)',
    },
    'min-effect': { type: 'number', arg: 'D', min: 0, max: 1, default: DEFAULT_POLICY.minEffect, help: 'practical-significance floor on KS D / total variation' },
    format: { type: 'string', arg: 'F', choices: ['text', 'json'], default: 'text', help: 'text | json' },
    ...CSV_OPTIONS,
  },
  relations: [{ smaller: 'min-samples', larger: 'window', why: 'a window never holds more than --window events, so nothing would be evaluated' }],
} as const satisfies CommandOptions;

const help = `Usage: aegis backtest --reference REF.csv --stream STREAM.csv [options]

Replays a recorded stream through the drift engine's own window, tests and
policy — the same processor as 'aegis engine' — on a virtual clock: an
evaluation every --every rows, --interval virtual seconds apart. Prints one
line per evaluation (index, rows consumed, status, drifted features, reason)
and a summary; --format json prints
{"evaluations":[{"index":0,"endRow":1000,"status":"GREEN","drifted":[],"reason":"…"}, …],
 "summary":{"GREEN":…,"AMBER":…,"RED":…,"statusChanges":…}}.

${optionsHelp(BACKTEST_OPTIONS.table)}
`;

const command: Command = {
  name: 'backtest',
  summary: 'replay a recorded stream through the engine and print the status timeline',
  help,
  async run(argv) {
    const { values } = parseOptions(argv, BACKTEST_OPTIONS);
    if (!values.reference) throw new UsageError('--reference is required (the reference CSV file)');
    if (!values.stream) throw new UsageError('--stream is required (the recorded stream CSV file)');
    const { read: { delimiter }, kinds } = csvInput(values);
    const forced = (kind: string) => [...kinds].filter(([, k]) => k === kind).map(([name]) => name);
    const { profile } = await profileFromCsv({
      modelId: 'backtest',
      version: 'reference',
      file: values.reference,
      categorical: forced('categorical'),
      numeric: forced('numeric'),
      delimiter,
      createdAt: 0,
      warn: (line) => process.stderr.write(`aegis: warning: ${line}\n`),
    });
    const evaluationsPerDay = SECONDS_PER_DAY / values.interval;
    const policy: DriftPolicy = { ...DEFAULT_POLICY, falseAlarmsPerDay: values['false-alarms-per-day'], evaluationsPerDay, minEffect: values['min-effect'] };
    const replay = new Replay(profile, { window: values.window, every: values.every, minSamples: values['min-samples'], policy, intervalMs: values.interval * 1000 });
    const json = values.format === 'json';
    const timeline: ReplayEvaluation[] = [];
    const summary: Record<string, number> = { GREEN: 0, AMBER: 0, RED: 0, statusChanges: 0 };
    let last: Status = 'GREEN';
    for await (const features of streamRows(values.stream, profile, delimiter)) {
      const e = replay.push(features);
      if (!e) continue;
      summary[e.status] = (summary[e.status] ?? 0) + 1;
      if (e.status !== last) summary.statusChanges++;
      last = e.status;
      if (json) timeline.push(e);
      else process.stdout.write(`${String(e.index).padStart(5)}  row ${String(e.endRow).padStart(8)}  ${e.status.padEnd(5)}  ${escapeControls(e.drifted.join(',') || '-')}  ${escapeControls(e.reason)}\n`);
    }
    const numeric = profile.features.filter((f) => f.kind === 'NUMERIC' && f.count > 0);
    const nRef = numeric.length ? Math.min(...numeric.map((f) => f.count)) : 0;
    const shift = policy.falseAlarmsPerDay > 0 && nRef > 1 ? minimumDetectableShift(testLevel(policy, profile.features.length) / 2, nRef, values.window) : null;
    if (json) {
      const evaluations = timeline.map(({ index, endRow, status, drifted, reason }) => ({ index, endRow, status, drifted, reason }));
      process.stdout.write(JSON.stringify({ evaluations, summary, minimumDetectableShiftSigma: shift }) + '\n');
    } else {
      process.stdout.write(
        `${summary.GREEN + summary.AMBER + summary.RED} evaluations: GREEN ${summary.GREEN}, AMBER ${summary.AMBER}, RED ${summary.RED}; ${summary.statusChanges} status changes\n` +
          (shift === null ? '' : `smallest mean shift found in one evaluation with 90 % probability: ${shift.toFixed(2)} σ (reference ${nRef} rows, window ${values.window})\n`),
      );
    }
    return 0;
  },
};

export default command;
