// @modelgate/drift — public API.

export type {
  Baseline,
  BaselineFromJSONOptions,
  BaselineSettings,
  CategoricalColumnBaseline,
  ColumnBaseline,
  LearnedThresholds,
  MultivariateBaseline,
  NumericColumnBaseline,
  PerformanceBaseline,
  PiiColumnBaseline,
} from './baseline.js'
export { BASELINE_FORMAT, BASELINE_VERSION, baselineFromJSON, baselineSchema } from './baseline.js'
export type { BuildBaselineOptions } from './buildBaseline.js'
export { buildBaseline } from './buildBaseline.js'
export type { CheckDriftOptions } from './checkDrift.js'
export { checkDrift } from './checkDrift.js'
export type { CheckExpectationsOptions } from './checkExpectations.js'
export { checkExpectations } from './checkExpectations.js'
export type { DriftStateOptions } from './createDriftState.js'
export { createDriftState, driftStateFromJSON } from './createDriftState.js'
export type { DriftState, EvaluateOptions } from './DriftState.js'
export type { DeriveExpectationsOptions } from './deriveExpectations.js'
export { deriveExpectations } from './deriveExpectations.js'
export type { DriftStateJSON } from './driftStateJson.js'
export { DRIFT_STATE_FORMAT, DRIFT_STATE_VERSION } from './driftStateJson.js'
export type { DriftErrorCode } from './errors.js'
export { DRIFT_ERROR_CODES, DriftError } from './errors.js'
export type { Expectations, FeatureExpectation, QuantileBand } from './expectations.js'
export { expectationsSchema, loadExpectations, parseExpectations } from './expectations.js'
export { flattenEvent } from './flattenEvent.js'
export { loadBaseline } from './loadBaseline.js'
export { mergeBaselines } from './mergeBaselines.js'
export type { PayloadRow, PayloadSource } from './PayloadSource.js'
export type { PerformanceFigures } from './PerformanceFigures.js'
export type { DriftMethod, MethodChoice, MethodKind } from './resolveMethods.js'
export { DRIFT_METHODS, resolveMethods } from './resolveMethods.js'
export type { DriftMatchers } from './toMatchBaseline.js'
// the vitest matcher (registered with vitest by importing '@modelgate/drift/vitest')
export { driftMatchers } from './toMatchBaseline.js'
