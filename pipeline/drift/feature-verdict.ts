/**
 * A feature's status from its deciding test and its integrity shares.
 *
 * Drift: a p-value test (KS, chi-square) must be significant after the
 * correction across features AND show an effect of at least `minEffect` —
 * KS' D, or for categories the total variation distance
 * TV = ½ Σ |p_ref − p_cur|, both the largest difference in probability the
 * shift makes, on the same [0, 1] scale; a window of a few hundred events
 * against a reference of a few hundred rows makes small, irrelevant
 * differences significant. RED at `redEffect`. A distance test (normalized
 * Wasserstein, Jensen–Shannon, chosen above 1,000 reference rows) drifts at
 * its threshold and is RED at twice it.
 *
 * Integrity: missing values beyond the reference's own share, invalid values
 * (wrong kind, not finite) and values outside the reference range or in
 * unseen categories each raise AMBER and RED at the policy's levels.
 */
import type { ProfileFeatureKind } from '../serde/reference-profile.ts';
import type { Status } from '../serde/drift-report.ts';
import { STATUS_RANK } from '../serde/drift-report.ts';
import type { ColumnEvaluation } from '../stats/evaluate.ts';
import { getTest } from '../stats/test-registry.ts';
import type { DriftPolicy } from './drift-policy.ts';

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

/** The effect size the gate compares: D for KS, TV for a categorical p-value test, the value of a distance. */
export function effectOf(evaluation: ColumnEvaluation): number {
  const outcome = evaluation.tests[evaluation.drift.test]!;
  if (!('pValue' in outcome)) return outcome.value;
  if (evaluation.drift.test === 'ks') return outcome.statistic;
  return totalVariation(evaluation.histogram.referenceCounts, evaluation.histogram.currentCounts);
}

export interface VerdictInput {
  kind: ProfileFeatureKind;
  /** After the correction across features; null when the feature could not be tested (no values). */
  evaluation: ColumnEvaluation | null;
  effect: number;
  excessMissing: number;
  invalidShare: number;
  outOfRangeShare: number;
}

export interface Verdict {
  status: Status;
  drifted: boolean;
  effect: number;
  /** Which integrity rules fired. */
  integrity: Array<'missing' | 'invalid' | 'outside'>;
}

export function featureVerdict(input: VerdictInput, policy: DriftPolicy): Verdict {
  let status: Status = 'GREEN';
  const raise = (s: Status) => {
    if (STATUS_RANK[s] > STATUS_RANK[status]) status = s;
  };
  let drifted = false;
  const e = input.evaluation;
  if (e && e.drift.detected) {
    if (getTest(e.drift.test).direction === 'p-value below') {
      drifted = input.effect >= policy.minEffect;
      if (drifted) raise(input.effect >= policy.redEffect ? 'RED' : 'AMBER');
    } else {
      drifted = true;
      raise(e.drift.score >= 2 * e.drift.threshold ? 'RED' : 'AMBER');
    }
  }
  const integrity: Verdict['integrity'] = [];
  if (input.excessMissing >= policy.amberMissing) {
    raise(input.excessMissing >= policy.redMissing ? 'RED' : 'AMBER');
    integrity.push('missing');
  }
  if (input.invalidShare >= policy.amberMissing) {
    raise(input.invalidShare >= policy.redMissing ? 'RED' : 'AMBER');
    integrity.push('invalid');
  }
  if (input.outOfRangeShare >= policy.amberOutOfRange) {
    raise(input.outOfRangeShare >= policy.redOutOfRange ? 'RED' : 'AMBER');
    integrity.push('outside');
  }
  return { status, drifted, effect: input.effect, integrity };
}
