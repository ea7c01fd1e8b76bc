// @modelgate/gate — public API.
export { diffBaselines } from './diffBaselines.js'
export type { DraftGateConfig, DraftGateConfigOptions } from './draftGateConfig.js'
export { draftGateConfig } from './draftGateConfig.js'
export type { GateErrorCode } from './errors.js'
export { GATE_ERROR_CODES, GateError } from './errors.js'
export type {
  CheckType,
  ContractsCheckConfig,
  DriftCheckConfig,
  ExpectationsCheckConfig,
  GateCheck,
  GateConfig,
  LoadCheckConfig,
  ShadowCheckConfig,
  SkewCheckConfig,
  SynthCheckConfig,
} from './gateConfig.js'
export {
  CHECK_TYPES,
  DEFAULT_TIMEOUTS_MS,
  gateConfigJsonSchema,
  gateConfigSchema,
  loadGateConfig,
  resolveGateConfig,
  TIMING_CHECKS,
} from './gateConfig.js'
export type { GateProgress, RunGateOptions } from './runGate.js'
export { runGate } from './runGate.js'
export type { UpdateBaselineOptions, UpdateBaselineResult } from './updateBaseline.js'
export { updateBaseline } from './updateBaseline.js'
