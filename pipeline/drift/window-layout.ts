/**
 * How one model's events become window rows: one column per feature (NaN for
 * a missing value), then the score, the predicted class as an index into the
 * reference profile's classes (NaN for a class the reference never saw), and
 * the inference latency.
 */
import type { InferenceEvent } from '../serde/inference-event.ts';
import type { ReferenceProfile } from '../serde/reference-profile.ts';

export class WindowLayout {
  readonly features: string[];
  readonly classes: string[];
  readonly scoreColumn: number;
  readonly classColumn: number;
  readonly latencyColumn: number;
  readonly width: number;

  constructor(profile: ReferenceProfile) {
    this.features = profile.features.map((f) => f.name);
    this.classes = profile.prediction.classes.map((c) => c.label);
    this.scoreColumn = this.features.length;
    this.classColumn = this.features.length + 1;
    this.latencyColumn = this.features.length + 2;
    this.width = this.features.length + 3;
  }

  /** Writes the event's row into `out` (length `width`) and returns it. */
  row(event: InferenceEvent, out: Float64Array = new Float64Array(this.width)): Float64Array {
    const values = event.features as unknown as Record<string, number | null | undefined>;
    for (let i = 0; i < this.features.length; i++) {
      const v = values[this.features[i]];
      out[i] = v === null || v === undefined ? Number.NaN : v;
    }
    out[this.scoreColumn] = event.score;
    const cls = this.classes.indexOf(event.predictedClass);
    out[this.classColumn] = cls < 0 ? Number.NaN : cls;
    out[this.latencyColumn] = event.latencyMs;
    return out;
  }
}
