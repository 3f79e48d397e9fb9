/**
 * What the page derives from a model's reports: since when a status has
 * held, a feature's test series for the charts, the histogram as shares.
 * Pure functions over DriftReports, unit-tested without a browser.
 */
import type { DriftReport, FeatureReport, Status, TestResult } from '../../pipeline/serde/drift-report.ts';

/** The evaluatedAt of the first report of the current unbroken run of `statusOf(latest)`. */
export function statusSince(reports: readonly DriftReport[], statusOf: (r: DriftReport) => Status | undefined): number | undefined {
  if (reports.length === 0) return undefined;
  const current = statusOf(reports[reports.length - 1]);
  let since = reports[reports.length - 1].evaluatedAt;
  for (let i = reports.length - 2; i >= 0 && statusOf(reports[i]) === current; i--) since = reports[i].evaluatedAt;
  return since;
}

export function feature(report: DriftReport, name: string): FeatureReport | undefined {
  return report.features.find((f) => f.name === name);
}

/** The feature's p-value test: KS for numeric features, else the first test that has a p-value. */
export function primaryTest(f: FeatureReport): TestResult | undefined {
  return f.tests.find((t) => t.test === 'ks') ?? f.tests.find((t) => t.pValue !== null);
}

export function psiTest(f: FeatureReport): TestResult | undefined {
  return f.tests.find((t) => t.test === 'psi');
}

/** Smallest p-value drawn on the log axis: 0 and underflows are shown there. */
export const P_FLOOR = 1e-12;

export interface FeatureSeries {
  /** evaluatedAt in seconds (uPlot's time unit). */
  time: number[];
  pValue: (number | null)[];
  alpha: (number | null)[];
  psi: (number | null)[];
  psiThreshold: (number | null)[];
  testName: string | undefined;
}

export function featureSeries(reports: readonly DriftReport[], name: string): FeatureSeries {
  const series: FeatureSeries = { time: [], pValue: [], alpha: [], psi: [], psiThreshold: [], testName: undefined };
  for (const report of reports) {
    const f = feature(report, name);
    const primary = f && primaryTest(f);
    const psi = f && psiTest(f);
    series.testName ??= primary?.test;
    const p = primary ? (primary.adjustedPValue ?? primary.pValue) : null;
    series.time.push(report.evaluatedAt / 1000);
    series.pValue.push(p === null || !Number.isFinite(p) ? null : Math.max(P_FLOOR, p));
    series.alpha.push(primary?.threshold ?? null);
    series.psi.push(psi && Number.isFinite(psi.statistic) ? psi.statistic : null);
    series.psiThreshold.push(psi?.threshold ?? null);
  }
  return series;
}

export interface OpsSeries {
  time: number[];
  p95: number[];
  eventsPerSecond: number[];
}

export function opsSeries(reports: readonly DriftReport[]): OpsSeries {
  return {
    time: reports.map((r) => r.evaluatedAt / 1000),
    p95: reports.map((r) => r.latency.p95),
    eventsPerSecond: reports.map((r) => r.throughput.eventsPerSecond),
  };
}

/**
 * The histogram as shares of each side's total, laid out for step lines:
 * x = the bin edges, y[i] = share of bin i, repeated at the last edge.
 */
export function histogramSteps(f: FeatureReport): { edges: number[]; reference: number[]; current: number[] } {
  const { edges, reference, current } = f.histogram;
  const shares = (counts: number[]) => {
    const total = counts.reduce((a, b) => a + b, 0) || 1;
    const s = counts.map((c) => c / total);
    return [...s, s[s.length - 1] ?? 0];
  };
  return { edges: [...edges], reference: shares(reference), current: shares(current) };
}

/** A feature's headline numbers for its tile: KS D (or the primary statistic) and PSI. */
export function tileFigures(f: FeatureReport): string {
  const primary = primaryTest(f);
  const psi = psiTest(f);
  const parts: string[] = [];
  if (primary) parts.push(`${primary.test === 'ks' ? 'D' : primary.test} ${formatNumber(primary.statistic)}`);
  if (psi) parts.push(`PSI ${formatNumber(psi.statistic)}`);
  return parts.join(' · ');
}

export function formatNumber(value: number | null | undefined, digits = 3): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '–';
  if (value !== 0 && Math.abs(value) < 10 ** -digits) return value.toExponential(1);
  return Number(value.toFixed(digits)).toString();
}

export function formatPercent(share: number): string {
  return `${formatNumber(share * 100, 1)} %`;
}
