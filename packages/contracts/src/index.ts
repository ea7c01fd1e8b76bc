// @modelgate/contracts — public API.
export { generateContracts, DEFAULT_PROVIDER_STATE, DEFAULT_FEATURE_LOG_DESCRIPTION } from './generateContracts.js'
export { verifyProvider } from './verifyProvider.js'
export { verifyMessageProvider } from './verifyMessageProvider.js'
export { readPactFile, SUPPORTED_PACT_SPECS } from './readPactFile.js'
export { publishPacts } from './publishPacts.js'
export { canIDeploy } from './canIDeploy.js'
export { deriveExpectations } from './deriveExpectations.js'
export { checkExpectations } from './checkExpectations.js'
export { loadExpectations, parseExpectations, expectationsSchema } from './expectations.js'
export { readPayloads } from './readPayloads.js'
export { tableSchemaFromZod, isZodObject } from './tableSchemaFromZod.js'
export { CONTRACTS_ERROR_CODES } from './errors.js'

export type { ContractsErrorCode } from './errors.js'
export type {
  ContractsProgress,
  GenerateContractsOptions,
  GenerateContractsResult,
  GeneratedInteraction,
  PayloadRow,
} from './types.js'
export type { ConsumerVersionSelector, StateHandler, VerifyProviderOptions } from './verifyProvider.js'
export type { InteractionVerification, VerificationMismatch, VerifyProviderResult } from './internal/verificationResult.js'
export type { VerifyMessageProviderOptions } from './verifyMessageProvider.js'
export type { PactFileInfo } from './readPactFile.js'
export type { PublishPactsOptions, PublishPactsResult } from './publishPacts.js'
export type { CanIDeployOptions, CanIDeployResult, MatrixRow, Pacticipant } from './canIDeploy.js'
export type { BrokerAuth } from './internal/brokerAuth.js'
export type { DeriveExpectationsOptions } from './deriveExpectations.js'
export type { CheckExpectationsOptions } from './checkExpectations.js'
export type { Expectations, FeatureExpectation, QuantileBand } from './expectations.js'
export type { PayloadSource } from './internal/feedAccumulators.js'
export type { ReadPayloadsOptions } from './readPayloads.js'
