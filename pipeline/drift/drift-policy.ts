/**
 * The rules that turn test results into GREEN / AMBER / RED, with their
 * defaults.
 *
 * Calibrated (the default, `falseAlarmsPerDay` > 0): a feature has drifted
 * when its test is significant at the level a false-alarm budget implies
 * (pipeline/drift/calibration.ts), so the threshold on KS D follows the
 * sample sizes instead of being one fixed floor; `minEffect` is an optional
 * practical-significance floor on top. Integrity shares must both exceed
 * what healthy traffic shows (a rate test at the same level) and reach a
 * practical floor.
 *
 * Uncalibrated (`falseAlarmsPerDay` = 0, the rules before calibration): the
 * primary test at `alpha` after `correction`, and an effect of at least
 * `minEffect`: windows of a few hundred events against a reference of a few
 * hundred rows make small, real-but-irrelevant differences significant, and
 * an alert that fires on sampling noise teaches people to ignore it.
 *
 * RED means act: a drifted feature is RED when its mean moved at least
 * `redShift` reference standard deviations, its spread changed by a factor of
 * `redScale` or more, or its effect (KS D, total variation) reached
 * `redEffect` — each readable in one line in the feature's own units.
 */
export interface DriftPolicy {
  /** False AMBER-or-worse evaluations allowed per model per day; 0 turns calibration off. */
  falseAlarmsPerDay: number;
  /** Evaluations per model per day (86,400 / the interval in seconds), which the budget is spread over. */
  evaluationsPerDay: number;
  /** Significance level for p-value tests, after correction (uncalibrated). */
  alpha: number;
  /** Multiple-testing correction across a model's features (uncalibrated). */
  correction: 'bh' | 'bonferroni' | 'none';
  /** Minimum effect (KS D, total variation) for a significant feature to count as drifted. */
  minEffect: number;
  /** KS D (or total variation) at or above which a drifted feature is RED. */
  redEffect: number;
  /** Mean shift, in reference standard deviations, at or above which a drifted numeric feature is RED. */
  redShift: number;
  /** Spread ratio (window σ / reference σ, or its inverse) at or above which a drifted numeric feature is RED. */
  redScale: number;
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
  /**
   * Hysteresis: a feature's status falls only after this many evaluations in
   * a row whose evidence no longer holds it (see status-hold.ts); 0 or 1
   * follows every evaluation.
   */
  calmEvaluations: number;
}

/** The defaults: one false alarm per model per day at the engine's default 10 s interval. */
export const DEFAULT_POLICY: DriftPolicy = {
  falseAlarmsPerDay: 1,
  evaluationsPerDay: 8640,
  alpha: 0.05,
  correction: 'bh',
  minEffect: 0,
  redEffect: 0.5,
  redShift: 0.75,
  redScale: 2,
  amberMissing: 0.02,
  redMissing: 0.1,
  amberOutOfRange: 0.1,
  redOutOfRange: 0.25,
  datasetShare: 0.5,
  minClassShift: 0.2,
  minLabels: 200,
  amberAccuracyDrop: 0.1,
  redAccuracyDrop: 0.2,
  calmEvaluations: 3,
};

/** The rules before calibration (fixed D floor 0.25, RED at 0.5, no hysteresis), for comparison. */
export const UNCALIBRATED_POLICY: DriftPolicy = {
  ...DEFAULT_POLICY,
  falseAlarmsPerDay: 0,
  minEffect: 0.25,
  redShift: Infinity,
  redScale: Infinity,
  amberMissing: 0.05,
  redMissing: 0.2,
  calmEvaluations: 0,
};

export const isCalibrated = (p: DriftPolicy) => p.falseAlarmsPerDay > 0;
