// @modelgate/skew — public API.

export type { BatchCommandOptions, BatchFileFormat } from './batchCommand.js'
export { batchCommand } from './batchCommand.js'
export type { BatchFunctionOptions } from './batchFunction.js'
export { batchFunction } from './batchFunction.js'
export type { BatchSqlOptions } from './batchSql.js'
export { batchSql } from './batchSql.js'
export type { LeakageCheck, LeakageExample, LeakageOptions, LeakageReport } from './checkLeakage.js'
export { checkLeakage } from './checkLeakage.js'
export { checkSkew, GENERATED_KEY } from './checkSkew.js'
export type { PathSpecOptions } from './createPathFromSpec.js'
export { createPathFromSpec, PATH_SPEC_SYNTAX } from './createPathFromSpec.js'
export type { SkewErrorCode } from './errors.js'
export { SKEW_ERROR_CODES, SkewError } from './errors.js'
export type { ExpandingWindowOptions, TimeSplit } from './expandingWindowSplits.js'
export { expandingWindowSplits } from './expandingWindowSplits.js'
export type { OnlineFunctionOptions } from './onlineFunction.js'
export { onlineFunction } from './onlineFunction.js'
export type { OnlineHttpOptions } from './onlineHttp.js'
export { onlineHttp } from './onlineHttp.js'
export { renderSkewDetails } from './renderSkewDetails.js'
export { SKEW_DEFAULTS } from './skewDefaults.js'
export { toReport } from './toReport.js'
export type {
  FeaturePath,
  FeatureRecord,
  FeatureSkew,
  FeatureValue,
  InputRow,
  PathContext,
  PathOutput,
  RedactedColumn,
  RowCoverage,
  RowFailure,
  SchemaSkew,
  SkewOptions,
  SkewProgress,
  SkewReport,
  TestSummary,
  Tolerance,
  ValueType,
  WorstRow,
} from './types.js'
