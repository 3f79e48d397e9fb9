/**
 * The page's copy of what the gateway sent, per model: its summary, its
 * report points in evaluatedAt order (at most the gateway's per-model limit,
 * so that a page left open for days stays small) and, when the page has it,
 * the latest full report. The websocket's `history` replaces everything (it
 * is the gateway's whole state, replayed on every reconnect) and carries
 * points without features; a feature's points are merged in when fetched
 * (`addSeries`), and a live report adds its point with every feature.
 */
import type { DriftReport } from '../../pipeline/serde/drift-report.ts';
import type { ModelHistory, ModelSummary } from '../../services/gateway/messages.ts';
import { reportPoint, type ReportPoint } from '../../services/gateway/report-point.ts';
import { fromColumns, type SeriesColumns } from '../../services/gateway/report-series.ts';

export type Summary = Omit<ModelSummary, 'reports'>;

interface ModelState {
  summary: Summary;
  points: ReportPoint[];
  latest: DriftReport | undefined;
  /** Features whose points have been fetched since the last `history`. */
  loaded: Set<string>;
}

function summaryOf(report: DriftReport): Summary {
  const { modelId, modelVersion, status, reason, evaluatedAt } = report;
  return { modelId, modelVersion, status, reason, evaluatedAt };
}

export class ReportStore {
  private byModel = new Map<string, ModelState>();

  constructor(public maxPerModel = 720) {}

  /** Replaces the store's content with a `history` message; keeps a model's full report if it is still its latest. */
  setHistory(models: readonly ModelHistory[]): void {
    const previous = this.byModel;
    this.byModel = new Map();
    for (const { summary, series } of models) {
      const latest = previous.get(summary.modelId)?.latest;
      this.byModel.set(summary.modelId, {
        summary,
        points: fromColumns(series).slice(-this.maxPerModel),
        latest: latest?.evaluatedAt === summary.evaluatedAt ? latest : undefined,
        loaded: new Set(),
      });
    }
  }

  /** A full report, live or fetched; returns false when it is the latest one already there. */
  addReport(report: DriftReport): boolean {
    let state = this.byModel.get(report.modelId);
    if (!state) this.byModel.set(report.modelId, (state = { summary: summaryOf(report), points: [], latest: undefined, loaded: new Set() }));
    if (state.latest?.reportId === report.reportId) return false;
    if (report.evaluatedAt >= state.summary.evaluatedAt) {
      state.summary = summaryOf(report);
      state.latest = report;
    }
    const { points } = state;
    let at = points.length;
    while (at > 0 && points[at - 1].evaluatedAt > report.evaluatedAt) at--;
    if (at > 0 && points[at - 1].evaluatedAt === report.evaluatedAt) points[at - 1] = reportPoint(report);
    else {
      points.splice(at, 0, reportPoint(report));
      points.splice(0, Math.max(0, points.length - this.maxPerModel));
    }
    return true;
  }

  /** Merges fetched points: each named feature's values join the point of the same evaluatedAt. */
  addSeries(series: SeriesColumns): void {
    const state = this.byModel.get(series.modelId);
    if (!state) return;
    const names = new Set(series.features.map((f) => f.name));
    const byTime = new Map(state.points.map((p) => [p.evaluatedAt, p]));
    for (const fetched of fromColumns(series)) {
      const mine = byTime.get(fetched.evaluatedAt);
      if (mine) mine.features = [...mine.features.filter((f) => !names.has(f.name)), ...fetched.features];
    }
    for (const name of names) state.loaded.add(name);
  }

  models(): string[] {
    return [...this.byModel.keys()].sort((a, b) => a.localeCompare(b));
  }

  summary(modelId: string): Summary | undefined {
    return this.byModel.get(modelId)?.summary;
  }

  points(modelId: string): readonly ReportPoint[] {
    return this.byModel.get(modelId)?.points ?? [];
  }

  /** The model's latest full report, when the page has it. */
  latest(modelId: string): DriftReport | undefined {
    const state = this.byModel.get(modelId);
    return state?.latest?.evaluatedAt === state?.summary.evaluatedAt ? state?.latest : undefined;
  }

  /** Whether the feature's points over the whole history are here. */
  hasFeature(modelId: string, name: string): boolean {
    return this.byModel.get(modelId)?.loaded.has(name) ?? false;
  }
}
