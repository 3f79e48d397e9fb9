/**
 * Thresholds calibrated to a false-alarm budget instead of a fixed effect
 * floor. With F false AMBER-or-worse evaluations allowed per model per day,
 * E = 86,400 / interval evaluations a day, m features and T = 4 test families
 * per feature (distribution; missing, invalid and out-of-range shares), every
 * test runs at
 *
 *   α_test = F / (E · m · T)         (Bonferroni over evaluations, features, tests)
 *
 * so that the expected number of evaluations a day in which any test of
 * stationary traffic fires is at most Σ α_test = F, whatever the dependence
 * between overlapping windows and between features. The distribution family
 * is itself KS or Welch's mean test at α_test / 2 each (test registry,
 * 'ksMean'). The default F = 1, interval 10 s, m = 30 gives
 * α_test = 9.6·10⁻⁷: KS at α_test/2 then needs
 * D ≥ √(−ln(α_test/4)/2) · √((n_r + n_c)/(n_r·n_c)) (Smirnov's limit), e.g.
 * D ≥ 0.123 at n_r = n_c = 1,000 and D ≥ 0.229 at n_r = 170 (the fixed
 * floor was 0.25 at every size); Welch's test a shift of
 * z(α/4) · σ · √(1/n_r + 1/n_c).
 */
import { inverseErrorFunction } from 'simple-statistics';

/** Test families per feature the budget is shared by. */
export const TEST_FAMILIES = 4;

export const SECONDS_PER_DAY = 86_400;

export interface Budget {
  /** False AMBER-or-worse evaluations allowed per model per day. */
  falseAlarmsPerDay: number;
  /** Evaluations per model per day at the configured cadence. */
  evaluationsPerDay: number;
}

/**
 * The level for p-values already Bonferroni-adjusted across the model's
 * features (×m): α_test · m = F / (E · T).
 */
export function modelLevel(b: Budget): number {
  return Math.min(1, b.falseAlarmsPerDay / (b.evaluationsPerDay * TEST_FAMILIES));
}

/** The standard normal quantile z with 1 − Φ(z) = q. */
export function normalUpperQuantile(q: number): number {
  return Math.SQRT2 * inverseErrorFunction(1 - 2 * q);
}

/** The asymptotic two-sided KS critical D at level α for sizes n, m (Smirnov). */
export function ksCriticalD(alpha: number, n: number, m: number): number {
  return Math.sqrt(-Math.log(alpha / 2) / 2) * Math.sqrt((n + m) / (n * m));
}

/**
 * The smallest mean shift, in reference standard deviations, that Welch's
 * test at two-sided level α finds with probability `power` in one evaluation:
 * (z(α/2) + z(1 − power)) · √(1/n_r + 1/n_c).
 */
export function minimumDetectableShift(alpha: number, nReference: number, nWindow: number, power = 0.9): number {
  return (normalUpperQuantile(alpha / 2) + normalUpperQuantile(1 - power)) * Math.sqrt(1 / nReference + 1 / nWindow);
}

/** The per-test level of one feature's test for `features` features: α_test. */
export function testLevel(b: Budget, features: number): number {
  return modelLevel(b) / Math.max(1, features);
}
