/**
 * The promotion gate, free of I/O: train a candidate on recent labelled
 * traffic and compare it with the version in service on the same holdout.
 *
 * Split by time, not at random: the older half of the rows trains the
 * candidate and the newer half is the holdout, because the newest traffic is
 * the best estimate of what the model will see next, and a time split cannot
 * leak a row's near-duplicate (the demo replays noisy copies of the same
 * samples) from training into the holdout. Only recent traffic is used, not
 * the original training pool: after a shift (a unit change) the old rows
 * describe inputs that no longer arrive, and mixing them in would teach the
 * tree both scales at once.
 *
 * The gate is accuracy(candidate) ≥ accuracy(current) on that holdout: a tie
 * promotes, since the candidate is then at least as good and describes the
 * traffic as it is now (its reference profile is built from the holdout).
 */
import { modelVersion, predict, train, type CartModel } from '../model/cart-model.ts';
import { POSITIVE_CLASS, type LabeledRow } from '../model/dataset.ts';
import { classificationMetrics, type ClassificationMetrics } from '../model/metrics.ts';
import { buildReferenceProfile } from '../model/reference-profile.ts';
import type { ReferenceProfile } from '../serde/reference-profile.ts';

/**
 * At most this many of the newest rows are used: ml-cart tries every split
 * value of every feature (quadratic in the rows), and ~1000 rows already
 * outnumber the demo's 170 distinct traffic samples several times over.
 */
export const MAX_ROWS = 1000;
/** Fewer labelled rows than this and no candidate is trained: the holdout would be too small to rank two models. */
export const MIN_ROWS = 100;

export interface GateInput {
  modelId: string;
  current: CartModel;
  /** Labelled rows in the model's feature order, oldest first. */
  rows: readonly LabeledRow[];
  createdAt: number;
}

export interface GateResult {
  candidate: CartModel;
  candidateVersion: string;
  training: readonly LabeledRow[];
  holdout: readonly LabeledRow[];
  candidateMetrics: ClassificationMetrics;
  currentMetrics: ClassificationMetrics;
  promoted: boolean;
  /** The candidate's reference profile: its holdout rows, its holdout performance. */
  profile: ReferenceProfile;
}

/** Too few labelled rows to train and judge a candidate; nothing was decided. */
export class NotEnoughRowsError extends Error {
  override name = 'NotEnoughRowsError';
}

export function score(model: CartModel, rows: readonly LabeledRow[]): ClassificationMetrics {
  return classificationMetrics(rows.map((r) => r.label), rows.map((r) => predict(model, r.values)), POSITIVE_CLASS);
}

export function promote(candidateAccuracy: number, currentAccuracy: number): boolean {
  return candidateAccuracy >= currentAccuracy;
}

export function gateCandidate({ modelId, current, rows, createdAt }: GateInput): GateResult {
  if (rows.length < MIN_ROWS) throw new NotEnoughRowsError(`${rows.length} labelled rows, at least ${MIN_ROWS} needed`);
  const recent = rows.slice(-MAX_ROWS);
  const cut = Math.floor(recent.length / 2);
  const training = recent.slice(0, cut);
  const holdout = recent.slice(cut);
  const candidate = train(current.features, training, current.hyperparameters);
  const candidateVersion = modelVersion(candidate);
  const candidateMetrics = score(candidate, holdout);
  const currentMetrics = score(current, holdout);
  const profile = buildReferenceProfile({
    modelId,
    modelVersion: candidateVersion,
    createdAt,
    model: candidate,
    rows: holdout.map((r) => r.values),
    performance: {
      rows: candidateMetrics.n,
      positiveLabel: POSITIVE_CLASS,
      accuracy: candidateMetrics.accuracy,
      precision: candidateMetrics.precision,
      recall: candidateMetrics.recall,
    },
  });
  return { candidate, candidateVersion, training, holdout, candidateMetrics, currentMetrics, promoted: promote(candidateMetrics.accuracy, currentMetrics.accuracy), profile };
}
