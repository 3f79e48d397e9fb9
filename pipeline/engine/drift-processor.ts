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
 */
import type { InferenceEvent } from '../serde/inference-event.ts';
import type { Label } from '../serde/label.ts';
import type { ReferenceProfile } from '../serde/reference-profile.ts';
import type { DriftReport, UnknownFeature } from '../serde/drift-report.ts';
import type { Alert } from '../serde/alert.ts';
import { AlertTracker } from '../drift/alert-tracker.ts';
import { evaluateWindow } from '../drift/evaluate-window.ts';
import type { DriftPolicy } from '../drift/drift-policy.ts';
import { LABELED_WIDTH } from '../drift/performance.ts';
import { WindowLayout } from '../drift/window-layout.ts';
import type { EventWindow } from '../windows/event-window.ts';
import { SlidingWindow } from '../windows/sliding-window.ts';
import { TimeReservoirWindow } from '../windows/time-reservoir-window.ts';
import { RecentIndex } from '../windows/recent-index.ts';
import { failedReport } from './failed-report.ts';
import type { HeldStatus } from '../drift/status-hold.ts';

export type WindowSpec = { kind: 'count'; size: number } | { kind: 'time'; spanMs: number; capacity: number };

export interface ProcessorConfig {
  minSamples: number;
  window: WindowSpec;
  policy: DriftPolicy;
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
  lastReportAt: number;
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

export interface ProcessorStats {
  eventsConsumed: number;
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
  readonly stats: ProcessorStats = { eventsConsumed: 0, labelsJoined: 0, labelsUnmatched: 0, labelsUnknownClass: 0, evaluationsFailed: 0 };
  private readonly references = new Map<string, { profile: ReferenceProfile; layout: WindowLayout }>();
  private readonly models = new Map<string, ModelState>();
  private readonly invalid = new Map<string, { sinceReport: number; total: number }>();
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

  /** Forgets the windows of models whose partition this instance no longer holds. */
  retainPartitions(assigned: ReadonlySet<number>): void {
    for (const [id, m] of this.models) if (!assigned.has(m.partition)) this.models.delete(id);
  }

  /** Counts a record of `modelId` (the record key) that was dead-lettered. */
  countInvalid(modelId: string): void {
    const counter = this.invalid.get(modelId) ?? { sinceReport: 0, total: 0 };
    counter.sinceReport++;
    counter.total++;
    this.invalid.set(modelId, counter);
  }

  /** Adds one event to its model's window, or says why it cannot be used. */
  inference(event: InferenceEvent, partition: number, now: number): Rejection | null {
    const ref = this.references.get(event.modelId);
    if (!ref) return { kind: 'UNKNOWN_MODEL', reason: 'no reference profile for this model on aegis.references.v1' };
    let state = this.models.get(event.modelId);
    if (!state) state = this.newState(ref.profile, ref.layout, partition, now);
    state.partition = partition;
    const carried = ref.layout.row(event, state.row, (name) => {
      const unknown = state.unknown;
      if (unknown.has(name) || unknown.size < MAX_UNKNOWN_NAMES) unknown.set(name, (unknown.get(name) ?? 0) + 1);
    });
    if (carried === 0) {
      return { kind: 'INVALID', reason: `the event carries none of the ${ref.layout.features.length} features of this model's reference` };
    }
    state.window.push(event.eventTime, state.row);
    const predicted = state.row[ref.layout.classColumn];
    const early = state.early.take(event.eventId);
    if (early) {
      state.labeled.push(early[1], [predicted, early[0]]);
      this.stats.labelsJoined++;
    } else state.predictions.set(event.eventId, predicted);
    state.eventsSinceReport++;
    this.stats.eventsConsumed++;
    return null;
  }

  /** Joins a ground-truth label to its prediction, by eventId. */
  label(label: Label, now: number): 'joined' | 'early' | 'unmatched' | 'unknown-class' | Rejection {
    const ref = this.references.get(label.modelId);
    if (!ref) return { kind: 'UNKNOWN_MODEL', reason: 'no reference profile for this model on aegis.references.v1' };
    const actual = ref.layout.classOf(label.label);
    if (actual < 0) {
      this.stats.labelsUnknownClass++;
      return 'unknown-class';
    }
    const state = this.models.get(label.modelId) ?? this.newState(ref.profile, ref.layout, -1, now);
    const predicted = state.predictions.take(label.eventId);
    if (predicted === undefined) {
      if (state.early.get(label.eventId) !== undefined) {
        this.stats.labelsUnmatched++;
        return 'unmatched';
      }
      state.early.set(label.eventId, [actual, label.labeledAt]);
      return 'early';
    }
    state.labeled.push(label.labeledAt, [predicted, actual]);
    this.stats.labelsJoined++;
    return 'joined';
  }

  /**
   * Evaluates every model with at least minSamples events. A model whose
   * evaluation throws gets a report saying so; the others are unaffected.
   */
  evaluate(now: number): Evaluation {
    const reports: DriftReport[] = [];
    const evaluated: ModelState[] = [];
    const held: Map<string, HeldStatus>[] = [];
    for (const [modelId, state] of this.models) {
      state.window.expire(now);
      if (state.window.size < this.config.minSamples) continue;
      const invalid = this.invalid.get(modelId) ?? { sinceReport: 0, total: 0 };
      const ctx = {
        reportId: this.newId(),
        evaluatedAt: now,
        invalidEvents: invalid.sinceReport,
        invalidEventsTotal: invalid.total,
        eventsSinceLastReport: state.eventsSinceReport,
        secondsSinceLastReport: (now - state.lastReportAt) / 1000,
        unknownFeatures: [...state.unknown].map(([name, events]): UnknownFeature => ({ name, events })),
        hold: { prior: state.held, next: new Map<string, HeldStatus>() },
      };
      let report: DriftReport;
      try {
        report = evaluateWindow(state.ref, state.layout, state.window.snapshot(), this.config.policy, ctx, state.labeled.snapshot());
      } catch (err) {
        this.stats.evaluationsFailed++;
        report = failedReport(state.ref, ctx, err);
      }
      reports.push(report);
      evaluated.push(state);
      held.push(ctx.hold.next);
    }
    const alerts = this.tracker.preview(reports);
    return {
      reports,
      alerts,
      commit: () => {
        this.tracker.apply(alerts);
        for (const [i, state] of evaluated.entries()) {
          const invalid = this.invalid.get(state.ref.modelId);
          if (invalid) invalid.sinceReport -= reports[i].integrity.invalidEvents;
          state.eventsSinceReport -= reports[i].throughput.eventsSinceLastReport;
          state.lastReportAt = reports[i].evaluatedAt;
          state.unknown.clear();
          if (reports[i].features.length) state.held = held[i];
        }
      },
    };
  }

  private newState(profile: ReferenceProfile, layout: WindowLayout, partition: number, now: number): ModelState {
    const w = this.config.window;
    const capacity = w.kind === 'count' ? w.size : w.capacity;
    const state: ModelState = {
      ref: profile,
      layout,
      window: w.kind === 'count' ? new SlidingWindow(layout.width, w.size) : new TimeReservoirWindow(layout.width, w.spanMs, w.capacity, this.random),
      row: new Float64Array(layout.width),
      partition,
      eventsSinceReport: 0,
      lastReportAt: now,
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
