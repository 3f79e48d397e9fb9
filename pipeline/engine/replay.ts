/**
 * A recorded stream replayed through the engine's own processor on a virtual
 * clock: rows are events in arrival order, `every` rows apart an evaluation,
 * `intervalMs` of virtual time between evaluations. What `aegis backtest`
 * prints and `npm run bench:detection` measures is therefore exactly what
 * the live engine (the same DriftProcessor behind kafkajs) would have said at
 * those points of the stream.
 */
import type { FeatureValue, InferenceEvent } from '../serde/inference-event.ts';
import type { ReferenceProfile } from '../serde/reference-profile.ts';
import type { DriftReport, Status } from '../serde/drift-report.ts';
import type { DriftPolicy } from '../drift/drift-policy.ts';
import { DriftProcessor } from './drift-processor.ts';

export interface ReplayOptions {
  /** Count window: the last `window` events. */
  window: number;
  /** Rows between evaluations. */
  every: number;
  minSamples: number;
  policy: DriftPolicy;
  /** Virtual time between evaluations (the live engine's --interval). */
  intervalMs: number;
  /** Virtual time of row 0. */
  startMs?: number;
}

export interface ReplayEvaluation {
  index: number;
  /** Rows consumed when the evaluation ran. */
  endRow: number;
  status: Status;
  drifted: string[];
  reason: string;
  report: DriftReport;
  /** Alerts (status changes of the model or a feature) this evaluation raised. */
  alerts: number;
}

export class Replay {
  private readonly processor: DriftProcessor;
  private rows = 0;
  private evaluations = 0;
  private ids = 0;

  constructor(
    private readonly profile: ReferenceProfile,
    private readonly options: ReplayOptions,
  ) {
    this.processor = new DriftProcessor(
      { minSamples: options.minSamples, window: { kind: 'count', size: options.window }, policy: options.policy },
      () => `replay-${this.ids++}`,
    );
    this.processor.setReference(profile);
  }

  /** The virtual time of row `row`. */
  timeOf(row: number): number {
    return (this.options.startMs ?? 0) + (row * this.options.intervalMs) / this.options.every;
  }

  /** Adds one row; returns the evaluation it completes, if any. */
  push(features: Record<string, FeatureValue>, extra: Partial<Pick<InferenceEvent, 'prediction' | 'score' | 'latencyMs'>> = {}): ReplayEvaluation | null {
    const row = this.rows++;
    const event: InferenceEvent = {
      eventId: `row-${row}`,
      modelId: this.profile.modelId,
      modelVersion: this.profile.modelVersion,
      eventTime: this.timeOf(row),
      features,
      prediction: extra.prediction ?? null,
      score: extra.score ?? null,
      latencyMs: extra.latencyMs ?? null,
    };
    this.processor.inference(event, 0, event.eventTime);
    return this.rows % this.options.every === 0 ? this.evaluate() : null;
  }

  private evaluate(): ReplayEvaluation | null {
    const evaluation = this.processor.evaluate(this.timeOf(this.rows));
    evaluation.commit();
    const report = evaluation.reports[0];
    if (!report) return null;
    return {
      index: this.evaluations++,
      endRow: this.rows,
      status: report.status,
      drifted: report.features.filter((f) => f.drifted).map((f) => f.name),
      reason: report.reason,
      report,
      alerts: evaluation.alerts.length,
    };
  }
}
