/** Alerts and reports as the engine would publish them, for the notify and retrain unit tests. */
import type { DriftReport, FeatureReport } from '../../../pipeline/serde/drift-report.ts';

export { reportAlerts } from '../../support/alerts.ts';

let seq = 0;

export function feature(name: string, over: Partial<FeatureReport> = {}): FeatureReport {
  return {
    name,
    kind: 'NUMERIC',
    status: 'GREEN',
    drifted: false,
    reason: '',
    severity: '',
    tests: [],
    decidingTest: 'ks',
    nReference: 170,
    nCurrent: 1000,
    missingShare: 0,
    outOfRangeShare: 0,
    invalidShare: 0,
    referenceMean: 1,
    currentMean: 1,
    histogram: { edges: [], reference: [], current: [] },
    categories: [],
    ...over,
  };
}

export function report(modelId: string, status: string, over: Partial<DriftReport> = {}): DriftReport {
  return {
    reportId: `r${++seq}`,
    modelId,
    modelVersion: 'v1',
    evaluatedAt: seq * 1000,
    windowStart: 0,
    windowEnd: 0,
    eventCount: 1000,
    status: status as DriftReport['status'],
    reason: status,
    features: [feature('a'), feature('b')],
    dataset: { drifted: 0, total: 2, share: 0, threshold: 0.5, detected: false, correction: 'bh' },
    prediction: {
      classes: [],
      classTest: { test: 'chi_square', statistic: 0, pValue: 1, adjustedPValue: null, threshold: 0.05, drifted: false },
      scoreTest: { test: 'ks', statistic: 0, pValue: 1, adjustedPValue: null, threshold: 0.05, drifted: false },
      drifted: false,
    },
    integrity: { missingShare: 0, outOfRangeShare: 0, invalidEvents: 0, invalidEventsTotal: 0, unknownFeatures: [] },
    latency: { p50: 0, p95: 0, p99: 0 },
    throughput: { eventsPerSecond: 0, eventsSinceLastReport: 0 },
    engineLag: null,
    performance: null,
    ...over,
  };
}

/** A RED report whose RED feature `a` drifted (KS), i.e. data drift. */
export function dataDriftReport(modelId: string, over: Partial<DriftReport> = {}): DriftReport {
  return report(modelId, 'RED', { features: [feature('a', { status: 'RED', drifted: true }), feature('b')], ...over });
}
