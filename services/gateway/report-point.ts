/**
 * A drift report as the dashboard's time-series charts draw it: the one
 * explicit projection from the full DriftReport (≈ 33 KB with 30 features)
 * to what is plotted over time (≈ 2 KB; ≈ 35 bytes on the wire without
 * features). The gateway keeps a point for every report of the history and
 * ships points, not reports, in the websocket's `history` frame and on
 * `/api/models/:id/series`; the full report is fetched only for the latest
 * evaluation. A chart that draws a new field over time adds it here (and only
 * here: the wire columns in report-series.ts follow these keys).
 *
 * Drawn values are rounded to 4 significant digits: a chart is a few hundred
 * pixels tall, and the digits beyond cost two thirds of the bytes.
 */
import type { DriftReport, FeatureReport, Status, TestResult } from '../../pipeline/serde/drift-report.ts';

export interface FeaturePoint {
  name: string;
  status: Status;
  /** The primary test's name (the deciding test when it has a p-value: ks for numeric features). */
  test: string | null;
  /** Its adjusted p-value (the raw one when there is no adjustment). */
  p: number | null;
  /** Its significance level. */
  alpha: number | null;
  psi: number | null;
  psiThreshold: number | null;
}

export interface ReportPoint {
  evaluatedAt: number;
  status: Status;
  p95: number | null;
  eventsPerSecond: number | null;
  features: FeaturePoint[];
}

/** The test that decided the feature (the report names it; older reports put it first). */
export function decidingTest(f: Pick<FeatureReport, 'tests' | 'decidingTest'>): TestResult | undefined {
  return f.tests.find((t) => t.test === f.decidingTest) ?? f.tests[0];
}

/** The feature's p-value test for the p-value chart: the deciding test when it has a p-value, else the first that has one. */
export function primaryTest(f: Pick<FeatureReport, 'tests' | 'decidingTest'>): TestResult | undefined {
  const deciding = decidingTest(f);
  return deciding?.pValue != null ? deciding : f.tests.find((t) => t.pValue !== null);
}

export function psiTest(f: Pick<FeatureReport, 'tests'>): TestResult | undefined {
  return f.tests.find((t) => t.test === 'psi');
}

/** 4 significant digits; null for what JSON cannot carry (NaN, ±Infinity). */
export function drawn(value: number | null | undefined): number | null {
  if (value === null || value === undefined || !Number.isFinite(value)) return null;
  return Number(value.toPrecision(4));
}

export function featurePoint(f: FeatureReport): FeaturePoint {
  const primary = primaryTest(f);
  const psi = psiTest(f);
  return {
    name: f.name,
    status: f.status,
    test: primary?.test ?? null,
    p: drawn(primary ? (primary.adjustedPValue ?? primary.pValue) : null),
    alpha: primary?.threshold ?? null,
    psi: drawn(psi?.statistic),
    psiThreshold: psi?.threshold ?? null,
  };
}

export function reportPoint(report: DriftReport): ReportPoint {
  return {
    evaluatedAt: report.evaluatedAt,
    status: report.status,
    p95: drawn(report.latency.p95),
    eventsPerSecond: drawn(report.throughput.eventsPerSecond),
    features: report.features.map(featurePoint),
  };
}
