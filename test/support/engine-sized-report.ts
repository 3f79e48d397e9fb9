/**
 * A DriftReport as large as the engine's (≈ 33 KB for 30 features): the
 * synthetic report of drift-reports.ts with what the engine adds — four tests
 * per feature (KS, PSI, normalized Wasserstein, Jensen–Shannon) and a
 * 12-bin Sturges histogram — and full-precision doubles throughout, for
 * the gateway's size and memory tests.
 */
import type { DriftReport } from '../../pipeline/serde/drift-report.ts';
import { driftReport, type ReportSpec } from './drift-reports.ts';

const BINS = 12;

export function engineSizedReport(spec: ReportSpec): DriftReport {
  const report = driftReport(spec);
  const noise = () => Math.random() / 7;
  for (const f of report.features) {
    for (const t of f.tests) t.statistic += noise();
    f.tests.push(
      { test: 'wasserstein_norm', statistic: noise(), pValue: null, adjustedPValue: null, threshold: 0.1, drifted: false },
      { test: 'jensen_shannon', statistic: noise(), pValue: null, adjustedPValue: null, threshold: 0.1, drifted: false },
    );
    const lo = f.histogram.edges[0] + noise();
    const width = 1 + noise();
    f.histogram = {
      edges: Array.from({ length: BINS + 1 }, (_, i) => lo + i * width),
      reference: Array.from({ length: BINS }, (_, i) => 10 + i * 3),
      current: Array.from({ length: BINS }, (_, i) => 30 + i * 7),
    };
    f.referenceMean = (f.referenceMean ?? 0) + noise();
    f.currentMean = (f.currentMean ?? 0) + noise();
  }
  report.latency = { p50: 0.08 + noise(), p95: 0.2 + noise(), p99: 0.4 + noise() };
  report.throughput.eventsPerSecond += noise();
  return report;
}
