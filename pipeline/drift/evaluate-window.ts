/**
 * One evaluation of one model: its window against its reference profile,
 * turned into a DriftReport (schemas/drift-report.avsc). Pure: everything it
 * needs comes in as arguments.
 */
import { max, mean, min, quantileSorted } from 'simple-statistics';
import type { WindowSnapshot } from '../windows/event-window.ts';
import type { ReferenceProfile, FeatureProfile } from '../serde/reference-profile.ts';
import type { DriftReport, FeatureReport, Status, TestResult, ClassShare } from '../serde/drift-report.ts';
import { STATUS_RANK } from '../serde/drift-report.ts';
import type { DriftPolicy } from './drift-policy.ts';
import type { WindowLayout } from './window-layout.ts';
import { adjustPValues, classTest, featureTests, scoreTest } from './feature-tests.ts';
import { histogramCountsSorted, sturgesBinEdges } from '../stats/histogram-bin-edges.ts';
import { evaluatePerformance } from './performance.ts';

export interface EvaluationContext {
  reportId: string;
  evaluatedAt: number;
  /** Events dead-lettered for this model since the previous report, and in all. */
  invalidEvents: number;
  invalidEventsTotal: number;
  eventsSinceLastReport: number;
  secondsSinceLastReport: number;
}

const fmt = (x: number, digits = 3) => (Math.abs(x) >= 1000 || x === 0 ? x.toFixed(0) : x.toPrecision(digits));
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

interface FeatureWork {
  profile: FeatureProfile;
  reference: Float64Array;
  current: Float64Array;
  currentMean: number | null;
  missingShare: number;
  outOfRangeShare: number;
  tests: TestResult[];
}

function sortedPresent(column: Float64Array): { present: Float64Array; missing: number } {
  let missing = 0;
  for (let i = 0; i < column.length; i++) if (Number.isNaN(column[i])) missing++;
  const present = new Float64Array(column.length - missing);
  let k = 0;
  for (let i = 0; i < column.length; i++) if (!Number.isNaN(column[i])) present[k++] = column[i];
  return { present: present.sort(), missing };
}

/**
 * Reference and window counts on shared bins: Sturges' rule over the union of
 * both ranges (numpy.histogram_bin_edges on the concatenation), so values that
 * left the reference range are drawn where they went.
 */
function sharedHistogram(reference: Float64Array, current: Float64Array) {
  const edges = sturgesBinEdges(reference, current);
  return {
    edges: Array.from(edges),
    reference: Array.from(histogramCountsSorted(reference, edges)),
    current: Array.from(histogramCountsSorted(current, edges)),
  };
}

function meanOrNull(values: Float64Array): number | null {
  return values.length ? mean(values as unknown as number[]) : null;
}

function featureStatus(w: FeatureWork, policy: DriftPolicy): { status: Status; drifted: boolean; reason: string } {
  const primary = w.tests[0];
  const drifted = primary !== undefined && primary.drifted;
  const excessMissing = w.missingShare - w.profile.missingShare;
  const reasons: string[] = [];
  let status: Status = 'GREEN';
  const raise = (s: Status) => {
    if (STATUS_RANK[s] > STATUS_RANK[status]) status = s;
  };
  if (drifted) {
    raise(primary.statistic >= policy.redEffect ? 'RED' : 'AMBER');
    const curMean = w.currentMean;
    reasons.push(
      `${primary.test} D=${fmt(primary.statistic)} (adjusted p=${fmt(primary.adjustedPValue ?? Number.NaN, 2)}), ` +
        `mean ${fmt(w.profile.mean)} → ${curMean === null ? 'n/a' : fmt(curMean)}`,
    );
  }
  if (excessMissing >= policy.amberMissing) {
    raise(excessMissing >= policy.redMissing ? 'RED' : 'AMBER');
    reasons.push(`missing ${pct(w.missingShare)} (reference ${pct(w.profile.missingShare)})`);
  }
  if (w.outOfRangeShare >= policy.amberOutOfRange) {
    raise(w.outOfRangeShare >= policy.redOutOfRange ? 'RED' : 'AMBER');
    reasons.push(`out of reference range ${pct(w.outOfRangeShare)}`);
  }
  return { status, drifted, reason: reasons.join('; ') };
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
  const work: FeatureWork[] = profile.features.map((fp, i) => {
    const { present, missing } = sortedPresent(window.columns[i]);
    let outside = 0;
    for (let k = 0; k < present.length; k++) if (present[k] < fp.min || present[k] > fp.max) outside++;
    const reference = Float64Array.from(fp.values);
    return {
      profile: fp,
      reference,
      current: present,
      currentMean: meanOrNull(present),
      missingShare: n ? missing / n : 0,
      outOfRangeShare: present.length ? outside / present.length : 0,
      tests: present.length ? featureTests(reference, present, policy) : [],
    };
  });
  adjustPValues(
    work.map((w) => w.tests[0]),
    policy,
  );

  const features: FeatureReport[] = work.map((w) => {
    const { status, drifted, reason } = featureStatus(w, policy);
    return {
      name: w.profile.name,
      kind: 'NUMERIC',
      status,
      drifted,
      reason,
      tests: w.tests,
      nReference: w.profile.values.length,
      nCurrent: w.current.length,
      missingShare: w.missingShare,
      outOfRangeShare: w.outOfRangeShare,
      referenceMean: w.profile.mean,
      currentMean: w.currentMean,
      histogram: sharedHistogram(w.reference, w.current),
    };
  });

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
  const cTest = classTest(
    profile.prediction.classes.map((c) => c.count),
    classCounts,
    policy,
    shift,
  );
  const scores = Float64Array.from(window.columns[layout.scoreColumn]).sort();
  const sTest = scoreTest(Float64Array.from(profile.prediction.scores), scores, policy);
  const predictionDrifted = cTest.drifted || sTest.drifted;

  let missing = 0;
  let outOfRange = 0;
  let present = 0;
  for (const w of work) {
    missing += w.missingShare * n;
    outOfRange += w.outOfRangeShare * w.current.length;
    present += w.current.length;
  }
  const latencies = Float64Array.from(window.columns[layout.latencyColumn]).sort();
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

  return {
    reportId: ctx.reportId,
    modelId: profile.modelId,
    modelVersion: profile.modelVersion,
    evaluatedAt: ctx.evaluatedAt,
    windowStart: n ? min(window.times as unknown as number[]) : ctx.evaluatedAt,
    windowEnd: n ? max(window.times as unknown as number[]) : ctx.evaluatedAt,
    eventCount: n,
    status,
    reason: reasons.length ? reasons.join(' | ') : 'no drift',
    features,
    dataset,
    prediction: { classes, classTest: cTest, scoreTest: sTest, drifted: predictionDrifted },
    integrity: {
      missingShare: n && work.length ? missing / (n * work.length) : 0,
      outOfRangeShare: present ? outOfRange / present : 0,
      invalidEvents: ctx.invalidEvents,
      invalidEventsTotal: ctx.invalidEventsTotal,
    },
    latency: { p50: q(0.5), p95: q(0.95), p99: q(0.99) },
    throughput: {
      eventsPerSecond: ctx.secondsSinceLastReport > 0 ? ctx.eventsSinceLastReport / ctx.secondsSinceLastReport : 0,
      eventsSinceLastReport: ctx.eventsSinceLastReport,
    },
    performance,
  };
}
