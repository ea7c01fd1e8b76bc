// @modelgate/synth — public API.

// CTGAN; its engines (ONNX Runtime, TensorFlow.js) load only when a CTGAN model is trained or loaded.
export { fitCtgan } from './ctgan/fitCtgan.js'
export type { LoadCtganOptions } from './ctgan/loadCtganModel.js'
export { loadCtganModel } from './ctgan/loadCtganModel.js'
export type { CtganBackend, CtganModel, CtganOptions, CtganProgress, CtganSettings } from './ctgan/types.js'
export { describeLostColumn } from './describeLostColumn.js'
export type { ColumnDescription, CtganDescription, ModelDescription } from './describeModel.js'
export { describeModel } from './describeModel.js'
export type { SynthErrorCode } from './errors.js'
export { ModelFileVersionError, SYNTH_ERROR_CODES, SynthError } from './errors.js'
export type {
  PrivacyRiskEvaluation,
  PrivacyRiskOptions,
  PrivacyRiskSettings,
} from './evaluate/evaluatePrivacyRisks.js'
export { evaluatePrivacyRisks, PRIVACY_RISK_DEFAULTS } from './evaluate/evaluatePrivacyRisks.js'
export type { InferenceColumnResult, InferenceResult } from './evaluate/inferenceRisk.js'
export type { LinkabilityResult } from './evaluate/linkabilityRisk.js'
export type { MembershipResult } from './evaluate/membershipInference.js'
export type { PrivacyRisk, SuccessRate } from './evaluate/privacyRisk.js'
export type { SinglingOutResult } from './evaluate/singlingOutRisk.js'
export type { HoldoutSplit, SplitHoldoutOptions } from './evaluate/splitHoldout.js'
export { splitHoldout } from './evaluate/splitHoldout.js'
export type { EvaluateSyntheticOptions, SynthEvaluation } from './evaluateSynthetic.js'
export { evaluateSynthetic } from './evaluateSynthetic.js'
export { DENSE_COPULA_MAX_DIMS, fitGaussianCopula } from './fitGaussianCopula.js'
export { loadSynthModel } from './loadSynthModel.js'
export type {
  BooleanColumnModel,
  CategoricalColumnModel,
  ColumnModel,
  ContinuousFit,
  CopulaParams,
  CtganSection,
  LostColumn,
  NumericColumnModel,
  PiiColumnModel,
  PrivacyParams,
  SynthModelFile,
  TextColumnModel,
  TextShape,
} from './modelFile.js'
export { SYNTH_MODEL_FORMAT, SYNTH_MODEL_VERSION, synthModelFileSchema } from './modelFile.js'
export { parseSynthModelFile } from './parseSynthModelFile.js'
export type { RenderModelDescriptionOptions } from './renderModelDescription.js'
export { renderModelDescription } from './renderModelDescription.js'
export { sampleSynthModel } from './sampleSynthModel.js'
export type { ModelCategories, SynthModelSchema } from './synthModelSchema.js'
export { synthModelSchema } from './synthModelSchema.js'
export { fitSynthModelFile, MAX_COPULA_COLUMNS, trainSynthesizer } from './trainSynthesizer.js'
export type {
  PiiKind,
  SampleOptions,
  Shard,
  StreamOptions,
  StreamProgress,
  SynthModel,
  TrainProgress,
  TrainSynthesizerOptions,
  WhereValue,
} from './types.js'
export type { WriteSyntheticOptions, WriteSyntheticResult } from './writeSynthetic.js'
export { writeSynthetic } from './writeSynthetic.js'
