// @modelgate/traffic — public API.

export type { CanaryAnalysisResult } from './canaryAnalysisResult.js'
export { canaryAnalysisResult } from './canaryAnalysisResult.js'
export type { ArrivalSchedule, ArrivalSpec, RateStage } from './createArrivalSchedule.js'
export { createArrivalSchedule, parseStages } from './createArrivalSchedule.js'
export type { PreparedRequest, RequestTemplate, RequestTemplateSpec } from './createRequestTemplate.js'
export { createRequestTemplate } from './createRequestTemplate.js'
export type {
  DriftDigest,
  LatencyFigures,
  ShadowDriftReports,
  ShadowProxy,
  ShadowProxyOptions,
  ShadowStatus,
} from './createShadowProxy.js'
export { createShadowProxy, RESERVED_PREFIX, SHADOW_HEADER } from './createShadowProxy.js'
export type { TrafficErrorCode } from './errors.js'
export { TRAFFIC_ERROR_CODES, TrafficError } from './errors.js'
export type { JudgeCanaryOptions } from './judgeCanary.js'
export { CANARY_DEFAULTS, judgeCanary } from './judgeCanary.js'
export type { JudgeLoadOptions } from './judgeLoad.js'
export { judgeLoad, loadResultFromReport, SCHEDULE_CHECK_ID } from './judgeLoad.js'
export type { LoadProgress } from './LoadProgress.js'
export type { ErrorClass, LoadResult, LoadSecond } from './LoadResult.js'
export { mergeLoadResults } from './mergeLoadResults.js'
export type { ReadPayloadFileOptions } from './readPayloadFile.js'
export { readPayloadFile } from './readPayloadFile.js'
export type { ReadReplayFileOptions, ReplayTrace } from './readReplayFile.js'
export { readReplayFile } from './readReplayFile.js'
export { readRequestTemplate, requestTemplateSchema } from './readRequestTemplate.js'
export { readShadowPairs } from './readShadowPairs.js'
export type { PayloadRow, RunLoadOptions } from './runLoad.js'
export { runLoad } from './runLoad.js'
export type { ShadowAnswer, ShadowCounts, ShadowPair } from './ShadowPair.js'
export type { ShadowConfig } from './shadowConfig.js'
export { loadShadowConfig, shadowConfigJsonSchema, shadowConfigSchema } from './shadowConfig.js'
export { shadowPairsJsonl } from './shadowPairsJsonl.js'
