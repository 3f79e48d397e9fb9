/**
 * The tests the engine runs per feature and on the model's outputs, as
 * DriftReport TestResults. KS is the primary (deciding) test of a numeric
 * feature; PSI, normalized Wasserstein and Jensen–Shannon are reported beside
 * it with their conventional thresholds. The engine's PSI uses reference-decile
 * bins (the credit-risk form): against a reference of a few hundred rows,
 * Evidently's Sturges bins leave a handful of reference values per bin and
 * PSI's sampling noise alone exceeds 0.25.
 */
import { ks2Sorted } from '../stats/ks.ts';
import { psiQuantileSorted } from '../stats/psi.ts';
import { wassersteinNormSorted } from '../stats/wasserstein.ts';
import { jensenShannonSorted } from '../stats/jensen-shannon.ts';
import { chiSquareHomogeneityFromCounts } from '../stats/chi-square.ts';
import { adjustPValues as adjust } from '../stats/multiple-testing.ts';
import type { TestResult } from '../serde/drift-report.ts';
import type { DriftPolicy } from './drift-policy.ts';

export const DISTANCE_THRESHOLDS = { psi: 0.25, wasserstein_norm: 0.1, jensen_shannon: 0.1 } as const;

function distance(test: keyof typeof DISTANCE_THRESHOLDS, value: number): TestResult {
  const threshold = DISTANCE_THRESHOLDS[test];
  return { test, statistic: value, pValue: null, adjustedPValue: null, threshold, drifted: value >= threshold };
}

/** All tests of one numeric feature, KS first; KS' `drifted` is set by `adjustPValues`. */
export function featureTests(refSorted: Float64Array, curSorted: Float64Array, policy: DriftPolicy): TestResult[] {
  const ks = ks2Sorted(refSorted, curSorted);
  return [
    { test: 'ks', statistic: ks.statistic, pValue: ks.pValue, adjustedPValue: ks.pValue, threshold: policy.alpha, drifted: false },
    distance('psi', psiQuantileSorted(refSorted, curSorted)),
    distance('wasserstein_norm', wassersteinNormSorted(refSorted, curSorted)),
    distance('jensen_shannon', jensenShannonSorted(refSorted, curSorted)),
  ];
}

/**
 * Applies the policy's correction across the features' primary tests (a
 * feature with no values has none) and decides drift: significant after
 * correction and D at least the minimum effect.
 */
export function adjustPValues(primary: Array<TestResult | undefined>, policy: DriftPolicy): void {
  const tested = primary.filter((t): t is TestResult => t !== undefined && t.pValue !== null);
  const adjusted = adjust(
    tested.map((t) => t.pValue!),
    policy.correction,
  );
  tested.forEach((t, i) => {
    t.adjustedPValue = adjusted[i];
    t.drifted = adjusted[i] < policy.alpha && t.statistic >= policy.minEffect;
  });
}

/** Chi-square test of homogeneity of predicted classes; drift also needs a class-share shift (total variation) of minClassShift. */
export function classTest(refCounts: number[], curCounts: number[], policy: DriftPolicy, shift: number): TestResult {
  const total = curCounts.reduce((s, c) => s + c, 0);
  const { statistic, pValue } =
    total > 0 && refCounts.length > 1 ? chiSquareHomogeneityFromCounts(refCounts, curCounts) : { statistic: 0, pValue: 1 };
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
