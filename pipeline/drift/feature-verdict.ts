/**
 * A feature's status from its deciding test, its effect sizes and its
 * integrity shares, at a set of levels (`enterLevels` to raise a status,
 * the looser `stayLevels` to keep one; see status-hold.ts).
 *
 * Drift: a p-value test (KS-or-mean, KS, chi-square) must be significant
 * after the correction across features — at the false-alarm budget's level
 * when calibrated — AND show an effect of at least `minEffect`: KS' D, or
 * for categories the total variation distance TV = ½ Σ |p_ref − p_cur|, both
 * the largest difference in probability the shift makes, on the same [0, 1]
 * scale. A distance test (normalized Wasserstein, Jensen–Shannon, chosen
 * above 1,000 reference rows when uncalibrated) drifts at its threshold and
 * is RED at twice it.
 *
 * RED, not AMBER, when a drifted feature's mean moved `redShift` reference σ
 * or more, its spread changed `redScale`-fold, or its D / TV reached
 * `redEffect`: what a person would act on, in the feature's own units.
 *
 * Integrity: missing values beyond the reference's own share, invalid values
 * (wrong kind, not finite) and values outside the reference range or in
 * unseen categories each raise AMBER and RED at the policy's shares — when
 * calibrated, only once the count is also improbable for healthy traffic
 * (pipeline/stats/rate-test.ts) at the same level.
 */
import type { ProfileFeatureKind } from '../serde/reference-profile.ts';
import type { Status } from '../serde/drift-report.ts';
import { STATUS_RANK } from '../serde/drift-report.ts';
import type { ColumnEvaluation } from '../stats/evaluate.ts';
import { getTest } from '../stats/test-registry.ts';
import { modelLevel } from './calibration.ts';
import { isCalibrated, type DriftPolicy } from './drift-policy.ts';

/** Total variation distance between the two samples' shares over shared bins. */
export function totalVariation(referenceCounts: Float64Array, currentCounts: Float64Array): number {
  let nr = 0;
  let nc = 0;
  for (let i = 0; i < referenceCounts.length; i++) {
    nr += referenceCounts[i];
    nc += currentCounts[i];
  }
  if (!nr || !nc) return 0;
  let tv = 0;
  for (let i = 0; i < referenceCounts.length; i++) tv += Math.abs(referenceCounts[i] / nr - currentCounts[i] / nc);
  return tv / 2;
}

/** The effect size the gate compares: D for KS (and KS-or-mean), TV for a categorical p-value test, the value of a distance. */
export function effectOf(evaluation: ColumnEvaluation): number {
  const outcome = evaluation.tests[evaluation.drift.test]!;
  if (!('pValue' in outcome)) return outcome.value;
  if (evaluation.drift.test === 'ks' || evaluation.drift.test === 'ksMean') return outcome.statistic;
  return totalVariation(evaluation.histogram.referenceCounts, evaluation.histogram.currentCounts);
}

/** An integrity share with the p-value of its count under healthy traffic (Bonferroni-adjusted across features). */
export interface Share {
  share: number;
  p: number;
}

export interface VerdictInput {
  kind: ProfileFeatureKind;
  /** After the correction across features; null when the feature could not be tested (no values). */
  evaluation: ColumnEvaluation | null;
  effect: number;
  /** |window mean − reference mean| / reference σ; null for categorical or untested features. */
  shiftSigma: number | null;
  /** window σ / reference σ; null for categorical or untested features. */
  scaleRatio: number | null;
  excessMissing: Share;
  invalid: Share;
  outOfRange: Share;
}

export interface Verdict {
  status: Status;
  drifted: boolean;
  effect: number;
  /** Which integrity rules fired. */
  integrity: Array<'missing' | 'invalid' | 'outside'>;
}

/** The thresholds one verdict is taken at. */
export interface Levels {
  /** Level for adjusted p-values (distribution tests and integrity counts). */
  p: number;
  minEffect: number;
  redEffect: number;
  redShift: number;
  redScale: number;
  amberMissing: number;
  redMissing: number;
  amberOutOfRange: number;
  redOutOfRange: number;
  /** Integrity counts are tested for significance (calibrated) or not. */
  testCounts: boolean;
}

export function enterLevels(policy: DriftPolicy): Levels {
  const calibrated = isCalibrated(policy);
  return {
    p: calibrated ? modelLevel(policy) : policy.alpha,
    minEffect: policy.minEffect,
    redEffect: policy.redEffect,
    redShift: policy.redShift,
    redScale: policy.redScale,
    amberMissing: policy.amberMissing,
    redMissing: policy.redMissing,
    amberOutOfRange: policy.amberOutOfRange,
    redOutOfRange: policy.redOutOfRange,
    testCounts: calibrated,
  };
}

/**
 * What keeps a raised status: the evidence of this one evaluation at the
 * conventional 5 % (after the correction across features), and 80 % of each
 * RED level, half of each AMBER share. A steady fault measured near a
 * threshold (5 % NaN against 5 %) then stays one incident instead of
 * crossing the threshold with every window's noise.
 */
export function stayLevels(policy: DriftPolicy): Levels {
  const enter = enterLevels(policy);
  if (!isCalibrated(policy)) return enter;
  return {
    ...enter,
    p: Math.max(enter.p, 0.05),
    minEffect: enter.minEffect * 0.8,
    redEffect: enter.redEffect * 0.8,
    redShift: enter.redShift * 0.8,
    redScale: 1 + (enter.redScale - 1) * 0.8,
    amberMissing: enter.amberMissing / 2,
    redMissing: enter.redMissing * 0.8,
    amberOutOfRange: enter.amberOutOfRange / 2,
    redOutOfRange: enter.redOutOfRange * 0.8,
  };
}

/** Which RED criteria of a drifted numeric or categorical feature hold. */
export function redCriteria(input: Pick<VerdictInput, 'effect' | 'shiftSigma' | 'scaleRatio'>, levels: Levels) {
  const scale = input.scaleRatio === null ? null : input.scaleRatio >= 1 ? input.scaleRatio : 1 / input.scaleRatio;
  return {
    shift: input.shiftSigma !== null && input.shiftSigma >= levels.redShift,
    scale: scale !== null && scale >= levels.redScale,
    effect: input.effect >= levels.redEffect,
  };
}

export function featureVerdict(input: VerdictInput, levels: Levels): Verdict {
  let status: Status = 'GREEN';
  const raise = (s: Status) => {
    if (STATUS_RANK[s] > STATUS_RANK[status]) status = s;
  };
  let drifted = false;
  const e = input.evaluation;
  if (e) {
    if (getTest(e.drift.test).direction === 'p-value below') {
      drifted = e.drift.score < levels.p && input.effect >= levels.minEffect;
      if (drifted) {
        const red = redCriteria(input, levels);
        raise(red.shift || red.scale || red.effect ? 'RED' : 'AMBER');
      }
    } else if (e.drift.detected) {
      drifted = true;
      raise(e.drift.score >= 2 * e.drift.threshold ? 'RED' : 'AMBER');
    }
  }
  const integrity: Verdict['integrity'] = [];
  const check = (rule: 'missing' | 'invalid' | 'outside', s: Share, amber: number, red: number) => {
    if (s.share < amber || (levels.testCounts && !(s.p < levels.p))) return;
    raise(s.share >= red ? 'RED' : 'AMBER');
    integrity.push(rule);
  };
  check('missing', input.excessMissing, levels.amberMissing, levels.redMissing);
  check('invalid', input.invalid, levels.amberMissing, levels.redMissing);
  check('outside', input.outOfRange, levels.amberOutOfRange, levels.redOutOfRange);
  return { status, drifted, effect: input.effect, integrity };
}
