/**
 * Reports with no evaluated window. A model whose evaluation threw gets an
 * AMBER one with the error as its reason, so that a monitor that cannot judge
 * a model says so instead of going quiet — and the other models' reports
 * still go out. A STALE model whose window has emptied gets a STALE one.
 */
import type { DriftReport, Status } from '../serde/drift-report.ts';
import type { ReferenceProfile } from '../serde/reference-profile.ts';
import type { EvaluationContext } from '../drift/evaluate-window.ts';

const MAX_REASON = 500;

export function failedReport(profile: ReferenceProfile, ctx: EvaluationContext, err: unknown): DriftReport {
  const message = err instanceof Error ? err.message : String(err);
  return emptyReport(profile, ctx, 'AMBER', `evaluation failed: ${message.slice(0, MAX_REASON)}`);
}

export function emptyReport(profile: ReferenceProfile, ctx: EvaluationContext, status: Status, reason: string): DriftReport {
  const none = { test: 'none', statistic: 0, pValue: null, adjustedPValue: null, threshold: 0, drifted: false };
  return {
    reportId: ctx.reportId,
    modelId: profile.modelId,
    modelVersion: profile.modelVersion,
    evaluatedAt: ctx.evaluatedAt,
    windowStart: ctx.evaluatedAt,
    windowEnd: ctx.evaluatedAt,
    eventCount: 0,
    status,
    reason,
    features: [],
    dataset: { drifted: 0, total: 0, share: 0, threshold: 0, detected: false, correction: 'none' },
    prediction: { classes: [], classTest: none, scoreTest: none, drifted: false },
    integrity: {
      missingShare: 0,
      outOfRangeShare: 0,
      invalidEvents: ctx.invalidEvents,
      invalidEventsTotal: ctx.invalidEventsTotal,
      unknownFeatures: ctx.unknownFeatures ?? [],
    },
    latency: { p50: 0, p95: 0, p99: 0 },
    throughput: {
      eventsPerSecond: ctx.secondsSinceLastReport > 0 ? ctx.eventsSinceLastReport / ctx.secondsSinceLastReport : 0,
      eventsSinceLastReport: ctx.eventsSinceLastReport,
    },
    engineLag: ctx.engineLag ?? null,
    performance: null,
  };
}
