/**
 * The drift engine's logic with no I/O: events, labels and reference profiles
 * in; drift reports and alerts out, on a clock the caller supplies. The kafkajs
 * adapter (services/engine/drift-engine.ts), the unit tests and
 * `aegis backtest` drive the same processor, as Kafka Streams' processors are
 * driven by the runtime and by its TopologyTestDriver.
 *
 * Evaluating is two steps: `evaluate(now)` computes the reports and alerts
 * without changing any state, and the caller `commit`s them once they are
 * published. A failed publish therefore loses no counts and raises no alert
 * twice: the next evaluation covers the same events again.
 *
 * Records read again to refill a window (after a restart or a handover, the
 * adapter re-reads what the previous owner had already reported) are passed
 * with `replay`: they fill the window and join labels but are not counted
 * again. What a previous owner published is restored with `restoreReport`:
 * the alert state, the invalid-event total and the time of the last report,
 * from which the next report's rate is taken.
 */
import type { InferenceEvent } from '../serde/inference-event.ts';
import type { Label } from '../serde/label.ts';
import type { ReferenceProfile } from '../serde/reference-profile.ts';
import type { DriftReport, EngineLag, UnknownFeature } from '../serde/drift-report.ts';
import type { Alert } from '../serde/alert.ts';
import { AlertTracker } from '../drift/alert-tracker.ts';
import { evaluateWindow, type EvaluationContext } from '../drift/evaluate-window.ts';
import type { DriftPolicy } from '../drift/drift-policy.ts';
import { LABELED_WIDTH } from '../drift/performance.ts';
import { WindowLayout } from '../drift/window-layout.ts';
import type { EventWindow } from '../windows/event-window.ts';
import { SlidingWindow } from '../windows/sliding-window.ts';
import { TimeReservoirWindow } from '../windows/time-reservoir-window.ts';
import { RecentIndex } from '../windows/recent-index.ts';
import { emptyReport, failedReport } from './failed-report.ts';
import type { HeldStatus } from '../drift/status-hold.ts';

const fmtSeconds = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;

export type WindowSpec = { kind: 'count'; size: number } | { kind: 'time'; spanMs: number; capacity: number };

export interface ProcessorConfig {
  minSamples: number;
  window: WindowSpec;
  policy: DriftPolicy;
  /**
   * A model whose newest event arrived longer ago than this is reported
   * STALE: its window no longer moves, so its figures describe the past.
   * Default: never (a backtest has no wall clock to fall behind).
   */
  staleAfterMs?: number;
}

/** Why an event could not be used at all; the caller dead-letters it with this. */
export interface Rejection {
  kind: 'UNKNOWN_MODEL' | 'INVALID';
  reason: string;
}

/** Most distinct unknown feature names remembered per model between two reports. */
const MAX_UNKNOWN_NAMES = 20;

interface ModelState {
  ref: ReferenceProfile;
  layout: WindowLayout;
  window: EventWindow;
  row: Float64Array;
  partition: number;
  eventsSinceReport: number;
  /** When the first event counted since the previous report arrived (null: none yet). */
  firstCountedAt: number | null;
  /** When the newest event arrived (the caller's clock; a replayed record's own timestamp). */
  lastArrival: number;
  unknown: Map<string, number>;
  /** eventId → predicted class index of recent predictions, for joining labels. */
  predictions: RecentIndex<number>;
  /**
   * eventId → [true class index, labeledAt] of labels that came before their
   * prediction: the two topics are consumed independently, so a label sent
   * right after its event can be read first. Joined when the event arrives.
   */
  early: RecentIndex<[number, number]>;
  labeled: SlidingWindow;
  /** Each feature's held status (hysteresis, pipeline/drift/status-hold.ts). */
  held: ReadonlyMap<string, HeldStatus>;
}

/** What the last published report of a model (by any engine) says the next one continues from. */
interface Reported {
  at: number;
  invalidTotal: number;
  partition: number;
}

export interface ProcessorStats {
  eventsConsumed: number;
  /** Records read again only to refill windows (not counted in any report). */
  eventsReplayed: number;
  labelsJoined: number;
  labelsUnmatched: number;
  labelsUnknownClass: number;
  evaluationsFailed: number;
}

/** What one evaluation produced, to publish and then commit. */
export interface Evaluation {
  reports: DriftReport[];
  alerts: Alert[];
  /** Applies the evaluation's state changes (counters reset, alert state); call once published. */
  commit(): void;
}

export class DriftProcessor {
  readonly stats: ProcessorStats = { eventsConsumed: 0, eventsReplayed: 0, labelsJoined: 0, labelsUnmatched: 0, labelsUnknownClass: 0, evaluationsFailed: 0 };
  private readonly references = new Map<string, { profile: ReferenceProfile; layout: WindowLayout }>();
  private readonly models = new Map<string, ModelState>();
  /** Dead-lettered events per model since its last report, with the model's partition. */
  private readonly invalid = new Map<string, { sinceReport: number; partition: number }>();
  private readonly reported = new Map<string, Reported>();
  /** Partitions this instance holds; null: all (a backtest, a single engine before its first assignment). */
  private owned: ReadonlySet<number> | null = null;
  private readonly tracker: AlertTracker;

  constructor(
    private readonly config: ProcessorConfig,
    private readonly newId: () => string,
    private readonly random: () => number = Math.random,
  ) {
    this.tracker = new AlertTracker(newId);
  }

  /** Sets (or replaces) a model's reference; a new version restarts its window. */
  setReference(profile: ReferenceProfile): boolean {
    const known = this.references.get(profile.modelId);
    this.references.set(profile.modelId, { profile, layout: new WindowLayout(profile) });
    const changed = known !== undefined && known.profile.modelVersion !== profile.modelVersion;
    if (changed) this.models.delete(profile.modelId);
    return changed;
  }

  reference(modelId: string): ReferenceProfile | undefined {
    return this.references.get(modelId)?.profile;
  }

  get modelCount(): number {
    return this.references.size;
  }

  /** Restores alert state (e.g. replayed from the alerts topic) so nothing is raised twice. */
  restoreAlert(alert: Alert): void {
    this.tracker.restore(alert);
  }

  /**
   * Continues from a published report (read back from the reports topic,
   * whoever wrote it): its statuses are the alert state, its invalid total
   * and time the base of the next report. An older report than the one
   * already known changes nothing.
   */
  restoreReport(report: DriftReport, partition: number): void {
    this.tracker.restoreReport(report);
    const known = this.reported.get(report.modelId);
    if (known && known.at >= report.evaluatedAt) return;
    this.reported.set(report.modelId, { at: report.evaluatedAt, invalidTotal: report.integrity.invalidEventsTotal, partition });
  }

  /** Forgets the windows and uncounted events of models whose partition this instance no longer holds. */
  retainPartitions(assigned: ReadonlySet<number>): void {
    this.owned = new Set(assigned);
    for (const [id, m] of this.models) if (!assigned.has(m.partition)) this.models.delete(id);
    for (const [id, c] of this.invalid) if (!assigned.has(c.partition)) this.invalid.delete(id);
  }

  /** Counts an inference record of `modelId` (the record key) that was dead-lettered. */
  countInvalid(modelId: string, partition: number): void {
    const counter = this.invalid.get(modelId) ?? { sinceReport: 0, partition };
    counter.sinceReport++;
    counter.partition = partition;
    this.invalid.set(modelId, counter);
  }

  /**
   * Adds one event to its model's window, or says why it cannot be used.
   * `replay`: a record re-read to refill the window, already counted in a
   * published report; `now` is then the record's own timestamp.
   */
  inference(event: InferenceEvent, partition: number, now: number, replay = false): Rejection | null {
    const ref = this.references.get(event.modelId);
    if (!ref) return { kind: 'UNKNOWN_MODEL', reason: 'no reference profile for this model on aegis.references.v1' };
    let state = this.models.get(event.modelId);
    if (!state) state = this.newState(ref.profile, ref.layout, partition);
    state.partition = partition;
    const carried = ref.layout.row(event, state.row, (name) => {
      const unknown = state.unknown;
      if (unknown.has(name) || unknown.size < MAX_UNKNOWN_NAMES) unknown.set(name, (unknown.get(name) ?? 0) + 1);
    });
    if (carried === 0) {
      return { kind: 'INVALID', reason: `the event carries none of the ${ref.layout.features.length} features of this model's reference` };
    }
    state.window.push(event.eventTime, state.row);
    state.lastArrival = Math.max(state.lastArrival, now);
    const predicted = state.row[ref.layout.classColumn];
    const early = state.early.take(event.eventId);
    if (early) {
      state.labeled.push(early[1], [predicted, early[0]]);
      if (!replay) this.stats.labelsJoined++;
    } else state.predictions.set(event.eventId, predicted);
    if (replay) {
      this.stats.eventsReplayed++;
      return null;
    }
    state.eventsSinceReport++;
    state.firstCountedAt ??= now;
    this.stats.eventsConsumed++;
    return null;
  }

  /**
   * Joins a ground-truth label to its prediction, by eventId. A label of a
   * class the model does not have is rejected (dead-lettered by the caller),
   * and counted on its own, never as an invalid inference event.
   */
  label(label: Label, _now: number, replay = false): 'joined' | 'early' | 'unmatched' | Rejection {
    const ref = this.references.get(label.modelId);
    if (!ref) return { kind: 'UNKNOWN_MODEL', reason: 'no reference profile for this model on aegis.references.v1' };
    const actual = ref.layout.classOf(label.label);
    if (actual < 0) {
      if (!replay) this.stats.labelsUnknownClass++;
      return { kind: 'INVALID', reason: `label ${JSON.stringify(label.label.slice(0, 200))} is not one of the model's classes (${ref.layout.classes.join(', ').slice(0, 500)})` };
    }
    const state = this.models.get(label.modelId) ?? this.newState(ref.profile, ref.layout, -1);
    const predicted = state.predictions.take(label.eventId);
    if (predicted === undefined) {
      if (state.early.get(label.eventId) !== undefined) {
        if (!replay) this.stats.labelsUnmatched++;
        return 'unmatched';
      }
      state.early.set(label.eventId, [actual, label.labeledAt]);
      return 'early';
    }
    state.labeled.push(label.labeledAt, [predicted, actual]);
    if (!replay) this.stats.labelsJoined++;
    return 'joined';
  }

  private isStale(lastArrival: number, now: number): boolean {
    return now - lastArrival > (this.config.staleAfterMs ?? Infinity);
  }

  private staleReason(lastArrival: number, now: number): string {
    const after = `stale after ${fmtSeconds(this.config.staleAfterMs!)}`;
    return Number.isFinite(lastArrival)
      ? `STALE: no events for ${fmtSeconds(now - lastArrival)} (${after})`
      : `STALE: no events since this engine took the model over (${after})`;
  }

  /**
   * Evaluates every model with at least minSamples events, and reports STALE
   * any model whose newest event is older than staleAfterMs and that has been
   * reported before (or still has a full window). A model whose evaluation
   * throws gets a report saying so; the others are unaffected.
   * @param lagOf how far the caller is behind a partition, for the report
   */
  evaluate(now: number, lagOf: (partition: number) => EngineLag | null = () => null): Evaluation {
    const reports: DriftReport[] = [];
    const evaluated: Array<ModelState | undefined> = [];
    const held: Array<Map<string, HeldStatus> | undefined> = [];
    const context = (modelId: string, partition: number, state: ModelState | undefined): EvaluationContext => {
      const invalid = this.invalid.get(modelId)?.sinceReport ?? 0;
      const reported = this.reported.get(modelId);
      // Rates come from times, never from "since this engine started": the previous report (by any engine), else the first event's arrival.
      const since = reported?.at ?? state?.firstCountedAt ?? now;
      return {
        reportId: this.newId(),
        evaluatedAt: now,
        invalidEvents: invalid,
        invalidEventsTotal: (reported?.invalidTotal ?? 0) + invalid,
        eventsSinceLastReport: state?.eventsSinceReport ?? 0,
        secondsSinceLastReport: (now - since) / 1000,
        unknownFeatures: state ? [...state.unknown].map(([name, events]): UnknownFeature => ({ name, events })) : [],
        engineLag: lagOf(partition),
        hold: state ? { prior: state.held, next: new Map<string, HeldStatus>() } : undefined,
      };
    };
    for (const [modelId, state] of this.models) {
      state.window.expire(now);
      const stale = this.isStale(state.lastArrival, now);
      const full = state.window.size >= this.config.minSamples;
      if (!full && !(stale && this.reported.has(modelId))) continue;
      const ctx = context(modelId, state.partition, state);
      let report: DriftReport;
      if (!full) report = emptyReport(state.ref, ctx, 'STALE', this.staleReason(state.lastArrival, now));
      else {
        try {
          report = evaluateWindow(state.ref, state.layout, state.window.snapshot(), this.config.policy, ctx, state.labeled.snapshot());
        } catch (err) {
          this.stats.evaluationsFailed++;
          report = failedReport(state.ref, ctx, err);
        }
        if (stale) report = { ...report, status: 'STALE', reason: `${this.staleReason(state.lastArrival, now)}; last window: ${report.reason}` };
      }
      reports.push(report);
      evaluated.push(state);
      held.push(ctx.hold?.next);
    }
    // Models this instance holds that were reported before and have had no event since it took them over.
    if (this.owned && Number.isFinite(this.config.staleAfterMs)) {
      for (const [modelId, reported] of this.reported) {
        const ref = this.references.get(modelId);
        if (!ref || this.models.has(modelId) || !this.owned.has(reported.partition) || now - reported.at < 0) continue;
        reports.push(emptyReport(ref.profile, context(modelId, reported.partition, undefined), 'STALE', this.staleReason(-Infinity, now)));
        evaluated.push(undefined);
        held.push(undefined);
      }
    }
    const alerts = this.tracker.preview(reports);
    return {
      reports,
      alerts,
      commit: () => {
        for (const [i, report] of reports.entries()) {
          const state = evaluated[i];
          const invalid = this.invalid.get(report.modelId);
          if (invalid) invalid.sinceReport -= report.integrity.invalidEvents;
          this.tracker.restoreReport(report);
          this.reported.set(report.modelId, { at: report.evaluatedAt, invalidTotal: report.integrity.invalidEventsTotal, partition: state?.partition ?? this.reported.get(report.modelId)!.partition });
          if (!state) continue;
          state.eventsSinceReport -= report.throughput.eventsSinceLastReport;
          state.firstCountedAt = null;
          state.unknown.clear();
          const next = held[i];
          if (next && reports[i].features.length) state.held = next;
        }
      },
    };
  }

  private newState(profile: ReferenceProfile, layout: WindowLayout, partition: number): ModelState {
    const w = this.config.window;
    const capacity = w.kind === 'count' ? w.size : w.capacity;
    const state: ModelState = {
      ref: profile,
      layout,
      window: w.kind === 'count' ? new SlidingWindow(layout.width, w.size) : new TimeReservoirWindow(layout.width, w.spanMs, w.capacity, this.random),
      row: new Float64Array(layout.width),
      partition,
      eventsSinceReport: 0,
      firstCountedAt: null,
      lastArrival: -Infinity,
      unknown: new Map(),
      predictions: new RecentIndex<number>(Math.max(10_000, 10 * capacity)),
      early: new RecentIndex<[number, number]>(Math.max(10_000, 10 * capacity)),
      labeled: new SlidingWindow(LABELED_WIDTH, capacity),
      held: new Map(),
    };
    this.models.set(profile.modelId, state);
    return state;
  }
}
