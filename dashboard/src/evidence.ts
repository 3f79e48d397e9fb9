/**
 * What the page derives from a model's reports: since when a status has
 * held, a feature's test series for the charts (from report points, see
 * services/gateway/report-point.ts), the histogram as shares. Pure
 * functions, unit-tested without a browser.
 */
import type { FeatureReport, Status } from '../../pipeline/serde/drift-report.ts';
import { decidingTest, primaryTest, psiTest, type ReportPoint } from '../../services/gateway/report-point.ts';

export { decidingTest, primaryTest, psiTest };

/** The evaluatedAt of the first report of the current unbroken run of `statusOf(latest)`. */
export function statusSince<R extends { evaluatedAt: number }>(reports: readonly R[], statusOf: (r: R) => Status | undefined): number | undefined {
  if (reports.length === 0) return undefined;
  const current = statusOf(reports[reports.length - 1]);
  let since = reports[reports.length - 1].evaluatedAt;
  for (let i = reports.length - 2; i >= 0 && statusOf(reports[i]) === current; i--) since = reports[i].evaluatedAt;
  return since;
}

/** The named feature of a report or a report point. */
export function feature<F extends { name: string }>(report: { features: readonly F[] }, name: string): F | undefined {
  return report.features.find((f) => f.name === name);
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

export function featureSeries(points: readonly ReportPoint[], name: string): FeatureSeries {
  const series: FeatureSeries = { time: [], pValue: [], alpha: [], psi: [], psiThreshold: [], testName: undefined };
  for (const point of points) {
    const f = feature(point, name);
    series.testName ??= f?.test ?? undefined;
    series.time.push(point.evaluatedAt / 1000);
    series.pValue.push(f?.p == null ? null : Math.max(P_FLOOR, f.p));
    series.alpha.push(f?.alpha ?? null);
    series.psi.push(f?.psi ?? null);
    series.psiThreshold.push(f?.psiThreshold ?? null);
  }
  return series;
}

export interface OpsSeries {
  time: number[];
  p95: (number | null)[];
  eventsPerSecond: (number | null)[];
}

export function opsSeries(points: readonly ReportPoint[]): OpsSeries {
  return {
    time: points.map((p) => p.evaluatedAt / 1000),
    p95: points.map((p) => p.p95),
    eventsPerSecond: points.map((p) => p.eventsPerSecond),
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

/** Short names of the deciding statistics on a tile. */
const TILE_NAMES: Record<string, string> = { ks: 'D', ks_mean: 'D', chi_square_homogeneity: 'χ²', chi_square: 'χ²', z_test: 'z', wasserstein_norm: 'W1/σ', jensen_shannon: 'JS' };

/** A feature's headline numbers for its tile: the deciding test's statistic (KS D, χ², …) and PSI. */
export function tileFigures(f: FeatureReport): string {
  const primary = decidingTest(f);
  const psi = psiTest(f);
  const parts: string[] = [];
  if (f.kind === 'CATEGORICAL') parts.push('cat.');
  if (primary) parts.push(`${TILE_NAMES[primary.test] ?? primary.test} ${formatNumber(primary.statistic)}`);
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
