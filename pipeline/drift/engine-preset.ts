/**
 * The engine decides drift with the same test registry and preset as
 * `aegis report` (pipeline/stats/presets.ts, 'aegis'): KS for a numeric
 * feature and chi-square homogeneity for a categorical one up to 1,000
 * reference rows, normalized Wasserstein and Jensen–Shannon above. The drift
 * policy only sets the significance level and the correction across features;
 * its effect-size gate is applied on top (see featureVerdict).
 */
import { PRESETS, type Preset } from '../stats/presets.ts';
import { getTest } from '../stats/test-registry.ts';
import type { DriftPolicy } from './drift-policy.ts';

export function enginePreset(policy: DriftPolicy): Preset {
  const base = PRESETS.aegis;
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
