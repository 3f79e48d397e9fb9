/**
 * The drift tests by name: which column kinds each accepts, its default
 * threshold and direction ('p-value below': drift when p < threshold;
 * 'distance above': drift when value >= threshold, Evidently's convention), and
 * how to compute it on a prepared column. `wireName` is the snake_case name used
 * in the DriftReport Avro record. Opt-in tests are computed only when asked for.
 */
import { chiSquareGoodnessOfFitFromCounts, chiSquareHomogeneityFromCounts } from './chi-square.ts';
import type { ColumnKind, PreparedColumn } from './column.ts';
import { jensenShannonFromBins } from './jensen-shannon.ts';
import { ks2FromExtremes } from './ks.ts';
import { psiFromBins, psiQuantileSorted } from './psi.ts';
import { proportionsZTestFromCounts } from './z-test.ts';
import { meanShiftTest } from './mean-shift.ts';

export type Direction = 'p-value below' | 'distance above';

export type TestName =
  | 'ks'
  | 'psi'
  | 'psiDeciles'
  | 'wassersteinNorm'
  | 'jensenShannon'
  | 'chiSquare'
  | 'chiSquareHomogeneity'
  | 'zTest'
  | 'meanShift'
  | 'ksMean';

/** p-value tests carry statistic + pValue; distances carry value. */
export type TestOutcome = { statistic: number; pValue: number } | { value: number };

export interface DriftTest {
  name: TestName;
  wireName: string;
  title: string;
  kinds: readonly ColumnKind[];
  defaultThreshold: number;
  direction: Direction;
  optIn: boolean;
  /** Further restriction beyond the kind (e.g. the z-test needs <= 2 reference values). */
  applies?: (column: PreparedColumn) => boolean;
  compute(column: PreparedColumn): TestOutcome;
}

function numeric(column: PreparedColumn, test: string) {
  if (column.kind !== 'numeric') throw new RangeError(`${test} needs a numeric column`);
  return column;
}

/** A p-value test computed on the reference and current counts per category. */
function onValueCounts(
  test: (reference: Float64Array, current: Float64Array) => { statistic: number; pValue: number },
): DriftTest['compute'] {
  return (c) => {
    const b = c.valueBins();
    const { statistic, pValue } = test(b.referenceCounts, b.currentCounts);
    return { statistic, pValue };
  };
}

const tests: DriftTest[] = [
  {
    name: 'ks',
    wireName: 'ks',
    title: 'Kolmogorov–Smirnov (two-sample, scipy ks_2samp)',
    kinds: ['numeric'],
    defaultThreshold: 0.05,
    direction: 'p-value below',
    optIn: false,
    compute: (c) => {
      const col = numeric(c, 'ks');
      const r = ks2FromExtremes(col.nReference, col.nCurrent, col.merged());
      return { statistic: r.statistic, pValue: r.pValue };
    },
  },
  {
    name: 'psi',
    wireName: 'psi',
    title: 'Population Stability Index (Evidently bins)',
    kinds: ['numeric', 'categorical'],
    defaultThreshold: 0.1,
    direction: 'distance above',
    optIn: false,
    compute: (c) => ({ value: psiFromBins(c.bins()) }),
  },
  {
    name: 'psiDeciles',
    wireName: 'psi_deciles',
    title: 'Population Stability Index (reference deciles)',
    kinds: ['numeric'],
    defaultThreshold: 0.1,
    direction: 'distance above',
    optIn: true,
    compute: (c) => {
      const { refSorted, curSorted } = numeric(c, 'psiDeciles');
      return { value: psiQuantileSorted(refSorted, curSorted, 10) };
    },
  },
  {
    name: 'wassersteinNorm',
    wireName: 'wasserstein_norm',
    title: 'Wasserstein-1 / reference std',
    kinds: ['numeric'],
    defaultThreshold: 0.1,
    direction: 'distance above',
    optIn: false,
    compute: (c) => {
      const col = numeric(c, 'wassersteinNorm');
      return { value: col.merged().w1 / Math.max(col.referenceStd(), 0.001) };
    },
  },
  {
    name: 'jensenShannon',
    wireName: 'jensen_shannon',
    title: 'Jensen–Shannon distance (natural log)',
    kinds: ['numeric', 'categorical'],
    defaultThreshold: 0.1,
    direction: 'distance above',
    optIn: false,
    compute: (c) => ({ value: jensenShannonFromBins(c.bins()) }),
  },
  {
    name: 'chiSquare',
    wireName: 'chi_square',
    title: 'Chi-square goodness of fit (Evidently)',
    kinds: ['categorical'],
    defaultThreshold: 0.05,
    direction: 'p-value below',
    optIn: false,
    compute: onValueCounts(chiSquareGoodnessOfFitFromCounts),
  },
  {
    name: 'chiSquareHomogeneity',
    wireName: 'chi_square_homogeneity',
    title: 'Chi-square test of homogeneity (2×k, no continuity correction)',
    kinds: ['categorical'],
    defaultThreshold: 0.05,
    direction: 'p-value below',
    optIn: false,
    compute: onValueCounts(chiSquareHomogeneityFromCounts),
  },
  {
    name: 'zTest',
    wireName: 'z_test',
    title: 'Two-proportion z-test (Evidently, <= 2 reference values)',
    kinds: ['categorical'],
    defaultThreshold: 0.05,
    direction: 'p-value below',
    optIn: false,
    applies: (c) => c.referenceUnique() <= 2,
    compute: onValueCounts(proportionsZTestFromCounts),
  },
  {
    name: 'meanShift',
    wireName: 'mean_shift',
    title: "Welch's test of equal means (normal tail)",
    kinds: ['numeric'],
    defaultThreshold: 0.05,
    direction: 'p-value below',
    optIn: true,
    compute: (c) => {
      const { refSorted, curSorted } = numeric(c, 'meanShift');
      return meanShiftTest(refSorted, curSorted);
    },
  },
  {
    // Either test may find the shift: KS any change of shape, Welch's a small
    // change of location KS misses. Bonferroni over the two keeps the level.
    name: 'ksMean',
    wireName: 'ks_mean',
    title: "KS or Welch's mean test, p = min(1, 2·min(p_KS, p_mean)); statistic KS D",
    kinds: ['numeric'],
    defaultThreshold: 0.05,
    direction: 'p-value below',
    optIn: true,
    compute: (c) => {
      const col = numeric(c, 'ksMean');
      const { refSorted, curSorted } = col;
      const ks = ks2FromExtremes(col.nReference, col.nCurrent, col.merged());
      const pMean = refSorted.length >= 2 && curSorted.length >= 2 ? meanShiftTest(refSorted, curSorted).pValue : 1;
      return { statistic: ks.statistic, pValue: Math.min(1, 2 * Math.min(ks.pValue, pMean)) };
    },
  },
];

export const TEST_REGISTRY: ReadonlyMap<TestName, DriftTest> = new Map(tests.map((t) => [t.name, t]));

export const TEST_NAMES: readonly TestName[] = tests.map((t) => t.name);

export function isTestName(name: string): name is TestName {
  return TEST_REGISTRY.has(name as TestName);
}

export function getTest(name: TestName): DriftTest {
  const t = TEST_REGISTRY.get(name);
  if (!t) throw new RangeError(`unknown drift test '${name}'`);
  return t;
}

/** Tests computed by default for a column: its kind's non-opt-in tests that apply. */
export function defaultTestsFor(column: PreparedColumn): TestName[] {
  return tests.filter((t) => !t.optIn && t.kinds.includes(column.kind) && (t.applies?.(column) ?? true)).map((t) => t.name);
}

/** The value compared with the threshold: the p-value or the distance. */
export function scoreOf(outcome: TestOutcome): number {
  return 'pValue' in outcome ? outcome.pValue : outcome.value;
}

export function isDrift(direction: Direction, score: number, threshold: number): boolean {
  return direction === 'p-value below' ? score < threshold : score >= threshold;
}
