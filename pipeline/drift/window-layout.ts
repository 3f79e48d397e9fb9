/**
 * How one model's events become window rows, from its reference profile: one
 * column per feature, then the score, the predicted class as an index into the
 * reference's classes, and the inference latency.
 *
 * A NUMERIC feature's cell is its value; a CATEGORICAL feature's cell is a
 * category code: the reference's categories are 0…R−1 in profile order, and a
 * category the reference never had gets the next free code (at most
 * MAX_UNSEEN_CATEGORIES of them per feature; further ones share one code), so
 * the window stays a block of numbers whatever the feature kinds. In both, NaN
 * is a missing value and +Infinity an invalid one (wrong kind, not finite).
 */
import type { InferenceEvent } from '../serde/inference-event.ts';
import type { FeatureProfile, ReferenceProfile } from '../serde/reference-profile.ts';
import { categoryOf, INVALID, MISSING, numericCell } from '../reference/feature-kinds.ts';
import { uniqueCountSorted } from '../stats/shared-bins.ts';
import { populationStd } from '../stats/wasserstein.ts';

export const MAX_UNSEEN_CATEGORIES = 1000;
export const UNSEEN_OVERFLOW = '(other unseen)';
/** Longest feature name kept when reporting unknown features. */
const MAX_NAME = 200;

/** A categorical feature's code book: reference categories first, unseen ones appended. */
export class CategoryCodes {
  readonly labels: string[];
  readonly referenceCounts: Float64Array;
  private readonly codes = new Map<string, number>();

  constructor(readonly profile: FeatureProfile) {
    this.labels = profile.categories.map((c) => c.value);
    this.labels.forEach((l, i) => this.codes.set(l, i));
    this.referenceCounts = Float64Array.from(profile.categories, (c) => c.count);
  }

  get referenceSize(): number {
    return this.referenceCounts.length;
  }

  code(value: string): number {
    let code = this.codes.get(value);
    if (code !== undefined) return code;
    if (this.labels.length - this.referenceSize >= MAX_UNSEEN_CATEGORIES) value = UNSEEN_OVERFLOW;
    code = this.codes.get(value);
    if (code === undefined) {
      code = this.labels.length;
      this.labels.push(value);
      this.codes.set(value, code);
    }
    return code;
  }
}

/** A NUMERIC feature's reference, prepared once per profile for every evaluation. */
export interface NumericReference {
  sorted: Float64Array;
  unique: number;
  std: number;
}

export class WindowLayout {
  readonly profiles: readonly FeatureProfile[];
  readonly features: string[];
  readonly classes: string[];
  readonly scoreColumn: number;
  readonly classColumn: number;
  readonly latencyColumn: number;
  readonly width: number;
  /** Per feature: its code book when CATEGORICAL, else undefined. */
  readonly categories: Array<CategoryCodes | undefined>;
  /** Per feature: its prepared reference when NUMERIC and non-empty, else undefined. */
  readonly numeric: Array<NumericReference | undefined>;
  private readonly column = new Map<string, number>();
  private readonly classIndex = new Map<string, number>();

  constructor(profile: ReferenceProfile) {
    this.profiles = profile.features;
    this.features = profile.features.map((f) => f.name);
    this.features.forEach((f, i) => this.column.set(f, i));
    this.classes = profile.prediction.classes.map((c) => c.label);
    this.classes.forEach((c, i) => this.classIndex.set(c, i));
    this.categories = profile.features.map((f) => (f.kind === 'CATEGORICAL' ? new CategoryCodes(f) : undefined));
    this.numeric = profile.features.map((f) => {
      if (f.kind !== 'NUMERIC' || f.values.length === 0) return undefined;
      const sorted = Float64Array.from(f.values);
      return { sorted, unique: uniqueCountSorted(sorted), std: populationStd(sorted) };
    });
    this.scoreColumn = this.features.length;
    this.classColumn = this.features.length + 1;
    this.latencyColumn = this.features.length + 2;
    this.width = this.features.length + 3;
  }

  /**
   * Writes the event's row into `out` (length `width`) and returns how many of
   * the reference's features the event carried (present or null); names the
   * event carries that the reference does not have go to `unknown`.
   */
  row(event: InferenceEvent, out: Float64Array, unknown?: (name: string) => void): number {
    const values = event.features;
    let carried = 0;
    for (const name in values) {
      if (this.column.has(name)) carried++;
      else unknown?.(name.length > MAX_NAME ? name.slice(0, MAX_NAME) : name);
    }
    for (let i = 0; i < this.features.length; i++) {
      const v = values[this.features[i]];
      const codes = this.categories[i];
      if (codes === undefined) out[i] = numericCell(v);
      else if (typeof v === 'number' && !Number.isFinite(v)) out[i] = Number.isNaN(v) ? MISSING : INVALID;
      else {
        const c = categoryOf(v);
        out[i] = c === null ? MISSING : codes.code(c);
      }
    }
    out[this.scoreColumn] = typeof event.score === 'number' && Number.isFinite(event.score) ? event.score : MISSING;
    const cls = categoryOf(event.prediction);
    const index = cls === null ? undefined : this.classIndex.get(cls);
    out[this.classColumn] = index === undefined ? MISSING : index;
    out[this.latencyColumn] = typeof event.latencyMs === 'number' && Number.isFinite(event.latencyMs) ? event.latencyMs : MISSING;
    return carried;
  }

  /** The class index of a label (e.g. a ground-truth label), or -1. */
  classOf(label: string): number {
    return this.classIndex.get(label) ?? -1;
  }
}
