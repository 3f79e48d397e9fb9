/**
 * A reference profile (schemas/reference-profile.avsc) from any model's
 * reference data: named feature columns of declared kind, and optionally the
 * model's predictions, scores and the true labels on the same rows.
 *
 * Size: a profile is one Kafka record, so a numeric feature keeps every
 * sorted value only up to a point budget, and above it k evenly spaced order
 * statistics, the ⌊(i + ½)·n/k⌋-th values for i = 0…k−1. Their empirical
 * distribution function G satisfies sup |G − F_n| ≤ 1/(2k) + 1/n against the
 * full reference's F_n, so a KS statistic D against them is within that of
 * the exact one; p-values then treat the reference as k rows, which is
 * conservative (a smaller n gives a larger p). k = min(10,000,
 * ⌊1,000,000 / numeric features⌋), at least 1,000: a 50-feature model is
 * exact up to 10,000 reference rows; 1,000 features keep 1,000 points each
 * (D within 5·10⁻⁴). The whole profile stays under about 8 MB
 * (the references topic allows 16 MiB records).
 */
import { mean, standardDeviation } from 'simple-statistics';
import type { FeatureValue } from '../serde/inference-event.ts';
import type {
  CategoryCount,
  FeatureProfile,
  ProfileClassShare,
  ProfileFeatureKind,
  ReferencePerformance,
  ReferenceProfile,
} from '../serde/reference-profile.ts';
import { categoryOf } from './feature-kinds.ts';

export const MAX_POINTS_PER_FEATURE = 10_000;
export const MIN_POINTS_PER_FEATURE = 1_000;
export const PROFILE_POINT_BUDGET = 1_000_000;
export const MAX_CATEGORIES = 10_000;
export const MAX_FEATURES = 1_000;
export const OTHER_CATEGORY = '(other)';

/** Points kept per numeric feature of a model with `numericFeatures` numeric features. */
export function pointsPerFeature(numericFeatures: number): number {
  const share = Math.floor(PROFILE_POINT_BUDGET / Math.max(1, numericFeatures));
  return Math.max(MIN_POINTS_PER_FEATURE, Math.min(MAX_POINTS_PER_FEATURE, share));
}

/** The ⌊(i + ½)·n/k⌋-th order statistics of an ascending array, or all of it when n ≤ k. */
export function quantilePoints(sorted: Float64Array, k: number): { values: number[]; exact: boolean } {
  const n = sorted.length;
  if (n <= k) return { values: Array.from(sorted), exact: true };
  const values = new Array<number>(k);
  for (let i = 0; i < k; i++) values[i] = sorted[Math.floor(((i + 0.5) * n) / k)];
  return { values, exact: false };
}

export interface ReferenceColumn {
  name: string;
  kind: ProfileFeatureKind;
  /** One value per reference row; null (or NaN) is missing. */
  values: readonly FeatureValue[];
}

export function numericFeatureProfile(name: string, column: readonly FeatureValue[], points: number): FeatureProfile {
  const present: number[] = [];
  for (const v of column) {
    const x = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN;
    if (Number.isFinite(x)) present.push(x);
  }
  const sorted = Float64Array.from(present).sort();
  const missingShare = column.length === 0 ? 0 : (column.length - sorted.length) / column.length;
  const base = { name, kind: 'NUMERIC' as const, count: sorted.length, missingShare, categories: [] };
  if (sorted.length === 0) return { ...base, values: [], exact: true, min: 0, max: 0, mean: 0, std: 0 };
  const asArray = sorted as unknown as number[];
  const { values, exact } = quantilePoints(sorted, points);
  return {
    ...base,
    values,
    exact,
    min: sorted[0],
    max: sorted[sorted.length - 1],
    mean: mean(asArray),
    std: standardDeviation(asArray),
  };
}

/** Category counts, most frequent first (ties by value); beyond MAX_CATEGORIES the rest become '(other)'. */
export function countCategories(column: readonly FeatureValue[]): { categories: CategoryCount[]; present: number; exact: boolean } {
  const counts = new Map<string, number>();
  let present = 0;
  for (const v of column) {
    const c = categoryOf(v);
    if (c === null) continue;
    present++;
    counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  const all = [...counts].map(([value, count]) => ({ value, count }));
  all.sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
  if (all.length <= MAX_CATEGORIES) return { categories: all, present, exact: true };
  const kept = all.slice(0, MAX_CATEGORIES - 1);
  const rest = all.slice(MAX_CATEGORIES - 1).reduce((s, c) => s + c.count, 0);
  return { categories: [...kept, { value: OTHER_CATEGORY, count: rest }], present, exact: false };
}

export function categoricalFeatureProfile(name: string, column: readonly FeatureValue[]): FeatureProfile {
  const { categories, present, exact } = countCategories(column);
  return {
    name,
    kind: 'CATEGORICAL',
    count: present,
    missingShare: column.length === 0 ? 0 : (column.length - present) / column.length,
    values: [],
    exact,
    min: 0,
    max: 0,
    mean: 0,
    std: 0,
    categories,
  };
}

export interface ProfileInput {
  modelId: string;
  modelVersion: string;
  createdAt: number;
  features: readonly ReferenceColumn[];
  /** The model's prediction per row (class labels), when the model reports one. */
  predictions?: readonly FeatureValue[];
  /** The model's score per row, when it reports one. */
  scores?: readonly FeatureValue[];
  /** Measured performance, or the true labels per row to measure it from `predictions`. */
  performance?: ReferencePerformance | null;
  labels?: readonly FeatureValue[];
  /** The class counted as positive for precision and recall (default: see positiveClass). */
  positiveLabel?: string;
}

/**
 * The positive class when none is named: 'true' or '1' when the classes are
 * booleans or 0/1, else the least frequent true label (the event a classifier
 * usually exists to find: fraud, malignant, churn).
 */
export function positiveClass(labels: readonly string[]): string | undefined {
  const distinct = new Set(labels);
  for (const p of ['true', '1']) if (distinct.has(p)) return p;
  const counts = countCategories(labels).categories;
  return counts.at(-1)?.value;
}

function measuredPerformance(predictions: readonly FeatureValue[], labels: readonly FeatureValue[], positive?: string): ReferencePerformance | null {
  const pairs: Array<[string, string]> = [];
  for (let i = 0; i < Math.min(predictions.length, labels.length); i++) {
    const p = categoryOf(predictions[i]);
    const y = categoryOf(labels[i]);
    if (p !== null && y !== null) pairs.push([p, y]);
  }
  if (pairs.length === 0) return null;
  const positiveLabel = positive ?? positiveClass(pairs.map(([, y]) => y)) ?? '';
  let correct = 0;
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const [p, y] of pairs) {
    if (p === y) correct++;
    if (p === positiveLabel && y === positiveLabel) tp++;
    else if (p === positiveLabel) fp++;
    else if (y === positiveLabel) fn++;
  }
  return {
    rows: pairs.length,
    positiveLabel,
    accuracy: correct / pairs.length,
    precision: tp + fp > 0 ? tp / (tp + fp) : 0,
    recall: tp + fn > 0 ? tp / (tp + fn) : 0,
  };
}

export function buildProfile(input: ProfileInput): ReferenceProfile {
  if (input.features.length === 0) throw new RangeError('a reference profile needs at least one feature');
  if (input.features.length > MAX_FEATURES) throw new RangeError(`a model has at most ${MAX_FEATURES} features, got ${input.features.length}`);
  const names = new Set<string>();
  for (const f of input.features) {
    if (names.has(f.name)) throw new RangeError(`feature '${f.name}' is given twice`);
    names.add(f.name);
  }
  const rowCount = input.features[0].values.length;
  const points = pointsPerFeature(input.features.filter((f) => f.kind === 'NUMERIC').length);
  const features = input.features.map((f) =>
    f.kind === 'NUMERIC' ? numericFeatureProfile(f.name, f.values, points) : categoricalFeatureProfile(f.name, f.values),
  );
  const predicted = countCategories(input.predictions ?? []);
  const classes: ProfileClassShare[] = predicted.categories.map((c) => ({
    label: c.value,
    count: c.count,
    share: predicted.present ? c.count / predicted.present : 0,
  }));
  const scores = numericFeatureProfile('score', input.scores ?? [], MAX_POINTS_PER_FEATURE).values;
  const performance =
    input.performance !== undefined
      ? input.performance
      : input.labels && input.predictions
        ? measuredPerformance(input.predictions, input.labels, input.positiveLabel)
        : null;
  return {
    modelId: input.modelId,
    modelVersion: input.modelVersion,
    createdAt: input.createdAt,
    rowCount,
    features,
    prediction: { classes, scores },
    performance,
  };
}
