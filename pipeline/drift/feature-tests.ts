/**
 * The tests on a model's outputs, as DriftReport TestResults (features go
 * through the test registry, see evaluate-window.ts): the predicted classes'
 * shares by chi-square homogeneity, the score distribution by KS.
 */
import { ks2Sorted } from '../stats/ks.ts';
import { chiSquareHomogeneityFromCounts } from '../stats/chi-square.ts';
import type { TestResult } from '../serde/drift-report.ts';
import type { DriftPolicy } from './drift-policy.ts';

/**
 * Chi-square test of homogeneity of predicted classes; drift also needs a
 * class-share shift (total variation) of minClassShift. Classes absent from
 * both samples are left out (a one-class model, or a class never predicted):
 * they carry no evidence and would make the statistic undefined.
 */
export function classTest(refCounts: number[], curCounts: number[], policy: DriftPolicy, shift: number): TestResult {
  const seen = refCounts.map((_, i) => i).filter((i) => refCounts[i] > 0 || curCounts[i] > 0);
  const total = curCounts.reduce((s, c) => s + c, 0);
  const { statistic, pValue } =
    total > 0 && seen.length > 1
      ? chiSquareHomogeneityFromCounts(
          seen.map((i) => refCounts[i]),
          seen.map((i) => curCounts[i]),
        )
      : { statistic: 0, pValue: 1 };
  return {
    test: 'chi_square_homogeneity',
    statistic,
    pValue,
    adjustedPValue: pValue,
    threshold: policy.alpha,
    drifted: pValue < policy.alpha && shift >= policy.minClassShift,
  };
}

/** KS test of the score distribution, with the same effect-size rule as features. */
export function scoreTest(refSorted: Float64Array, curSorted: Float64Array, policy: DriftPolicy): TestResult {
  if (curSorted.length === 0 || refSorted.length === 0) {
    return { test: 'ks', statistic: 0, pValue: 1, adjustedPValue: 1, threshold: policy.alpha, drifted: false };
  }
  const { statistic, pValue } = ks2Sorted(refSorted, curSorted);
  return {
    test: 'ks',
    statistic,
    pValue,
    adjustedPValue: pValue,
    threshold: policy.alpha,
    drifted: pValue < policy.alpha && statistic >= policy.minEffect,
  };
}
