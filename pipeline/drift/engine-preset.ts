/**
 * The engine decides drift with the same test registry and preset as
 * `aegis report` (pipeline/stats/presets.ts, 'aegis'). Uncalibrated: KS for
 * a numeric feature and chi-square homogeneity for a categorical one up to
 * 1,000 reference rows, normalized Wasserstein and Jensen–Shannon above, at
 * the policy's alpha and correction; its effect-size gate is applied on top
 * (see featureVerdict).
 *
 * Calibrated: p-value tests at every reference size — KS-or-mean ('ksMean')
 * for a numeric feature, chi-square homogeneity for a categorical or
 * low-cardinality one — Bonferroni-adjusted across features and compared
 * with the budget's level (calibration.ts). Distances have no null
 * distribution to calibrate against.
 */
import { LOW_CARDINALITY_MAX_UNIQUE, PRESETS, type Preset } from '../stats/presets.ts';
import { getTest } from '../stats/test-registry.ts';
import { modelLevel } from './calibration.ts';
import { isCalibrated, type DriftPolicy } from './drift-policy.ts';

export function enginePreset(policy: DriftPolicy): Preset {
  const base = PRESETS.aegis;
  if (isCalibrated(policy)) {
    const threshold = modelLevel(policy);
    return {
      ...base,
      correction: 'bonferroni',
      datasetDriftShare: policy.datasetShare,
      choose: ({ kind, referenceUnique }) => ({
        test: kind === 'categorical' || referenceUnique <= LOW_CARDINALITY_MAX_UNIQUE ? 'chiSquareHomogeneity' : 'ksMean',
        threshold,
      }),
    };
  }
  return {
    ...base,
    correction: policy.correction,
    datasetDriftShare: policy.datasetShare,
    choose(profile) {
      const choice = base.choose(profile);
      return getTest(choice.test).direction === 'p-value below' ? { ...choice, threshold: policy.alpha } : choice;
    },
  };
}
