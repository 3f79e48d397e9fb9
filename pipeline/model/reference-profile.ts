/**
 * The reference profile of a model (pipeline/serde/reference-profile.ts, the
 * Avro contract schemas/reference-profile.avsc): what its traffic should look
 * like, summarised from the reference rows — per feature the sorted values,
 * missing share, range, mean, population standard deviation and Sturges
 * histogram edges; the model's class shares and sorted scores on them; and
 * its measured accuracy, precision and recall, when given.
 */
import { max, mean, min, standardDeviation } from 'simple-statistics';
import type { FeatureProfile, ProfileClassShare, ReferencePerformance, ReferenceProfile } from '../serde/reference-profile.ts';
import { predict, predictProba, type CartModel, type FeatureValues } from './cart-model.ts';

/**
 * Sturges' rule: k = ⌈log₂ n⌉ + 1 equal-width bins over [lo, hi], returned as
 * k + 1 edges (the last one exactly hi). A zero-width range gives one bin.
 */
export function sturgesEdges(lo: number, hi: number, n: number): number[] {
  if (n <= 0 || !(hi > lo)) return [lo, hi];
  const bins = Math.ceil(Math.log2(n)) + 1;
  const width = (hi - lo) / bins;
  return Array.from({ length: bins + 1 }, (_, i) => (i === bins ? hi : lo + i * width));
}

const isPresent = (v: number | null | undefined): v is number => v !== null && v !== undefined && !Number.isNaN(v);

/** One feature's profile from its reference column; an all-missing column has zeros for its statistics. */
export function featureProfile(name: string, column: readonly (number | null)[]): FeatureProfile {
  const values = column.filter(isPresent).sort((a, b) => a - b);
  const missingShare = column.length === 0 ? 0 : (column.length - values.length) / column.length;
  if (values.length === 0) return { name, values, missingShare, min: 0, max: 0, mean: 0, std: 0, binEdges: [0, 0] };
  const lo = min(values);
  const hi = max(values);
  return {
    name,
    values,
    missingShare,
    min: lo,
    max: hi,
    mean: mean(values),
    std: standardDeviation(values),
    binEdges: sturgesEdges(lo, hi, values.length),
  };
}

export interface ProfileInput {
  modelId: string;
  modelVersion: string;
  createdAt: number;
  model: CartModel;
  /** Reference rows, values in the model's feature order. */
  rows: readonly FeatureValues[];
  /** The model's measured performance on held-out data, when known: the baseline for live accuracy. */
  performance?: ReferencePerformance | null;
}

/** Builds the profile: features in the model's order, every model class listed (count 0 included). */
export function buildReferenceProfile({ modelId, modelVersion, createdAt, model, rows, performance = null }: ProfileInput): ReferenceProfile {
  const features = model.features.map((name, j) => featureProfile(name, rows.map((r) => r[j] ?? null)));
  const predicted = rows.map((r) => predict(model, r));
  const classes: ProfileClassShare[] = model.classes.map((label) => {
    const count = predicted.filter((p) => p === label).length;
    return { label, share: rows.length === 0 ? 0 : count / rows.length, count };
  });
  const scores = rows.map((r) => predictProba(model, r)).sort((a, b) => a - b);
  return { modelId, modelVersion, createdAt, rowCount: rows.length, features, prediction: { classes, scores }, performance };
}
