/**
 * npm run bench:stats — CPU time per evaluation of all numeric drift tests (KS,
 * PSI, normed Wasserstein, Jensen–Shannon) over 30 features, at several
 * reference/current sizes, next to the same computation in Python on the same
 * data (test/bench/stats_peer.py: a scipy/numpy loop, and Evidently's
 * DataDriftPreset), with ratios. Peers that cannot be imported (after one
 * `pip install` attempt, skipped with AEGIS_BENCH_NO_PIP=1) are reported as
 * unavailable. Sizes: AEGIS_BENCH_SIZES="1000x1000,5000x5000" overrides.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gaussian, mulberry32 } from '../../pipeline/random.ts';
import { evaluateColumn, getTest, populationStd, prepareNumeric, sortedCopy, uniqueCountSorted, type TestName } from '../../pipeline/stats/index.ts';

const FEATURES = 30;
const TESTS: TestName[] = ['ks', 'psi', 'wassersteinNorm', 'jensenShannon'];
const sizes = (process.env.AEGIS_BENCH_SIZES ?? '1000x1000,5000x5000,10000x10000,100000x100000').split(',').map((s) => {
  const [r, c] = s.split('x').map(Number);
  return { nRef: r, nCur: c, key: `${r}x${c}` };
});

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/**
 * Median CPU time (user + system of this process, ms) per call, after one
 * warm-up call: the machine is shared, and under contention wall-clock time
 * measures the scheduler. The Python peer measures the same way
 * (time.process_time), so the ratios compare work done.
 */
function timed(fn: () => void, budgetMs = 2000, maxReps = 50, minReps = 3): number {
  fn();
  const times: number[] = [];
  const start = performance.now();
  do {
    const c0 = process.cpuUsage();
    fn();
    const c = process.cpuUsage(c0);
    times.push((c.user + c.system) / 1000);
  } while (times.length < minReps || (times.length < maxReps && performance.now() - start < budgetMs));
  return median(times);
}

function makeFeatures(n: number, seed: number, shift: (i: number) => number): Float64Array[] {
  const rng = mulberry32(seed);
  return Array.from({ length: FEATURES }, (_, i) => {
    const s = shift(i);
    const kind = i % 3;
    return Float64Array.from({ length: n }, () => {
      const z = gaussian(rng, s, 1);
      return kind === 0 ? z : kind === 1 ? Math.exp(z / 2) : Math.round(z * 20) / 20;
    });
  });
}

function writeF64(path: string, arrays: Float64Array[]) {
  const total = arrays.reduce((s, a) => s + a.length, 0);
  const buf = new Float64Array(total);
  let o = 0;
  for (const a of arrays) {
    buf.set(a, o);
    o += a.length;
  }
  writeFileSync(path, Buffer.from(buf.buffer));
}

function python(): string | undefined {
  for (const exe of ['python3', 'python']) {
    if (spawnSync(exe, ['--version']).status === 0) return exe;
  }
  return undefined;
}

function ensurePeers(py: string): string[] {
  const notes: string[] = [];
  const probe = () =>
    spawnSync(py, ['-c', 'import numpy, scipy, threadpoolctl\ntry:\n import evidently\nexcept Exception: raise SystemExit(3)'], { encoding: 'utf8' });
  let status = probe().status;
  if (status !== 0 && process.env.AEGIS_BENCH_NO_PIP !== '1') {
    notes.push(`installing Python peers: ${py} -m pip install numpy scipy threadpoolctl evidently "pandas<3" ...`);
    const pip = spawnSync(py, ['-m', 'pip', 'install', '--quiet', 'numpy', 'scipy', 'threadpoolctl', 'evidently', 'pandas<3'], {
      encoding: 'utf8',
      timeout: 900_000,
    });
    if (pip.status !== 0) notes.push(`pip install failed: ${(pip.stderr || pip.error?.message || '').trim().split('\n').pop()}`);
    status = probe().status;
  }
  return notes;
}

/**
 * The peer's environment without OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE: some
 * machines pin an old OpenBLAS kernel with them, which slows a current numpy;
 * the peer reports the kernel it then runs (threadpoolctl).
 */
function peerEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  return env;
}

function fmt(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '—';
  return ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2);
}

function ratio(peer: number | undefined, ours: number): string {
  return peer === undefined ? '—' : `${(peer / ours).toFixed(1)}×`;
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'aegis-bench-'));
  const lines: string[] = [];
  const out = (s = '') => {
    lines.push(s);
    process.stdout.write(s + '\n');
  };
  try {
    out(`Drift statistics benchmark: ${FEATURES} numeric features, tests ${TESTS.join(', ')}; node ${process.version}`);
    const ours: Record<string, { full: number; engine: number; perTest: Record<string, number> }> = {};
    for (const [k, s] of sizes.entries()) {
      const ref = makeFeatures(s.nRef, 1000 + k, () => 0);
      const cur = makeFeatures(s.nCur, 2000 + k, (i) => (i % 5) * 0.02);
      writeF64(join(dir, `${s.key}-ref.f64`), ref);
      writeF64(join(dir, `${s.key}-cur.f64`), cur);
      const refSorted = ref.map((r) => sortedCopy(r, 'bench', 'reference'));
      const summaries = refSorted.map((r) => ({ unique: uniqueCountSorted(r), std: populationStd(r) }));
      const full = timed(() => {
        for (let i = 0; i < FEATURES; i++) {
          evaluateColumn(prepareNumeric(sortedCopy(ref[i], 'bench', 'reference'), cur[i]), { tests: TESTS, preset: 'evidently' });
        }
      });
      const engine = timed(() => {
        for (let i = 0; i < FEATURES; i++) {
          evaluateColumn(prepareNumeric(refSorted[i], cur[i], { reference: summaries[i] }), { tests: TESTS, preset: 'evidently' });
        }
      });
      const prepared = refSorted.map((r, i) => prepareNumeric(r, cur[i]));
      const perTest: Record<string, number> = {};
      perTest.sort = timed(() => {
        for (let i = 0; i < FEATURES; i++) sortedCopy(cur[i], 'bench', 'current');
      });
      for (const t of TESTS) {
        perTest[t] = timed(() => {
          for (let i = 0; i < FEATURES; i++) {
            const fresh = prepareNumeric(prepared[i].refSorted, prepared[i].curSorted, { currentSorted: true });
            getTest(t).compute(fresh);
          }
        });
      }
      ours[s.key] = { full, engine, perTest };
      process.stderr.write(`  measured ${s.key}\n`);
    }
    const worstRef = makeFeatures(10000, 77, () => 0)[0];
    const worstCur = makeFeatures(9999, 78, () => 1.5)[0];
    writeF64(join(dir, 'ksworst-ref.f64'), [worstRef]);
    writeF64(join(dir, 'ksworst-cur.f64'), [worstCur]);
    const worstSortedRef = sortedCopy(worstRef, 'bench', 'reference');
    const worstSortedCur = sortedCopy(worstCur, 'bench', 'current');
    const ksWorst = timed(() => getTest('ks').compute(prepareNumeric(worstSortedRef, worstSortedCur, { currentSorted: true })), 3000, 10);

    let peer: any;
    const py = python();
    if (!py) out('Python peer unavailable: no python3 on PATH.');
    else {
      for (const note of ensurePeers(py)) out(note);
      const spec = { sizes: sizes.map((s) => ({ ...s, features: FEATURES })), ksWorst: true };
      const script = fileURLToPath(new URL('./stats_peer.py', import.meta.url));
      const run = spawnSync(py, [script, dir, JSON.stringify(spec)], { encoding: 'utf8', maxBuffer: 1 << 24, timeout: 3_600_000, env: peerEnv() });
      try {
        peer = JSON.parse(run.stdout.trim().split('\n').pop() ?? '');
      } catch {
        out(`Python peer unavailable: ${(run.stderr || run.error?.message || 'no output').trim().split('\n').pop()}`);
      }
    }
    if (peer?.scipy_error) out(`scipy peer unavailable: ${peer.scipy_error}`);
    if (peer?.evidently_error) out(`Evidently peer unavailable: ${peer.evidently_error}`);
    if (peer && !peer.scipy_error) {
      out(`Python ${peer.python}, scipy ${peer.scipy}, numpy ${peer.numpy}${peer.evidently ? `, evidently ${peer.evidently}` : ''}`);
      if (peer.blas) out(`numpy BLAS: ${peer.blas}`);
    }
    out();
    out('CPU time per evaluation of all tests over 30 features (median, ms):');
    const head = ['ref×cur', 'TS full', 'TS engine', 'scipy loop', 'Evidently', 'scipy/full', 'scipy/engine', 'Evid./full', 'Evid./engine'];
    const rows = sizes.map((s) => {
      const o = ours[s.key];
      const p = peer?.results?.find((r: any) => r.key === s.key);
      const ev = p?.evidently_ms as number | undefined;
      return [
        s.key,
        fmt(o.full),
        fmt(o.engine),
        fmt(p?.scipy_ms),
        fmt(ev),
        ratio(p?.scipy_ms, o.full),
        ratio(p?.scipy_ms, o.engine),
        ratio(ev, o.full),
        ratio(ev, o.engine),
      ];
    });
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    out(head.map((h, i) => h.padStart(widths[i])).join('  '));
    for (const r of rows) out(r.map((c, i) => c.padStart(widths[i])).join('  '));
    out();
    out('TS full: sorts copies of both samples, then KS + PSI + normed W1 + JS (what scipy does per call).');
    out('TS engine: reference already sorted with its unique count and std cached (the profile), window unsorted: evaluateNumeric().');
    out('Evidently: Report([DataDriftPreset()]).run — one test per column (KS up to 1,000 rows, else normed W1) plus its own bookkeeping.');
    out();
    out('Breakdown per test over 30 features, TS, both samples pre-sorted (CPU ms):');
    const tHead = ['ref×cur', 'sort cur', ...TESTS, 'scipy ks_2samp'];
    const tRows = sizes.map((s) => {
      const o = ours[s.key].perTest;
      const p = peer?.results?.find((r: any) => r.key === s.key);
      return [s.key, fmt(o.sort), ...TESTS.map((t) => fmt(o[t])), fmt(p?.scipy_ks_ms)];
    });
    const tw = tHead.map((h, i) => Math.max(h.length, ...tRows.map((r) => r[i].length)));
    out(tHead.map((h, i) => h.padStart(tw[i])).join('  '));
    for (const r of tRows) out(r.map((c, i) => c.padStart(tw[i])).join('  '));
    out();
    out(
      `Exact KS worst case (one feature, 10000 vs 9999 values, coprime sizes, D large): TS ${fmt(ksWorst)} ms` +
        (peer?.ks_worst ? `, scipy ${fmt(peer.ks_worst.ms)} ms (${ratio(peer.ks_worst.ms, ksWorst)})` : ''),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
