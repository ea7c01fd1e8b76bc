// @modelgate/contracts — public API.

// distribution expectations live in @modelgate/drift (layer 2) since the runtime checks share them; re-exported here
export type {
  CheckExpectationsOptions,
  DeriveExpectationsOptions,
  Expectations,
  FeatureExpectation,
  PayloadSource,
  QuantileBand,
} from '@modelgate/drift'
export {
  checkExpectations,
  deriveExpectations,
  expectationsSchema,
  loadExpectations,
  parseExpectations,
} from '@modelgate/drift'
export type { BrokerAuth } from './BrokerAuth.js'
export type { CanIDeployOptions, CanIDeployResult, MatrixRow, Pacticipant } from './canIDeploy.js'
export { canIDeploy } from './canIDeploy.js'
export type { CheckPayloadFileOptions } from './checkPayloadFile.js'
export { checkPayloadFile } from './checkPayloadFile.js'
export type { ContractsErrorCode } from './errors.js'
export { CONTRACTS_ERROR_CODES, ContractsError } from './errors.js'
export { DEFAULT_FEATURE_LOG_DESCRIPTION, DEFAULT_PROVIDER_STATE, generateContracts } from './generateContracts.js'
export type { LoadContractSchemaOptions } from './loadContractSchema.js'
export { loadContractSchema } from './loadContractSchema.js'
export type { LoadStateHandlersOptions } from './loadStateHandlers.js'
export { loadStateHandlers } from './loadStateHandlers.js'
export type { PublishPactsOptions, PublishPactsResult } from './publishPacts.js'
export { publishPacts } from './publishPacts.js'
export type { PactFileInfo } from './readPactFile.js'
export { readPactFile, SUPPORTED_PACT_SPECS } from './readPactFile.js'
export type { ReadPayloadRowsOptions } from './readPayloadRows.js'
export { readPayloadRows } from './readPayloadRows.js'
export type { ReadPayloadsOptions } from './readPayloads.js'
export { readPayloads } from './readPayloads.js'
export { isZodObject, tableSchemaFromZod } from './tableSchemaFromZod.js'
export { tableToPayloadRows } from './tableToPayloadRows.js'
export type {
  ContractsProgress,
  GenerateContractsOptions,
  GenerateContractsResult,
  GeneratedInteraction,
  PayloadRow,
} from './types.js'
export type {
  InteractionVerification,
  VerificationMismatch,
  VerifyProviderResult,
} from './VerifyProviderResult.js'
export type { VerifyMessageProviderOptions } from './verifyMessageProvider.js'
export { verifyMessageProvider } from './verifyMessageProvider.js'
export type { ConsumerVersionSelector, StateHandler, VerifyProviderOptions } from './verifyProvider.js'
export { VERIFY_DEFAULTS, verifyProvider } from './verifyProvider.js'
