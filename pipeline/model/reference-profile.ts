/**
 * The demo model's reference profile, built like any team's: its reference
 * rows as named numeric columns, with the model's predictions and scores on
 * them, through the generic builder (pipeline/reference/build-profile.ts) that
 * `aegis reference` uses for a CSV file.
 */
import type { ReferencePerformance, ReferenceProfile } from '../serde/reference-profile.ts';
import { buildProfile } from '../reference/build-profile.ts';
import { classify, type CartModel, type FeatureValues } from './cart-model.ts';

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

export function buildReferenceProfile({ modelId, modelVersion, createdAt, model, rows, performance = null }: ProfileInput): ReferenceProfile {
  const outputs = rows.map((r) => classify(model, r));
  const profile = buildProfile({
    modelId,
    modelVersion,
    createdAt,
    features: model.features.map((name, j) => ({ name, kind: 'NUMERIC' as const, values: rows.map((r) => r[j] ?? null) })),
    predictions: outputs.map((o) => o.label),
    scores: outputs.map((o) => o.score),
    performance,
  });
  // Every class of the model is listed, a class it never predicted on the reference with count 0.
  const listed = new Set(profile.prediction.classes.map((c) => c.label));
  for (const label of model.classes) if (!listed.has(label)) profile.prediction.classes.push({ label, share: 0, count: 0 });
  profile.prediction.classes.sort((a, b) => model.classes.indexOf(a.label as never) - model.classes.indexOf(b.label as never));
  return profile;
}
