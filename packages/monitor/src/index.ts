// @modelgate/monitor — public API.

export { loadBaseline } from '@modelgate/drift'
export type {
  CalibrateOption,
  CalibrateThresholdsOptions,
  Calibration,
  RuleCalibration,
} from './calibrateThresholds.js'
export { calibrateThresholds } from './calibrateThresholds.js'
export type { Checkpointer, CheckpointerOptions } from './createCheckpointer.js'
export { createCheckpointer, readCheckpoint } from './createCheckpointer.js'
export type { DeadLetter, DeadLetterEntry } from './createDeadLetter.js'
export { createDeadLetter } from './createDeadLetter.js'
export type { BadEventReason, EventValidator, ValidatedEvent } from './createEventValidator.js'
export { createEventValidator, parseTimestamp } from './createEventValidator.js'
export type { IngestResult, Monitor } from './createMonitor.js'
export { createMonitor } from './createMonitor.js'
export type { MonitorMetrics } from './createMonitorMetrics.js'
export { createMonitorMetrics } from './createMonitorMetrics.js'
export { createRedactor } from './createRedactor.js'
export type { RuleEngine } from './createRuleEngine.js'
export { createRuleEngine } from './createRuleEngine.js'
export type { WriteAheadLog, WriteAheadLogOptions } from './createWriteAheadLog.js'
export { createWriteAheadLog, readWriteAheadLog } from './createWriteAheadLog.js'
export type {
  DriftSummary,
  EstimatedPerformance,
  FeatureDrift,
  QualitySignal,
  RealizedPerformance,
  WindowPerformance,
} from './DriftSummary.js'
export type { MonitorErrorCode } from './errors.js'
export { MONITOR_ERROR_CODES, MonitorError } from './errors.js'
export type { InferenceEvent, LabelEvent } from './inferenceEvent.js'
export {
  inferenceEventJsonSchema,
  inferenceEventSchema,
  labelEventJsonSchema,
  labelEventSchema,
} from './inferenceEvent.js'
export type { MonitorOptions } from './MonitorOptions.js'
export type { CalibrationProgress, MonitorStatus } from './MonitorStatus.js'
export type { AlertRule, AlertRuleInput, MonitorConfig, RuleMetric, WebhookTarget } from './monitorConfig.js'
export {
  alertRuleSchema,
  defaultRules,
  loadMonitorConfig,
  monitorConfigJsonSchema,
  monitorConfigSchema,
  RULE_METRICS,
} from './monitorConfig.js'
export type { MonitorSnapshot } from './monitorSnapshot.js'
export { MONITOR_SNAPSHOT_FORMAT, monitorSnapshotSchema, parseMonitorSnapshot } from './monitorSnapshot.js'
export type { ParsedBody } from './parseEventBody.js'
export { parseEventBody } from './parseEventBody.js'
export type { SendWebhookOptions, WebhookDelivery } from './sendWebhook.js'
export { sendWebhook } from './sendWebhook.js'
export type { FilePosition, FileSource, FileSourceOptions } from './sources/createFileSource.js'
export { createFileSource } from './sources/createFileSource.js'
export type { NatsSourceOptions } from './sources/createNatsSource.js'
export { createNatsSource } from './sources/createNatsSource.js'
export type { RedisSourceOptions } from './sources/createRedisSource.js'
export { createRedisSource } from './sources/createRedisSource.js'
export type { EventSink, EventSource, SourceBatch } from './sources/EventSource.js'
export type { StreamPosition } from './sources/heldEntries.js'
export { sourceSink } from './sources/sourceSink.js'
export type { MonitorServer, MonitorServerOptions } from './startMonitorServer.js'
export { startMonitorServer } from './startMonitorServer.js'
export type { MonitorService, MonitorServiceOptions } from './startMonitorService.js'
export { createSourceFromSpec, startMonitorService } from './startMonitorService.js'
export type { Alert, LabelFigures, LatencyFigures, WindowSummary } from './types.js'
export type { MergedWindows, MergeWindowStatesOptions, WindowStateJSON } from './windowState.js'
export { mergeWindowStates, WINDOW_STATE_FORMAT, windowStateSchema } from './windowState.js'
