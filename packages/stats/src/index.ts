// @modelgate/stats — public API.

// distribution functions
export { normalCdf, normalSf } from './normalCdf.js'
export { normalPpf } from './normalPpf.js'
export { studentTCdf, studentTSf } from './studentTCdf.js'
export { chiSquareCdf, chiSquareSf } from './chiSquareCdf.js'

// two-sample tests and distances
export { ksTest } from './ksTest.js'
export { psi, psiFromCounts, psiCategorical } from './psi.js'

// correlations
export { pearson } from './pearson.js'
export { spearman } from './spearman.js'

// errors
export { STATS_ERRORS } from './internal/validate.js'

export type { TestResult } from './TestResult.js'
export type { KsTestOptions } from './ksTest.js'
export type { PsiOptions, PsiCountsOptions, CategoryCounts } from './psi.js'
