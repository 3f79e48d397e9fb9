/**
 * The gateway's memory of recent drift reports: per model, the reports of the
 * last `maxAgeMs` (by evaluatedAt) and at most `maxPerModel` of them, oldest
 * first. What a websocket client gets on connect and what the REST API reads;
 * bounded both ways so that a long-running gateway never grows without limit.
 */
import type { DriftReport, Status } from '../../pipeline/serde/drift-report.ts';

export interface HistoryLimits {
  maxAgeMs: number;
  maxPerModel: number;
}

export interface ModelSummary {
  modelId: string;
  modelVersion: string;
  status: Status;
  reason: string;
  evaluatedAt: number;
  reports: number;
}

export class ReportHistory {
  private readonly byModel = new Map<string, DriftReport[]>();

  constructor(
    readonly limits: HistoryLimits,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Keeps the report in its model's timeline (in evaluatedAt order); returns
   * false when it is already too old or already there (a re-read after a seek).
   */
  add(report: DriftReport): boolean {
    if (report.evaluatedAt < this.cutoff()) return false;
    let reports = this.byModel.get(report.modelId);
    if (!reports) this.byModel.set(report.modelId, (reports = []));
    let at = reports.length;
    while (at > 0 && reports[at - 1].evaluatedAt > report.evaluatedAt) at--;
    for (let i = at - 1; i >= 0 && reports[i].evaluatedAt === report.evaluatedAt; i--) {
      if (reports[i].reportId === report.reportId) return false;
    }
    reports.splice(at, 0, report);
    if (reports.length > this.limits.maxPerModel) reports.splice(0, reports.length - this.limits.maxPerModel);
    return true;
  }

  /** Forgets what has aged out; models left with no report disappear. */
  prune(): void {
    const cutoff = this.cutoff();
    for (const [modelId, reports] of this.byModel) {
      const firstKept = reports.findIndex((r) => r.evaluatedAt >= cutoff);
      if (firstKept === -1) this.byModel.delete(modelId);
      else if (firstKept > 0) reports.splice(0, firstKept);
    }
  }

  models(): ModelSummary[] {
    this.prune();
    return [...this.byModel.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([modelId, reports]) => {
        const latest = reports[reports.length - 1];
        return {
          modelId,
          modelVersion: latest.modelVersion,
          status: latest.status,
          reason: latest.reason,
          evaluatedAt: latest.evaluatedAt,
          reports: reports.length,
        };
      });
  }

  /** The model's reports evaluated at or after `since`, oldest first; undefined for a model it does not know. */
  reports(modelId: string, since = -Infinity): DriftReport[] | undefined {
    this.prune();
    const reports = this.byModel.get(modelId);
    return reports?.filter((r) => r.evaluatedAt >= since);
  }

  /** Every model's reports, oldest first within a model. */
  all(): DriftReport[] {
    this.prune();
    return [...this.byModel.values()].flat();
  }

  size(): number {
    let n = 0;
    for (const reports of this.byModel.values()) n += reports.length;
    return n;
  }

  private cutoff(): number {
    return this.now() - this.limits.maxAgeMs;
  }
}
