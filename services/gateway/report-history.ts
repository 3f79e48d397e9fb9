/**
 * The gateway's memory of recent drift reports, per model in evaluatedAt
 * order, bounded three ways: age (`maxAgeMs`), count (`maxPerModel`) and
 * bytes (`maxBytes`). Every report is kept as its point (report-point.ts,
 * what the charts draw); the full report is kept as its JSON text (one byte a
 * character on V8's heap, against ≈ 1.5× that as decoded objects) only while
 * the byte budget allows, oldest evicted first, except each model's latest,
 * which is always held. When points alone exceed the budget, the oldest
 * points of the model with the most go. Bytes are the JSON lengths of what is
 * held (the point's JSON stands for its heap cost), so `bytes()` is an
 * estimate of the history's heap, not a measurement.
 */
import type { DriftReport } from '../../pipeline/serde/drift-report.ts';
import type { ModelHistory, ModelSummary } from './messages.ts';
import { reportPoint, type ReportPoint } from './report-point.ts';
import { toColumns, type SeriesColumns } from './report-series.ts';

export interface HistoryLimits {
  maxAgeMs: number;
  maxPerModel: number;
  maxBytes: number;
}

interface Entry {
  reportId: string;
  point: ReportPoint;
  pointBytes: number;
  /** The full report's JSON, until evicted. */
  json: string | undefined;
}

interface Timeline {
  entries: Entry[];
  summary: Omit<ModelSummary, 'reports'>;
}

export class ReportHistory {
  private readonly byModel = new Map<string, Timeline>();
  private heldBytes = 0;
  /** Changes whenever what `histories()` returns may have changed. */
  version = 0;

  constructor(
    readonly limits: HistoryLimits,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Keeps the report in its model's timeline (in evaluatedAt order); returns
   * false when it is already too old or already there (a re-read after a seek).
   */
  add(report: DriftReport, json = JSON.stringify(report)): boolean {
    if (report.evaluatedAt < this.cutoff()) return false;
    let timeline = this.byModel.get(report.modelId);
    const entries = timeline?.entries ?? [];
    let at = entries.length;
    while (at > 0 && entries[at - 1].point.evaluatedAt > report.evaluatedAt) at--;
    for (let i = at - 1; i >= 0 && entries[i].point.evaluatedAt === report.evaluatedAt; i--) {
      if (entries[i].reportId === report.reportId) return false;
    }
    const point = reportPoint(report);
    const entry: Entry = { reportId: report.reportId, point, pointBytes: JSON.stringify(point).length, json };
    const summary = { modelId: report.modelId, modelVersion: report.modelVersion, status: report.status, reason: report.reason, evaluatedAt: report.evaluatedAt };
    if (!timeline) this.byModel.set(report.modelId, (timeline = { entries, summary }));
    else if (at === entries.length) timeline.summary = summary;
    entries.splice(at, 0, entry);
    this.heldBytes += entry.pointBytes + json.length;
    if (entries.length > this.limits.maxPerModel) this.remove(entries, 0, entries.length - this.limits.maxPerModel);
    this.enforceBytes();
    this.version++;
    return true;
  }

  /** Forgets what has aged out; models left with no report disappear. */
  prune(): void {
    const cutoff = this.cutoff();
    for (const [modelId, { entries }] of this.byModel) {
      const firstKept = entries.findIndex((e) => e.point.evaluatedAt >= cutoff);
      if (firstKept === 0) continue;
      this.remove(entries, 0, firstKept === -1 ? entries.length : firstKept);
      if (entries.length === 0) this.byModel.delete(modelId);
      this.version++;
    }
  }

  models(): ModelSummary[] {
    this.prune();
    return this.sorted().map(([, { entries, summary }]) => ({ ...summary, reports: entries.length }));
  }

  /** Every model's summary and points (without features): the websocket's `history`. */
  histories(): ModelHistory[] {
    this.prune();
    return this.sorted().map(([modelId, { entries, summary }]) => ({
      summary: { ...summary, reports: entries.length },
      series: toColumns(
        modelId,
        entries.map((e) => e.point),
      ),
    }));
  }

  /** The model's points evaluated at or after `since`, with the named features' columns; undefined for a model it does not know. */
  series(modelId: string, since = -Infinity, features: readonly string[] = []): SeriesColumns | undefined {
    const entries = this.entries(modelId);
    if (!entries) return undefined;
    return toColumns(
      modelId,
      entries.filter((e) => e.point.evaluatedAt >= since).map((e) => e.point),
      features,
    );
  }

  /**
   * The model's full reports evaluated at or after `since` that are still
   * held, oldest first, and the evaluatedAt of the oldest full report held.
   */
  reports(modelId: string, since = -Infinity): { reports: DriftReport[]; heldSince: number } | undefined {
    const entries = this.entries(modelId);
    if (!entries) return undefined;
    const held = entries.filter((e) => e.json !== undefined);
    return {
      reports: held.filter((e) => e.point.evaluatedAt >= since).map((e) => JSON.parse(e.json!) as DriftReport),
      heldSince: held[0].point.evaluatedAt,
    };
  }

  /** Reports in the history (as points). */
  size(): number {
    let n = 0;
    for (const { entries } of this.byModel.values()) n += entries.length;
    return n;
  }

  /** Full reports held. */
  fullReports(): number {
    let n = 0;
    for (const { entries } of this.byModel.values()) n += entries.filter((e) => e.json !== undefined).length;
    return n;
  }

  /** Estimated bytes held: JSON lengths of the full reports and the points. */
  bytes(): number {
    return this.heldBytes;
  }

  private entries(modelId: string): Entry[] | undefined {
    this.prune();
    return this.byModel.get(modelId)?.entries;
  }

  private sorted(): [string, Timeline][] {
    return [...this.byModel.entries()].sort(([a], [b]) => a.localeCompare(b));
  }

  private remove(entries: Entry[], from: number, count: number): void {
    for (const gone of entries.splice(from, count)) this.heldBytes -= gone.pointBytes + (gone.json?.length ?? 0);
  }

  /** Evicts full reports, oldest first but never a model's latest, then the oldest points of the longest timeline. */
  private enforceBytes(): void {
    while (this.heldBytes > this.limits.maxBytes) {
      let oldest: Entry | undefined;
      for (const { entries } of this.byModel.values()) {
        const candidate = entries.find((e, i) => e.json !== undefined && i < entries.length - 1);
        if (candidate && (!oldest || candidate.point.evaluatedAt < oldest.point.evaluatedAt)) oldest = candidate;
      }
      if (oldest) {
        this.heldBytes -= oldest.json!.length;
        oldest.json = undefined;
        continue;
      }
      let longest: Entry[] | undefined;
      for (const { entries } of this.byModel.values()) if (!longest || entries.length > longest.length) longest = entries;
      if (!longest || longest.length <= 1) return;
      this.remove(longest, 0, 1);
    }
  }

  private cutoff(): number {
    return this.now() - this.limits.maxAgeMs;
  }
}
