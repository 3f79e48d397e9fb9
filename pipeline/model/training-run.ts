/**
 * One training run, start to finish and free of I/O: split the data set
 * (stratified by diagnosis, seeded) into training 40 % / reference 30 % /
 * traffic 30 %, fit the tree on the training pool, score it on the holdout
 * (reference + traffic), and summarise the reference pool into the profile.
 * Large reference and traffic pools keep resampled healthy traffic from
 * looking like drift through sampling noise alone.
 */
import type { ReferenceProfile } from '../serde/reference-profile.ts';
import { modelVersion, predict, train, DEFAULT_HYPERPARAMETERS, type CartHyperparameters, type CartModel } from './cart-model.ts';
import { POSITIVE_CLASS, type Dataset, type LabeledRow } from './dataset.ts';
import { classificationMetrics, type ClassificationMetrics } from './metrics.ts';
import { buildReferenceProfile } from './reference-profile.ts';
import { stratifiedSplit } from './stratified-split.ts';

export const POOL_SHARES = { training: 0.4, reference: 0.3, traffic: 0.3 } as const;
export type PoolName = keyof typeof POOL_SHARES;

/** The default split seed: the year the data set was published. */
export const DEFAULT_SEED = 1993;

export interface TrainingRunInput {
  modelId: string;
  dataset: Dataset;
  seed?: number;
  createdAt: number;
  hyperparameters?: CartHyperparameters;
}

export interface TrainingRun {
  modelId: string;
  version: string;
  seed: number;
  model: CartModel;
  pools: Record<PoolName, LabeledRow[]>;
  /** On the reference + traffic rows, malignant = positive. */
  holdout: ClassificationMetrics;
  profile: ReferenceProfile;
}

export function splitPools(dataset: Dataset, seed: number): Record<PoolName, LabeledRow[]> {
  return stratifiedSplit(dataset.rows, POOL_SHARES, (r) => r.label, seed);
}

export function runTraining({ modelId, dataset, seed = DEFAULT_SEED, createdAt, hyperparameters = DEFAULT_HYPERPARAMETERS }: TrainingRunInput): TrainingRun {
  const pools = splitPools(dataset, seed);
  const model = train(dataset.features, pools.training, hyperparameters);
  const version = modelVersion(model);
  const holdoutRows = [...pools.reference, ...pools.traffic];
  const holdout = classificationMetrics(
    holdoutRows.map((r) => r.label),
    holdoutRows.map((r) => predict(model, r.values)),
    POSITIVE_CLASS,
  );
  const profile = buildReferenceProfile({
    modelId,
    modelVersion: version,
    createdAt,
    model,
    rows: pools.reference.map((r) => r.values),
    // The held-out rows (reference + traffic) estimate accuracy on unseen data better than the reference alone.
    performance: { rows: holdout.n, positiveLabel: POSITIVE_CLASS, accuracy: holdout.accuracy, precision: holdout.precision, recall: holdout.recall },
  });
  return { modelId, version, seed, model, pools, holdout, profile };
}
