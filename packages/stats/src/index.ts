// @modelgate/stats — public API.

export type { AndersonDarlingOptions } from './andersonDarlingKSample.js'
export { andersonDarlingKSample } from './andersonDarlingKSample.js'
export type { BenjaminiHochbergResult } from './benjaminiHochberg.js'
export { benjaminiHochberg } from './benjaminiHochberg.js'
export { betaInc } from './betaInc.js'
export type { BinomialTestOptions } from './binomialTest.js'
export { binomialTest } from './binomialTest.js'
export type { CategoryCounts } from './CategoryCounts.js'
export { chiSquareCdf, chiSquareSf } from './chiSquareCdf.js'
export type { ChiSquareTestOptions } from './chiSquareTest.js'
export { chiSquareTest } from './chiSquareTest.js'
export type { SketchPsiOptions } from './compareSketches.js'
export { ksTestFromSketches, psiFromSketches } from './compareSketches.js'
export { cramersV } from './cramersV.js'
export type { CategoryCount, FrequencySketch, FrequencySketchJSON } from './createFrequencySketch.js'
export { createFrequencySketch, frequencySketchFromJSON } from './createFrequencySketch.js'
export type {
  LatencyHistogram,
  LatencyHistogramJSON,
  LatencyHistogramOptions,
  LatencySummary,
  LatencyUnit,
} from './createLatencyHistogram.js'
export { createLatencyHistogram, decodeLatencyHistogram } from './createLatencyHistogram.js'
export type { QuantileSketch, QuantileSketchJSON, QuantileSketchOptions } from './createQuantileSketch.js'
// mergeable sketches for streams
export { createQuantileSketch, quantileSketchFromJSON } from './createQuantileSketch.js'
export { erfc } from './erfc.js'
export type { StatsErrorCode } from './errors.js'
export { STATS_ERROR_CODES, StatsError } from './errors.js'
export type { LogisticRegressionModel, LogisticRegressionOptions } from './fitLogisticRegression.js'
export { fitLogisticRegression, predictLogisticRegression } from './fitLogisticRegression.js'
export { gammaP, gammaQ } from './gammaP.js'
export { hellinger } from './hellinger.js'
export type { HodgesLehmannOptions, ShiftEstimate } from './hodgesLehmann.js'
export { hodgesLehmann, hodgesLehmannShift } from './hodgesLehmann.js'
export type { HolmBonferroniResult } from './holmBonferroni.js'
export { holmBonferroni } from './holmBonferroni.js'
export type { IsotonicModel, IsotonicRegressionOptions, IsotonicRegressionResult } from './isotonicRegression.js'
export { fitIsotonicRegression, isotonicRegression, predictIsotonicRegression } from './isotonicRegression.js'
export { jacobiEigen } from './jacobiEigen.js'
export type { DistanceOptions, JensenShannonSamplesOptions } from './jensenShannon.js'
export { jensenShannon, jensenShannonSamples } from './jensenShannon.js'
export type { KsTestOptions } from './ksTest.js'
// two-sample tests and distances (each returns a TestResult)
export { ksStatistic, ksTest } from './ksTest.js'
export { lnGamma } from './lnGamma.js'
export type { MannWhitneyUOptions } from './mannWhitneyU.js'
export { mannWhitneyU } from './mannWhitneyU.js'
export type {
  BaselineBandOptions,
  MatchDistributionOptions,
  MatcherContext,
  MatcherResult,
  ModelGateMatchers,
} from './matchers.js'
// test matchers (registered with vitest by importing '@modelgate/stats/vitest')
export { modelgateMatchers } from './matchers.js'
// distribution functions
export { normalCdf, normalSf } from './normalCdf.js'
export { normalPpf } from './normalPpf.js'
// correlations and multiple testing
export { pearson } from './pearson.js'
export type { ProportionInterval, ProportionIntervalOptions } from './proportionInterval.js'
export { proportionInterval } from './proportionInterval.js'
export type { ProportionsZTestOptions } from './proportionsZTest.js'
export { proportionsZTest } from './proportionsZTest.js'
export type { PsiBreakdown, PsiCountsOptions, PsiOptions } from './psi.js'
export { psi, psiBreakdown, psiCategorical, psiFromCounts } from './psi.js'
export type { QuantileSketchErrorOptions, QuantileSketchSizeOptions } from './quantileSketchSize.js'
export { quantileSketchRankError, quantileSketchSize } from './quantileSketchSize.js'
export type { QuantilesOptions } from './quantiles.js'
export { quantileSorted, quantiles } from './quantiles.js'
export type { RocAucOptions } from './rocAuc.js'
export { rocAuc } from './rocAuc.js'
export { spearman } from './spearman.js'
export { studentTCdf, studentTSf } from './studentTCdf.js'
export type { TestResult } from './TestResult.js'
export type { TostOptions, TostTwoSampleOptions } from './tost.js'
export { tostPaired, tostTwoSample } from './tost.js'
export { totalVariation } from './totalVariation.js'
export { wasserstein } from './wasserstein.js'
export type { WilcoxonSignedRankOptions } from './wilcoxonSignedRank.js'
export { wilcoxonSignedRank } from './wilcoxonSignedRank.js'
