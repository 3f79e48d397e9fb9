/**
 * Public API of the drift statistics: pure functions over typed arrays.
 * The drift engine should call `evaluateNumeric(refSorted, windowValues)` /
 * `evaluateCategorical(ref, window)` per feature and `evaluateDataset` per model.
 */
export { ks2, ks2Sorted, ks2FromExtremes, ksExtremes, KS_MAX_EXACT_N, type KsResult } from './ks.ts';
export { mergedStatsSorted, type MergedStats } from './sorted-merge.ts';
export { sortFloat64, RADIX_MIN_LENGTH } from './radix-sort.ts';
export { probOutsideSquare, probOutsideInside } from './ks-exact.ts';
export { kolmogorovNSf, durbinMatrixCdf, pomeranzCdf, pelzGoodCdf } from './kolmogorov-n.ts';
export { smirnovSf } from './smirnov.ts';
export { sturgesBinEdges, sturgesBinEdgesSorted, linspace, histogramCountsSorted, lowerBound, upperBound } from './histogram-bin-edges.ts';
export {
  numericSharedBins,
  categoricalSharedBins,
  shares,
  uniqueCountSorted,
  EVIDENTLY_MAX_UNIQUE_FOR_VALUE_BINS,
  type SharedBins,
} from './shared-bins.ts';
export { psiSorted, psiQuantileSorted, psiFromShares, psiFromBins, fillZeroShares } from './psi.ts';
export { wasserstein1Sorted, wassersteinNormSorted, populationStd } from './wasserstein.ts';
export { jensenShannonSorted, jensenShannonFromCounts, jensenShannonFromBins } from './jensen-shannon.ts';
export {
  chiSquareGoodnessOfFit,
  chiSquareHomogeneity,
  chiSquareGoodnessOfFitFromCounts,
  chiSquareHomogeneityFromCounts,
  type ChiSquareResult,
} from './chi-square.ts';
export { proportionsZTestFromCounts, type ZTestResult } from './z-test.ts';
export { regularizedGammaP, regularizedGammaQ, chiSquareSf, normalTwoSidedP } from './incomplete-gamma.ts';
export { bonferroni, benjaminiHochberg, adjustPValues, datasetDrift, type Correction } from './multiple-testing.ts';
export {
  TEST_REGISTRY,
  TEST_NAMES,
  getTest,
  isTestName,
  defaultTestsFor,
  scoreOf,
  isDrift,
  type DriftTest,
  type Direction,
  type TestName,
  type TestOutcome,
} from './test-registry.ts';
export {
  PRESETS,
  isPresetName,
  SMALL_REFERENCE_MAX_ROWS,
  LOW_CARDINALITY_MAX_UNIQUE,
  type Preset,
  type PresetName,
  type ColumnProfile,
  type TestChoice,
} from './presets.ts';
export { prepareNumeric, prepareCategorical, prepareCategoricalCounts, type PreparedColumn, type NumericColumn, type CategoricalColumn, type ColumnKind, type ReferenceSummary } from './column.ts';
export {
  evaluateColumn,
  evaluateNumeric,
  evaluateCategorical,
  evaluateDataset,
  resolvePreset,
  type EvaluateOptions,
  type NumericEvaluateOptions,
  type ColumnEvaluation,
  type DriftVerdict,
  type DatasetEvaluation,
} from './evaluate.ts';
export { toFloat64, sortedCopy, checkSorted, type Sample } from './sample.ts';
