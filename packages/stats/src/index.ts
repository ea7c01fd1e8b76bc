// @modelgate/stats — public API.

// distribution functions
export { normalCdf, normalSf } from './normalCdf.js'
export { normalPpf } from './normalPpf.js'
export { studentTCdf, studentTSf } from './studentTCdf.js'
export { chiSquareCdf, chiSquareSf } from './chiSquareCdf.js'
export { erfc, lnGamma, gammaP, gammaQ, betaInc } from './internal/special.js'

// two-sample tests and distances (each returns a TestResult)
export { ksTest, ksStatistic } from './ksTest.js'
export { psi, psiBreakdown, psiFromCounts, psiCategorical } from './psi.js'
export { chiSquareTest } from './chiSquareTest.js'
export { proportionsZTest } from './proportionsZTest.js'
export { jensenShannon, jensenShannonSamples } from './jensenShannon.js'
export { wasserstein } from './wasserstein.js'
export { totalVariation } from './totalVariation.js'
export { hellinger } from './hellinger.js'
export { andersonDarlingKSample } from './andersonDarlingKSample.js'
export { mannWhitneyU } from './mannWhitneyU.js'
export { tostPaired, tostTwoSample } from './tost.js'

// correlations and multiple testing
export { pearson } from './pearson.js'
export { quantiles, quantileSorted } from './quantiles.js'
export { spearman } from './spearman.js'
export { cramersV } from './cramersV.js'
export { benjaminiHochberg } from './benjaminiHochberg.js'

// mergeable sketches for streams
export { createQuantileSketch, quantileSketchFromJSON } from './createQuantileSketch.js'
export { createFrequencySketch, frequencySketchFromJSON } from './createFrequencySketch.js'
export { createLatencyHistogram, decodeLatencyHistogram } from './createLatencyHistogram.js'
export { psiFromSketches, ksTestFromSketches } from './compareSketches.js'

// test matchers (registered with vitest by importing '@modelgate/stats/vitest')
export { modelgateMatchers } from './matchers.js'

// errors
export { STATS_ERRORS } from './internal/validate.js'

export type { TestResult } from './TestResult.js'
export type { CategoryCounts } from './internal/counts.js'
export type { KsTestOptions } from './ksTest.js'
export type { PsiOptions, PsiCountsOptions, PsiBreakdown } from './psi.js'
export type { ChiSquareTestOptions } from './chiSquareTest.js'
export type { ProportionsZTestOptions } from './proportionsZTest.js'
export type { DistanceOptions, JensenShannonSamplesOptions } from './jensenShannon.js'
export type { AndersonDarlingOptions } from './andersonDarlingKSample.js'
export type { MannWhitneyUOptions } from './mannWhitneyU.js'
export type { TostOptions, TostTwoSampleOptions } from './tost.js'
export type { BenjaminiHochbergResult } from './benjaminiHochberg.js'
export type { QuantilesOptions } from './quantiles.js'
export type { QuantileSketch, QuantileSketchOptions, QuantileSketchJSON } from './createQuantileSketch.js'
export type { SketchPsiOptions } from './compareSketches.js'
export type { FrequencySketch, FrequencySketchJSON, CategoryCount } from './createFrequencySketch.js'
export type {
  LatencyHistogram,
  LatencyHistogramOptions,
  LatencyHistogramJSON,
  LatencySummary,
  LatencyUnit,
} from './createLatencyHistogram.js'
export type { ModelGateMatchers, MatchDistributionOptions, BaselineBandOptions } from './matchers.js'
