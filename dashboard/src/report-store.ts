/**
 * The page's copy of the reports: per model, in evaluatedAt order, without
 * duplicates (a reconnect replays the history) and bounded to the gateway's
 * per-model limit so that a page left open for days stays small.
 */
import type { DriftReport } from '../../pipeline/serde/drift-report.ts';

export class ReportStore {
  private readonly byModel = new Map<string, DriftReport[]>();
  private readonly seen = new Set<string>();

  constructor(public maxPerModel = 720) {}

  /** Adds the reports it has not seen; returns the models that changed. */
  add(reports: readonly DriftReport[]): Set<string> {
    const changed = new Set<string>();
    for (const report of reports) {
      if (this.seen.has(report.reportId)) continue;
      this.seen.add(report.reportId);
      let list = this.byModel.get(report.modelId);
      if (!list) this.byModel.set(report.modelId, (list = []));
      let at = list.length;
      while (at > 0 && list[at - 1].evaluatedAt > report.evaluatedAt) at--;
      list.splice(at, 0, report);
      for (const gone of list.splice(0, Math.max(0, list.length - this.maxPerModel))) this.seen.delete(gone.reportId);
      changed.add(report.modelId);
    }
    return changed;
  }

  models(): string[] {
    return [...this.byModel.keys()].sort((a, b) => a.localeCompare(b));
  }

  reports(modelId: string): readonly DriftReport[] {
    return this.byModel.get(modelId) ?? [];
  }

  latest(modelId: string): DriftReport | undefined {
    const list = this.byModel.get(modelId);
    return list?.[list.length - 1];
  }
}
