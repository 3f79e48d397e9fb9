/**
 * npm run bench:detection — how soon each failure is seen and how often
 * healthy traffic cries wolf, for Aegis before calibration (fixed D floor,
 * UNCALIBRATED_POLICY) and after (DEFAULT_POLICY), replayed through the
 * engine's own processor (pipeline/engine/replay.ts, as `aegis backtest`
 * does), beside plain KS p < 0.05 per feature (Evidently's DataDriftPreset
 * column test up to 1,000 reference rows), River's KSWIN and ADWIN on the
 * same rows (test/bench/detection_peer.py; pip-installed once unless
 * AEGIS_BENCH_NO_PIP=1).
 *
 * Streams: 30 independent N(0, 1) features, reference 1,000 rows, window
 * 1,000, an evaluation every 500 events (the live cadence 10 s), the fault
 * from row 5,000 (evaluation 10) on; WDBC: the demo's reference pool (170
 * rows) and its traffic pool resampled with 1 % noise, as `aegis produce`.
 * "at k": the k-th evaluation after onset is the first to flag (1 = the first
 * window holding faulty rows).
 *
 * Environment: AEGIS_BENCH_SEEDS (default 1,2,3), AEGIS_BENCH_DAY (stationary
 * evaluations, default 8640 = 24 h at 10 s), AEGIS_BENCH_AFTER (evaluations
 * after onset, default 200), AEGIS_BENCH_PEER_DAY (stationary evaluations the
 * peers run, default 200; KSWIN 20 at one value in 10), AEGIS_BENCH_PEERS=0
 * (Aegis only), AEGIS_BENCH_POLICIES (default before,after).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deriveSeed, gaussian, mulberry32 } from '../../pipeline/random.ts';
import { buildProfile } from '../../pipeline/reference/build-profile.ts';
import { DEFAULT_POLICY, UNCALIBRATED_POLICY, type DriftPolicy } from '../../pipeline/drift/drift-policy.ts';
import { Replay } from '../../pipeline/engine/replay.ts';
import { STATUS_RANK, type Status } from '../../pipeline/serde/drift-report.ts';
import type { ReferenceProfile } from '../../pipeline/serde/reference-profile.ts';
import type { FeatureValue } from '../../pipeline/serde/inference-event.ts';
import { parseWdbcCsv } from '../../pipeline/model/dataset.ts';
import { runTraining } from '../../pipeline/model/training-run.ts';
import { classify } from '../../pipeline/model/cart-model.ts';
import { createTrafficGenerator } from '../../pipeline/simulator/traffic-generator.ts';
import { createScenario, DEFAULT_SCENARIO_SETTINGS } from '../../pipeline/simulator/scenarios.ts';
import { DEFAULT_DATA_FILE } from '../../services/trainer/trainer.ts';

const F = 30;
const WINDOW = 1000;
const EVERY = 500;
const WARM = 10;
const ONSET = WARM * EVERY;
/** Aegis evaluates from a full window (row 1,000) on: its first evaluation holding faulty rows. */
const FIRST_FAULTY = (ONSET - WINDOW) / EVERY + 1;
const env = (name: string, fallback: string) => process.env[name] ?? fallback;
const SEEDS = env('AEGIS_BENCH_SEEDS', '1,2,3').split(',').map(Number);
const DAY = Number(env('AEGIS_BENCH_DAY', '8640'));
const AFTER = Number(env('AEGIS_BENCH_AFTER', '200'));
const PEER_DAY = Number(env('AEGIS_BENCH_PEER_DAY', '200'));
const PEER_AFTER = 20;
const KSWIN_DAY = 20;
const KSWIN_STRIDE = 10;

type Row = (number | null)[];
type Fault = (row: Row, rng: () => number) => void;

const FAULTS: Record<string, { label: string; fault: Fault }> = {
  stuck: { label: 'stuck sensor (x0 = 0)', fault: (r) => void (r[0] = 0) },
  scale: { label: '×10 scale (x0)', fault: (r) => void (r[0] = (r[0] as number) * 10) },
  shift05: { label: '0.5 σ mean shift, one feature', fault: (r) => void (r[0] = (r[0] as number) + 0.5) },
  shift025x5: { label: '0.25 σ on 5 features at once', fault: (r) => { for (let j = 0; j < 5; j++) r[j] = (r[j] as number) + 0.25; } },
  shift1: { label: '1 σ mean shift, one feature', fault: (r) => void (r[0] = (r[0] as number) + 1) },
  nan5: { label: '5 % NaN (x0)', fault: (r, rng) => void (rng() < 0.05 && (r[0] = null)) },
  nan20: { label: '20 % NaN (x0)', fault: (r, rng) => void (rng() < 0.2 && (r[0] = null)) },
};

const NAMES = Array.from({ length: F }, (_, j) => `x${j}`);

function gaussianReference(seed: number): { profile: ReferenceProfile; rows: Row[] } {
  const rng = mulberry32(deriveSeed(seed, 100));
  const rows = Array.from({ length: 1000 }, () => NAMES.map(() => gaussian(rng)));
  const profile = buildProfile({ modelId: 'bench', modelVersion: `s${seed}`, createdAt: 0, features: NAMES.map((name, j) => ({ name, kind: 'NUMERIC', values: rows.map((r) => r[j]) })) });
  return { profile, rows };
}

/** The stream's rows, generated on demand: healthy, then the fault from ONSET on. */
function* gaussianStream(seed: number, fault: Fault | null, rows: number): Generator<Row> {
  const rng = mulberry32(deriveSeed(seed, 101));
  const faultRng = mulberry32(deriveSeed(seed, 102));
  for (let i = 0; i < rows; i++) {
    const row: Row = NAMES.map(() => gaussian(rng));
    if (fault && i >= ONSET) fault(row, faultRng);
    yield row;
  }
}

interface Outcome {
  statuses: Status[];
  maxD: number;
  changes: number;
}

function replay(profile: ReferenceProfile, rows: Iterable<Row>, policy: DriftPolicy, extra?: (row: Row) => { prediction: FeatureValue; score: number }): Outcome {
  const r = new Replay(profile, { window: WINDOW, every: EVERY, minSamples: WINDOW, policy, intervalMs: 10_000 });
  const out: Outcome = { statuses: [], maxD: 0, changes: 0 };
  let last: Status = 'GREEN';
  for (const row of rows) {
    const features: Record<string, FeatureValue> = {};
    for (let j = 0; j < row.length; j++) features[profile.features[j].name] = row[j];
    const e = r.push(features, extra?.(row));
    if (!e) continue;
    out.statuses.push(e.status);
    if (e.status !== last) out.changes++;
    last = e.status;
    for (const f of e.report.features) out.maxD = Math.max(out.maxD, f.tests.find((t) => t.test === 'ks')?.statistic ?? 0);
  }
  return out;
}

const ALL_POLICIES = { before: UNCALIBRATED_POLICY, after: { ...DEFAULT_POLICY, evaluationsPerDay: 8640 } };
const POLICIES = Object.fromEntries(env('AEGIS_BENCH_POLICIES', 'before,after').split(',').map((n) => [n, ALL_POLICIES[n as keyof typeof ALL_POLICIES]]));

/** Evaluation k ≥ 1 after onset (`first` the index of the first one holding faulty rows) at which `hit` first holds, or null. */
function firstAfter<T>(xs: T[], hit: (x: T) => boolean, first = FIRST_FAULTY): number | null {
  for (let k = first; k < xs.length; k++) if (hit(xs[k])) return k - first + 1;
  return null;
}
const atLeast = (s: Status, min: Status) => STATUS_RANK[s] >= STATUS_RANK[min];

function writeF64(path: string, rows: Iterable<Row>) {
  const values: number[] = [];
  for (const r of rows) for (const v of r) values.push(v ?? Number.NaN);
  writeFileSync(path, Buffer.from(Float64Array.from(values).buffer));
}

function wdbc() {
  const run = runTraining({ modelId: 'bench-wdbc', dataset: parseWdbcCsv(readFileSync(DEFAULT_DATA_FILE, 'utf8')), createdAt: 0 });
  const stream = function* (scenarioName: 'healthy' | 'sensor-failure', rows: number, seed: number): Generator<Row> {
    const features = [run.profile.features.findIndex((f) => f.name === 'worst_radius')];
    const scenario = createScenario(scenarioName, { ...DEFAULT_SCENARIO_SETTINGS, after: ONSET, features, stds: [] });
    const g = createTrafficGenerator({ rows: run.pools.traffic, noise: 0.01, scenario, seed });
    for (let i = 0; i < rows; i++) yield g.next().values;
  };
  const extra = (row: Row) => {
    const { label, score } = classify(run.model, row);
    return { prediction: label, score };
  };
  return { run, stream, extra };
}

function python(): string | undefined {
  for (const exe of ['python3', 'python']) if (spawnSync(exe, ['--version']).status === 0) return exe;
  return undefined;
}

function ensurePeers(py: string, say: (s: string) => void) {
  const probe = () => spawnSync(py, ['-c', 'import numpy, scipy, river, evidently, pandas'], { encoding: 'utf8' }).status;
  if (probe() !== 0 && process.env.AEGIS_BENCH_NO_PIP !== '1') {
    say(`installing Python peers: ${py} -m pip install numpy scipy river evidently "pandas<3" ...`);
    const pip = spawnSync(py, ['-m', 'pip', 'install', '--quiet', 'numpy', 'scipy', 'river', 'evidently', 'pandas<3'], { encoding: 'utf8', timeout: 900_000 });
    if (pip.status !== 0) say(`pip install failed: ${(pip.stderr || pip.error?.message || '').trim().split('\n').pop()}`);
  }
}

const pctOf = (n: number, of: number) => `${((100 * n) / of).toFixed(n && n < of / 100 ? 2 : 0)} %`;
const at = (k: number | null) => (k === null ? 'never' : `at ${k}`);
const list = (xs: string[]) => (new Set(xs).size === 1 ? xs[0] : xs.join(' / '));

async function main() {
  const lines: string[] = [];
  const out = (s = '') => {
    lines.push(s);
    process.stdout.write(s + '\n');
  };
  const t0 = Date.now();
  out(`Detection benchmark: seeds ${SEEDS.join(', ')}; ${F} N(0,1) features, reference 1,000 rows, window ${WINDOW}, an evaluation every ${EVERY} events (10 s), the fault from row ${ONSET}; stationary ${DAY} evaluations.`);
  const table: Record<string, Record<string, string>> = {};
  const cell = (row: string, col: string, v: string) => ((table[row] ??= {})[col] = v);

  // Aegis, before and after, every seed.
  for (const [name, policy] of Object.entries(POLICIES)) {
    const stat: string[] = [];
    for (const seed of SEEDS) {
      const { profile } = gaussianReference(seed);
      const o = replay(profile, gaussianStream(seed, null, DAY * EVERY), policy);
      const amber = o.statuses.filter((s) => s === 'AMBER').length;
      const red = o.statuses.filter((s) => s === 'RED').length;
      stat.push(`${amber} AMBER, ${red} RED (${Math.ceil(o.changes / 2)} incidents; max D ${o.maxD.toFixed(3)})`);
      process.stderr.write(`  ${name} stationary seed ${seed}: ${stat.at(-1)} [${((Date.now() - t0) / 1000).toFixed(0)} s]\n`);
    }
    cell('stationary Gaussian', `Aegis ${name}`, stat.join('; '));
    for (const [key, { label, fault }] of Object.entries(FAULTS)) {
      const cells: string[] = [];
      for (const seed of SEEDS) {
        const { profile } = gaussianReference(seed);
        const o = replay(profile, gaussianStream(seed, fault, ONSET + AFTER * EVERY), policy);
        const post = o.statuses.slice(FIRST_FAULTY);
        const amber = firstAfter(o.statuses, (s) => atLeast(s, 'AMBER'));
        const red = firstAfter(o.statuses, (s) => s === 'RED');
        let changes = 0;
        for (let k = FIRST_FAULTY; k < o.statuses.length; k++) if (o.statuses[k] !== o.statuses[k - 1]) changes++;
        const share = post.filter((s) => s !== 'GREEN').length;
        cells.push(key.startsWith('nan') ? `AMBER+ ${at(amber)}, RED ${at(red)}, flagged ${pctOf(share, post.length)}, ${changes} changes` : `AMBER+ ${at(amber)}, RED ${at(red)}`);
      }
      cell(label, `Aegis ${name}`, list(cells));
      process.stderr.write(`  ${name} ${key} [${((Date.now() - t0) / 1000).toFixed(0)} s]\n`);
    }
    const w = wdbc();
    const healthy = SEEDS.map((seed) => replay(w.run.profile, w.stream('healthy', DAY * EVERY, seed), policy, w.extra));
    cell('stationary WDBC (reference 170)', `Aegis ${name}`, healthy.map((o) => `${o.statuses.filter((s) => s === 'AMBER').length}, ${o.statuses.filter((s) => s === 'RED').length} (max D ${o.maxD.toFixed(3)})`).join('; '));
    const stuck = SEEDS.map((seed) => replay(w.run.profile, w.stream('sensor-failure', ONSET + 20 * EVERY, seed), policy, w.extra));
    cell('WDBC stuck worst_radius', `Aegis ${name}`, list(stuck.map((o) => `RED ${at(firstAfter(o.statuses, (s) => s === 'RED'))}`)));
    process.stderr.write(`  ${name} WDBC [${((Date.now() - t0) / 1000).toFixed(0)} s]\n`);
  }

  // Peers on the first seed's streams.
  const py = python();
  const seed = SEEDS[0];
  const dir = mkdtempSync(join(tmpdir(), 'aegis-bench-detection-'));
  try {
    if (process.env.AEGIS_BENCH_PEERS === '0') out('Python peers skipped (AEGIS_BENCH_PEERS=0).');
    else if (!py) out('Python peers unavailable: no python3 on PATH.');
    else {
      ensurePeers(py, out);
      const { rows: refRows } = gaussianReference(seed);
      const streams: object[] = [];
      const add = (name: string, ref: Row[], rows: Iterable<Row>, evaluations: number, features = F) => {
        writeF64(join(dir, `${name}-ref.f64`), ref);
        writeF64(join(dir, `${name}-cur.f64`), rows);
        streams.push({ name, features, every: EVERY, window: WINDOW, evaluations, kswinAlpha: 0.005, kswinStride: KSWIN_STRIDE, kswinEvaluations: name === 'stationary' || name === 'wdbc' ? KSWIN_DAY : evaluations, evidentlyAt: name === 'stationary' || name === 'wdbc' ? [5] : [WARM + 1] });
      };
      add('stationary', refRows, gaussianStream(seed, null, PEER_DAY * EVERY), PEER_DAY);
      for (const [key, { fault }] of Object.entries(FAULTS)) add(key, refRows, gaussianStream(seed, fault, (WARM + PEER_AFTER) * EVERY), WARM + PEER_AFTER);
      const w = wdbc();
      const wref = w.run.pools.reference.map((r) => r.values);
      add('wdbc', wref, w.stream('healthy', PEER_DAY * EVERY, seed), PEER_DAY);
      add('wdbcStuck', wref, w.stream('sensor-failure', (WARM + PEER_AFTER) * EVERY, seed), WARM + PEER_AFTER);
      process.stderr.write(`  running the Python peers (KSWIN runs one scipy KS per update: minutes) [${((Date.now() - t0) / 1000).toFixed(0)} s]\n`);
      const script = fileURLToPath(new URL('./detection_peer.py', import.meta.url));
      const run = spawnSync(py, [script, dir, JSON.stringify({ streams })], { encoding: 'utf8', maxBuffer: 1 << 26, timeout: 7_200_000 });
      let peer: any;
      try {
        peer = JSON.parse(run.stdout.trim().split('\n').pop() ?? '');
      } catch {
        out(`Python peers unavailable: ${(run.stderr || run.error?.message || 'no output').trim().split('\n').pop()}`);
      }
      if (peer) {
        out(`Peers (seed ${seed}): Python ${peer.python}, scipy ${peer.scipy}, river ${peer.river ?? peer.river_error}, evidently ${peer.evidently ?? peer.evidently_error}`);
        const rowOf: Record<string, string> = { stationary: 'stationary Gaussian', wdbc: 'stationary WDBC (reference 170)', wdbcStuck: 'WDBC stuck worst_radius', ...Object.fromEntries(Object.entries(FAULTS).map(([k, v]) => [k, v.label])) };
        for (const [name, r] of Object.entries<any>(peer.streams)) {
          const stationary = name === 'stationary' || name === 'wdbc';
          // The peers evaluate from row 500 on: evaluation WARM is their first holding faulty rows.
          const alarmed = (xs: boolean[]) => (stationary ? `${pctOf(xs.filter(Boolean).length, xs.length)} of ${xs.length}` : at(firstAfter(xs, Boolean, WARM)));
          const ks = r.ks.map((n: number) => n > 0);
          cell(rowOf[name], 'KS p<0.05', alarmed(ks));
          if (r.kswin.length) cell(rowOf[name], 'KSWIN α=0.005 (α/30)', `${alarmed(r.kswin)} (${alarmed(r.kswin30)})`);
          if (r.adwin.length) cell(rowOf[name], 'ADWIN δ=0.002', stationary ? `${r.adwin.filter(Boolean).length} of ${r.adwin.length}` : alarmed(r.adwin));
          const ev = r.evidently[0];
          if (ev) cell(rowOf[name], 'Evidently dataset drift', `${ev.datasetDrift ? 'yes' : 'no'} (${ev.driftedColumns} columns${stationary ? '' : ` at ${ev.evaluation - WARM + 1}`})`);
        }
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const cols = ['Aegis before', 'Aegis after', 'KS p<0.05', 'Evidently dataset drift', 'KSWIN α=0.005 (α/30)', 'ADWIN δ=0.002'];
  out();
  out(`| stream | ${cols.join(' | ')} |`);
  out(`|---|${cols.map(() => '---').join('|')}|`);
  for (const [row, v] of Object.entries(table)) out(`| ${row} | ${cols.map((c) => v[c] ?? '—').join(' | ')} |`);
  out();
  out(`Stationary peers: the first ${PEER_DAY} evaluations (KSWIN the first ${KSWIN_DAY}, fed every ${KSWIN_STRIDE}th value); faults: ${PEER_AFTER} evaluations after onset. "at k": k-th evaluation after onset. ${((Date.now() - t0) / 1000).toFixed(0)} s.`);
}

await main();
