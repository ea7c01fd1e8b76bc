// @modelgate/synth — public API.
export { trainSynthesizer, fitSynthModelFile } from './trainSynthesizer.js'
export { loadSynthModel, parseSynthModelFile } from './loadSynthModel.js'
export { writeSynthetic } from './writeSynthetic.js'
export { evaluateSynthetic } from './evaluateSynthetic.js'
export { fitGaussianCopula } from './fitGaussianCopula.js'
// CTGAN (owner: ctgan helper); TensorFlow.js is imported lazily, only when a CTGAN model is trained or loaded.
export { fitCtgan } from './ctgan/fitCtgan.js'
export { loadCtganModel } from './ctgan/loadCtganModel.js'
export { SynthError, ModelFileVersionError, SYNTH_ERROR_CODES } from './errors.js'
export { SYNTH_MODEL_FORMAT, SYNTH_MODEL_VERSION, synthModelFileSchema } from './modelFile.js'
export type { SynthErrorCode } from './errors.js'
export type { EvaluateSyntheticOptions, SynthEvaluation } from './evaluateSynthetic.js'
export type { WriteSyntheticOptions, WriteSyntheticResult } from './writeSynthetic.js'
export type {
  SynthModelFile,
  ColumnModel,
  NumericColumnModel,
  CategoricalColumnModel,
  BooleanColumnModel,
  PiiColumnModel,
  ContinuousFit,
  CopulaParams,
  PrivacyParams,
} from './modelFile.js'
export type {
  PiiKind,
  TrainProgress,
  TrainSynthesizerOptions,
  WhereValue,
  SampleOptions,
  Shard,
  StreamOptions,
  StreamProgress,
  SynthModel,
} from './types.js'
export type { CtganOptions, CtganSettings, CtganModel, CtganProgress, CtganBackend } from './ctgan/types.js'
export type { LoadCtganOptions } from './ctgan/loadCtganModel.js'
