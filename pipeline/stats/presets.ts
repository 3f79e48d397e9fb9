/**
 * Presets: which test (and threshold) decides drift for a column, the
 * multiple-testing correction across features, and the dataset-drift share.
 *
 * evidently — Evidently's DataDriftPreset defaults (`get_default_stattest`):
 *   reference <= 1,000 rows: numeric with > 5 unique values → KS, p < 0.05;
 *     numeric with <= 5 unique values and categorical → chi-square goodness of
 *     fit (> 2 unique) or z-test (<= 2 unique), p < 0.05;
 *   reference > 1,000 rows: numeric with > 5 unique values → normed
 *     Wasserstein >= 0.1; otherwise Jensen–Shannon >= 0.1.
 *   No correction; dataset drift when >= 50% of the columns drift.
 *
 * aegis — the same size split (p-values from large samples flag negligible
 * shifts, so distances take over above 1,000 reference rows), with:
 *   - the chi-square test of homogeneity instead of goodness of fit, for
 *     categorical and <= 5-valued numeric columns: it counts the reference's own
 *     sampling noise, which the goodness-of-fit form ignores and so over-alerts
 *     (fixture categorical_stable: p = 0.057 against 0.001); for two categories
 *     it equals the pooled z-test (X² = z²) without picking a target category;
 *   - Benjamini–Hochberg adjusted p-values across the p-value-tested columns
 *     (FDR 5%), because 30 features tested every 10 s would otherwise raise
 *     ~1.5 false per-feature alerts per evaluation at alpha = 0.05;
 *   - dataset drift when >= 50% of the columns drift.
 */
import type { ColumnKind } from './column.ts';
import type { Correction } from './multiple-testing.ts';
import { getTest, type TestName } from './test-registry.ts';

export interface ColumnProfile {
  kind: ColumnKind;
  nReference: number;
  referenceUnique: number;
}

export interface TestChoice {
  test: TestName;
  threshold: number;
}

export type PresetName = 'evidently' | 'aegis';

export interface Preset {
  name: PresetName;
  description: string;
  correction: Correction;
  datasetDriftShare: number;
  choose(profile: ColumnProfile): TestChoice;
}

export const SMALL_REFERENCE_MAX_ROWS = 1000;
export const LOW_CARDINALITY_MAX_UNIQUE = 5;

const at = (test: TestName): TestChoice => ({ test, threshold: getTest(test).defaultThreshold });

function chooseEvidently({ kind, nReference, referenceUnique }: ColumnProfile): TestChoice {
  const lowCardinality = kind === 'categorical' || referenceUnique <= LOW_CARDINALITY_MAX_UNIQUE;
  if (nReference <= SMALL_REFERENCE_MAX_ROWS) {
    if (!lowCardinality) return at('ks');
    return at(referenceUnique > 2 ? 'chiSquare' : 'zTest');
  }
  return at(lowCardinality ? 'jensenShannon' : 'wassersteinNorm');
}

function chooseAegis({ kind, nReference, referenceUnique }: ColumnProfile): TestChoice {
  const lowCardinality = kind === 'categorical' || referenceUnique <= LOW_CARDINALITY_MAX_UNIQUE;
  if (nReference <= SMALL_REFERENCE_MAX_ROWS) return at(lowCardinality ? 'chiSquareHomogeneity' : 'ks');
  return at(lowCardinality ? 'jensenShannon' : 'wassersteinNorm');
}

export const PRESETS: Readonly<Record<PresetName, Preset>> = {
  evidently: {
    name: 'evidently',
    description: "Evidently DataDriftPreset defaults: KS / chi-square / z-test up to 1,000 reference rows, normed Wasserstein / Jensen-Shannon above; no correction; dataset drift at 50%.",
    correction: 'none',
    datasetDriftShare: 0.5,
    choose: chooseEvidently,
  },
  aegis: {
    name: 'aegis',
    description: 'KS / chi-square homogeneity up to 1,000 reference rows, normed Wasserstein / Jensen-Shannon above; Benjamini-Hochberg across features; dataset drift at 50%.',
    correction: 'bh',
    datasetDriftShare: 0.5,
    choose: chooseAegis,
  },
};

export function isPresetName(name: string): name is PresetName {
  return name === 'evidently' || name === 'aegis';
}
