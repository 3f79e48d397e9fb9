/**
 * One evaluation of one model: its window against its reference profile,
 * turned into a DriftReport (schemas/drift-report.avsc). Pure: everything it
 * needs comes in as arguments. Each feature is tested through the test
 * registry exactly as `aegis report` tests a column (evaluateColumn, then the
 * preset's correction across features in evaluateDataset), so the same rows
 * give the same statistics in both.
 */
import { quantileSorted } from 'simple-statistics';
import type { WindowSnapshot } from '../windows/event-window.ts';
import type { FeatureProfile, ReferenceProfile } from '../serde/reference-profile.ts';
import type { CategoryShare, DriftReport, EngineLag, FeatureReport, Histogram, Status, TestResult, ClassShare, UnknownFeature } from '../serde/drift-report.ts';
import { STATUS_RANK } from '../serde/drift-report.ts';
import type { DriftPolicy } from './drift-policy.ts';
import type { CategoryCodes, NumericReference, WindowLayout } from './window-layout.ts';
import { classTest, scoreTest } from './feature-tests.ts';
import { histogramCountsSorted, sturgesBinEdges } from '../stats/histogram-bin-edges.ts';
import { prepareCategoricalCounts, prepareNumeric } from '../stats/column.ts';
import { evaluateColumn, evaluateDataset, type ColumnEvaluation } from '../stats/evaluate.ts';
import { getTest, isDrift, type TestName, type TestOutcome } from '../stats/test-registry.ts';
import { evaluatePerformance } from './performance.ts';
import { enginePreset } from './engine-preset.ts';
import { effectOf, enterLevels, featureVerdict, stayLevels, type Levels, type VerdictInput } from './feature-verdict.ts';
import { excessRatePValue, outsideRangeRate, referenceRate } from '../stats/rate-test.ts';
import { holdStatus, type HeldStatus } from './status-hold.ts';
import { severityLine } from './severity.ts';

export interface EvaluationContext {
  reportId: string;
  evaluatedAt: number;
  /** Events dead-lettered for this model since the previous report, and in all. */
  invalidEvents: number;
  invalidEventsTotal: number;
  eventsSinceLastReport: number;
  secondsSinceLastReport: number;
  /** Feature names the events carried that the reference does not have, since the previous report. */
  unknownFeatures?: UnknownFeature[];
  /** How far the engine is behind this model's partition, when it knows. */
  engineLag?: EngineLag | null;
  /**
   * Hysteresis state (status-hold.ts): each feature's held status from the
   * previous evaluation in, this evaluation's out. Without it every
   * evaluation stands alone.
   */
  hold?: { prior: ReadonlyMap<string, HeldStatus>; next: Map<string, HeldStatus> };
}

/** Categories listed in a categorical feature's report: the largest by either share. */
export const MAX_CATEGORIES_SHOWN = 50;

const fmt = (x: number, digits = 3) => (Math.abs(x) >= 1000 || x === 0 ? x.toFixed(0) : x.toPrecision(digits));
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

/** What one feature's column holds in this window, before any test. */
interface ColumnCensus {
  profile: FeatureProfile;
  missing: number;
  invalid: number;
  /** Values outside the reference range (numeric) or in unseen categories (categorical). */
  outside: number;
  present: number;
  currentMean: number | null;
  /** Population standard deviation of the window's values (numeric). */
  currentStd: number | null;
  histogram: Histogram;
  categories: CategoryShare[];
  evaluation: ColumnEvaluation | null;
  /** Largest category share change, for the reason text. */
  biggestMove?: CategoryShare;
}

const EMPTY_HISTOGRAM: Histogram = { edges: [], reference: [], current: [] };

/** Missing (NaN) and invalid (±Infinity) cells of a window column; `present` sees each usable value. */
function countCells(column: Float64Array, present?: (value: number) => void): { missing: number; invalid: number } {
  let missing = 0;
  let invalid = 0;
  for (let i = 0; i < column.length; i++) {
    const v = column[i];
    if (Number.isNaN(v)) missing++;
    else if (!Number.isFinite(v)) invalid++;
    else present?.(v);
  }
  return { missing, invalid };
}

function numericCensus(profile: FeatureProfile, ref: NumericReference | undefined, column: Float64Array, preset: ReturnType<typeof enginePreset>): ColumnCensus {
  const { missing, invalid } = countCells(column);
  const present = column.length - missing - invalid;
  const values = new Float64Array(present);
  let k = 0;
  let sum = 0;
  let outside = 0;
  for (let i = 0; i < column.length; i++) {
    const v = column[i];
    if (Number.isFinite(v)) {
      values[k++] = v;
      sum += v;
      if (v < profile.min || v > profile.max) outside++;
    }
  }
  const currentMean = present ? sum / present : null;
  let squares = 0;
  if (currentMean !== null) for (let i = 0; i < present; i++) squares += (values[i] - currentMean) ** 2;
  values.sort();
  const census: ColumnCensus = {
    profile,
    missing,
    invalid,
    outside,
    present,
    currentMean,
    currentStd: present ? Math.sqrt(squares / present) : null,
    histogram: EMPTY_HISTOGRAM,
    categories: [],
    evaluation: null,
  };
  if (ref && present) {
    const edges = sturgesBinEdges(ref.sorted, values);
    census.histogram = {
      edges: Array.from(edges),
      reference: Array.from(histogramCountsSorted(ref.sorted, edges)),
      current: Array.from(histogramCountsSorted(values, edges)),
    };
    const column = prepareNumeric(ref.sorted, values, { currentSorted: true, reference: { unique: ref.unique, std: ref.std } });
    census.evaluation = evaluateColumn(column, { preset });
  }
  return census;
}

function categoricalCensus(profile: FeatureProfile, codes: CategoryCodes, column: Float64Array, preset: ReturnType<typeof enginePreset>): ColumnCensus {
  const counts = new Float64Array(codes.labels.length);
  const { missing, invalid } = countCells(column, (code) => counts[code]++);
  const present = column.length - missing - invalid;
  const nRef = codes.referenceCounts.reduce((s, c) => s + c, 0);
  // Categories with no value on either side carry no information (and would make chi-square undefined).
  const kept: number[] = [];
  let outside = 0;
  for (let c = 0; c < counts.length; c++) {
    const ref = c < codes.referenceSize ? codes.referenceCounts[c] : 0;
    if (c >= codes.referenceSize) outside += counts[c];
    if (ref > 0 || counts[c] > 0) kept.push(c);
  }
  const shares: CategoryShare[] = kept.map((c) => ({
    value: codes.labels[c],
    reference: c < codes.referenceSize && nRef ? codes.referenceCounts[c] / nRef : 0,
    current: present ? counts[c] / present : 0,
    seen: c < codes.referenceSize,
  }));
  let biggestMove: CategoryShare | undefined;
  for (const s of shares) if (!biggestMove || Math.abs(s.current - s.reference) > Math.abs(biggestMove.current - biggestMove.reference)) biggestMove = s;
  const census: ColumnCensus = {
    profile,
    missing,
    invalid,
    outside,
    present,
    currentMean: null,
    currentStd: null,
    histogram: EMPTY_HISTOGRAM,
    categories: topCategories(shares),
    evaluation: null,
    biggestMove,
  };
  if (nRef > 0 && present > 0) {
    const col = prepareCategoricalCounts(
      kept.map((c) => codes.labels[c]),
      Float64Array.from(kept, (c) => (c < codes.referenceSize ? codes.referenceCounts[c] : 0)),
      Float64Array.from(kept, (c) => counts[c]),
    );
    census.evaluation = evaluateColumn(col, { preset });
  }
  return census;
}

/** The MAX_CATEGORIES_SHOWN largest categories by either share; the rest summed into '(other)'. */
function topCategories(shares: CategoryShare[]): CategoryShare[] {
  if (shares.length <= MAX_CATEGORIES_SHOWN) return shares;
  const ranked = shares.slice().sort((a, b) => Math.max(b.reference, b.current) - Math.max(a.reference, a.current));
  const shown = ranked.slice(0, MAX_CATEGORIES_SHOWN - 1);
  const rest = ranked.slice(MAX_CATEGORIES_SHOWN - 1);
  shown.push({
    value: '(other)',
    reference: rest.reduce((s, c) => s + c.reference, 0),
    current: rest.reduce((s, c) => s + c.current, 0),
    seen: rest.every((c) => c.seen),
  });
  return shown;
}

function statisticOf(outcome: TestOutcome): number {
  return 'pValue' in outcome ? outcome.statistic : outcome.value;
}

/** The report's test list: the deciding test first, then the others in registry order. */
function testResults(evaluation: ColumnEvaluation, decided: { drifted: boolean; adjustedPValue: number | null }, level: number): TestResult[] {
  const deciding = evaluation.drift.test;
  const names = [deciding, ...(Object.keys(evaluation.tests) as TestName[]).filter((t) => t !== deciding)];
  return names.map((name) => {
    const test = getTest(name);
    const outcome = evaluation.tests[name]!;
    const pValue = 'pValue' in outcome ? outcome.pValue : null;
    const threshold = test.direction === 'p-value below' ? level : test.defaultThreshold;
    return {
      test: test.wireName,
      statistic: statisticOf(outcome),
      pValue,
      adjustedPValue: name === deciding ? decided.adjustedPValue : pValue,
      threshold,
      drifted: name === deciding ? decided.drifted : isDrift(test.direction, pValue ?? statisticOf(outcome), threshold),
    };
  });
}

/** A feature's verdict inputs: effect sizes, and integrity shares with their p-values under healthy traffic. */
function verdictInput(c: ColumnCensus, adjusted: ColumnEvaluation | null, n: number, features: number): VerdictInput {
  const share = (k: number, of: number) => (of ? k / of : 0);
  const fp = c.profile;
  const rows = fp.missingShare < 1 ? Math.round(fp.count / (1 - fp.missingShare)) : 0;
  // Bonferroni across the model's features, as the distribution tests are.
  const p = (k: number, of: number, p0: number) => Math.min(1, features * excessRatePValue(k, of, p0));
  const numeric = fp.kind === 'NUMERIC' && adjusted !== null && c.currentMean !== null && c.currentStd !== null;
  const ratio = (a: number, b: number) => (b > 0 ? a / b : a === 0 ? (numeric ? 0 : 1) : Infinity);
  return {
    kind: fp.kind,
    evaluation: adjusted,
    effect: adjusted ? effectOf(adjusted) : 0,
    shiftSigma: numeric ? ratio(Math.abs(c.currentMean! - fp.mean), fp.std) : null,
    scaleRatio: numeric ? (fp.std > 0 ? c.currentStd! / fp.std : c.currentStd === 0 ? 1 : Infinity) : null,
    excessMissing: { share: share(c.missing, n) - fp.missingShare, p: p(c.missing, n, referenceRate(Math.round(fp.missingShare * rows), rows)) },
    invalid: { share: share(c.invalid, n), p: p(c.invalid, n, referenceRate(0, rows)) },
    outOfRange: {
      share: share(c.outside, c.present),
      p: p(c.outside, c.present, fp.kind === 'NUMERIC' ? outsideRangeRate(fp.count) : referenceRate(0, fp.count)),
    },
  };
}

function featureReport(
  c: ColumnCensus,
  adjusted: ColumnEvaluation | null,
  n: number,
  features: number,
  levels: { enter: Levels; stay: Levels; calm: number },
  hold: EvaluationContext['hold'],
  fresh: boolean,
): FeatureReport {
  const input = verdictInput(c, adjusted, n, features);
  const enter = featureVerdict(input, levels.enter);
  const stay = featureVerdict(input, levels.stay);
  const held = holdStatus(hold?.prior.get(c.profile.name), enter.status, stay.status, hold ? levels.calm : 0, fresh);
  hold?.next.set(c.profile.name, held);
  const verdict = held.status === enter.status ? enter : stay;
  const missingShare = n ? c.missing / n : 0;
  const { invalid: { share: invalidShare }, outOfRange: { share: outOfRangeShare } } = input;
  const reasons: string[] = [];
  if (verdict.drifted && adjusted) {
    const t = getTest(adjusted.drift.test);
    const figure =
      t.direction === 'p-value below'
        ? `${t.wireName} ${c.profile.kind === 'NUMERIC' ? 'D' : 'TV'}=${fmt(verdict.effect)} (adjusted p=${fmt(adjusted.drift.score, 2)})`
        : `${t.wireName} ${fmt(adjusted.drift.score)} ≥ ${fmt(adjusted.drift.threshold)}`;
    const where =
      c.profile.kind === 'NUMERIC'
        ? `mean ${fmt(c.profile.mean)} → ${c.currentMean === null ? 'n/a' : fmt(c.currentMean)}`
        : c.biggestMove
          ? `'${c.biggestMove.value}' ${pct(c.biggestMove.reference)} → ${pct(c.biggestMove.current)}`
          : '';
    reasons.push(where ? `${figure}, ${where}` : figure);
  }
  for (const r of verdict.integrity) {
    if (r === 'missing') reasons.push(`missing ${pct(missingShare)} (reference ${pct(c.profile.missingShare)})`);
    if (r === 'invalid') reasons.push(`invalid values ${pct(invalidShare)} (wrong kind or not finite)`);
    if (r === 'outside') reasons.push(c.profile.kind === 'NUMERIC' ? `out of reference range ${pct(outOfRangeShare)}` : `unseen categories ${pct(outOfRangeShare)}`);
  }
  const numeric = c.profile.kind === 'NUMERIC' && c.profile.count > 0;
  return {
    name: c.profile.name,
    kind: c.profile.kind,
    status: held.status,
    drifted: verdict.drifted,
    reason: reasons.join('; '),
    severity: severityLine(
      {
        input,
        verdict: enter,
        status: held.status,
        referenceMean: numeric ? c.profile.mean : null,
        currentMean: c.currentMean,
        referenceStd: numeric ? c.profile.std : null,
        currentStd: c.currentStd,
      },
      levels.enter,
    ),
    tests: c.evaluation && adjusted ? testResults(c.evaluation, { drifted: verdict.drifted, adjustedPValue: getTest(adjusted.drift.test).direction === 'p-value below' ? adjusted.drift.score : null }, levels.enter.p) : [],
    decidingTest: adjusted ? getTest(adjusted.drift.test).wireName : '',
    nReference: c.profile.count,
    nCurrent: c.present,
    missingShare,
    outOfRangeShare,
    invalidShare,
    referenceMean: numeric ? c.profile.mean : null,
    currentMean: c.currentMean,
    histogram: c.histogram,
    categories: c.categories,
  };
}

function minMax(times: Float64Array): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < times.length; i++) {
    if (times[i] < lo) lo = times[i];
    if (times[i] > hi) hi = times[i];
  }
  return [lo, hi];
}

function sortedFinite(column: Float64Array): Float64Array {
  let k = 0;
  const out = new Float64Array(column.length);
  for (let i = 0; i < column.length; i++) if (Number.isFinite(column[i])) out[k++] = column[i];
  return out.subarray(0, k).sort();
}

export function evaluateWindow(
  profile: ReferenceProfile,
  layout: WindowLayout,
  window: WindowSnapshot,
  policy: DriftPolicy,
  ctx: EvaluationContext,
  /** Labelled predictions (see performance.ts), when ground truth arrives. */
  labeled?: WindowSnapshot,
): DriftReport {
  const n = window.times.length;
  const preset = enginePreset(policy);
  const census = profile.features.map((fp, i) => {
    const codes = layout.categories[i];
    return codes
      ? categoricalCensus(fp, codes, window.columns[i], preset)
      : numericCensus(fp, layout.numeric[i], window.columns[i], preset);
  });
  const tested = census.filter((c) => c.evaluation !== null);
  const { columns: adjustedColumns } = evaluateDataset(
    tested.map((c) => c.evaluation!),
    preset,
  );
  const adjusted = new Map(tested.map((c, i) => [c, adjustedColumns[i]]));
  const levels = { enter: enterLevels(policy), stay: stayLevels(policy), calm: policy.calmEvaluations };
  const fresh = ctx.eventsSinceLastReport > 0;
  const features = census.map((c) => featureReport(c, adjusted.get(c) ?? null, n, census.length, levels, ctx.hold, fresh));

  const driftedCount = features.filter((f) => f.drifted).length;
  const dataset = {
    drifted: driftedCount,
    total: features.length,
    share: features.length ? driftedCount / features.length : 0,
    threshold: policy.datasetShare,
    detected: features.length > 0 && driftedCount / features.length >= policy.datasetShare,
    correction: policy.correction,
  };

  // Prediction drift: class shares and the score distribution.
  const classCounts = new Array<number>(layout.classes.length).fill(0);
  const classColumn = window.columns[layout.classColumn];
  let known = 0;
  for (let i = 0; i < n; i++) {
    const c = classColumn[i];
    if (!Number.isNaN(c)) {
      classCounts[c]++;
      known++;
    }
  }
  const classes: ClassShare[] = profile.prediction.classes.map((c, i) => ({
    label: c.label,
    reference: c.share,
    current: known ? classCounts[i] / known : 0,
  }));
  const shift = classes.reduce((s, c) => s + Math.abs(c.reference - c.current), 0) / 2;
  // The outputs are tested at the same calibrated level as the features: at the conventional 5 % with
  // no effect floor, a healthy score distribution would raise a false AMBER several times an hour.
  const outputs = { ...policy, alpha: levels.enter.p };
  const cTest = classTest(
    profile.prediction.classes.map((c) => c.count),
    classCounts,
    outputs,
    shift,
  );
  const sTest = scoreTest(Float64Array.from(profile.prediction.scores), sortedFinite(window.columns[layout.scoreColumn]), outputs);
  const predictionDrifted = cTest.drifted || sTest.drifted;

  let missing = 0;
  let outOfRange = 0;
  let present = 0;
  for (const c of census) {
    missing += c.missing;
    outOfRange += c.outside;
    present += c.present;
  }
  const latencies = sortedFinite(window.columns[layout.latencyColumn]);
  const q = (p: number) => (latencies.length ? quantileSorted(latencies as unknown as number[], p) : 0);

  const performance = labeled ? evaluatePerformance(profile.performance ?? null, layout.classes, labeled, policy) : null;

  let status: Status = 'GREEN';
  for (const f of features) if (STATUS_RANK[f.status] > STATUS_RANK[status]) status = f.status;
  if (dataset.detected) status = 'RED';
  if (status === 'GREEN' && predictionDrifted) status = 'AMBER';
  if (performance && STATUS_RANK[performance.status] > STATUS_RANK[status]) status = performance.status;

  const flagged = features
    .filter((f) => f.status !== 'GREEN')
    .sort((a, b) => STATUS_RANK[b.status] - STATUS_RANK[a.status] || (b.tests[0]?.statistic ?? 0) - (a.tests[0]?.statistic ?? 0));
  const reasons = flagged.map((f) => `${f.name} ${f.status}: ${f.reason}`);
  if (dataset.detected) reasons.unshift(`dataset drift: ${dataset.drifted}/${dataset.total} features drifted`);
  if (performance && performance.status !== 'GREEN') reasons.unshift(`performance ${performance.status}: ${performance.reason}`);
  if (predictionDrifted) {
    reasons.push(
      `prediction drift: ${classes.map((c) => `${c.label} ${pct(c.reference)} → ${pct(c.current)}`).join(', ')}` +
        (sTest.drifted ? `; score KS D=${fmt(sTest.statistic)}` : ''),
    );
  }
  const [windowStart, windowEnd] = n ? minMax(window.times) : [ctx.evaluatedAt, ctx.evaluatedAt];

  return {
    reportId: ctx.reportId,
    modelId: profile.modelId,
    modelVersion: profile.modelVersion,
    evaluatedAt: ctx.evaluatedAt,
    windowStart,
    windowEnd,
    eventCount: n,
    status,
    reason: reasons.length ? reasons.join(' | ') : 'no drift',
    features,
    dataset,
    prediction: { classes, classTest: cTest, scoreTest: sTest, drifted: predictionDrifted },
    integrity: {
      missingShare: n && census.length ? missing / (n * census.length) : 0,
      outOfRangeShare: present ? outOfRange / present : 0,
      invalidEvents: ctx.invalidEvents,
      invalidEventsTotal: ctx.invalidEventsTotal,
      unknownFeatures: ctx.unknownFeatures ?? [],
    },
    latency: { p50: q(0.5), p95: q(0.95), p99: q(0.99) },
    throughput: {
      eventsPerSecond: ctx.secondsSinceLastReport > 0 ? ctx.eventsSinceLastReport / ctx.secondsSinceLastReport : 0,
      eventsSinceLastReport: ctx.eventsSinceLastReport,
    },
    engineLag: ctx.engineLag ?? null,
    performance,
  };
}
