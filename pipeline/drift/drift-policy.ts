/**
 * The rules that turn test results into GREEN / AMBER / RED, with their
 * defaults. A feature has drifted when its primary test is significant after
 * the multiple-testing correction AND the effect is large enough to matter:
 * windows of a few hundred events against a reference of a few hundred rows
 * make small, real-but-irrelevant differences significant, and an alert that
 * fires on sampling noise teaches people to ignore it ("statistical vs
 * practical significance"; Evidently likewise switches to effect sizes for
 * large data).
 */
export interface DriftPolicy {
  /** Significance level for p-value tests, after correction. */
  alpha: number;
  /** Multiple-testing correction across a model's features. */
  correction: 'bh' | 'bonferroni' | 'none';
  /** Minimum KS statistic D for a significant feature to count as drifted (AMBER). */
  minEffect: number;
  /** KS statistic D at or above which a drifted feature is RED. */
  redEffect: number;
  /** Missing share (above the reference's) that makes a feature AMBER, and RED. */
  amberMissing: number;
  redMissing: number;
  /**
   * Share of values outside the reference's [min, max] that makes a feature
   * AMBER, and RED. Higher than for missing values: a reference of a few
   * hundred rows does not reach the tails, so healthy traffic lands outside
   * its range a few percent of the time.
   */
  amberOutOfRange: number;
  redOutOfRange: number;
  /** Share of drifted features at or above which dataset drift is detected (RED). */
  datasetShare: number;
  /**
   * Minimum total-variation distance between class shares for significant prediction drift:
   * healthy windows of a few hundred events swing by up to ~0.12 around the reference shares.
   */
  minClassShift: number;
  /** Labels a window needs before its accuracy is judged. */
  minLabels: number;
  /** Accuracy below the reference's by this much makes the model AMBER, and RED. */
  amberAccuracyDrop: number;
  redAccuracyDrop: number;
}

export const DEFAULT_POLICY: DriftPolicy = {
  alpha: 0.05,
  correction: 'bh',
  minEffect: 0.25,
  redEffect: 0.5,
  amberMissing: 0.05,
  redMissing: 0.2,
  amberOutOfRange: 0.1,
  redOutOfRange: 0.25,
  datasetShare: 0.5,
  minClassShift: 0.2,
  minLabels: 200,
  amberAccuracyDrop: 0.1,
  redAccuracyDrop: 0.2,
};
