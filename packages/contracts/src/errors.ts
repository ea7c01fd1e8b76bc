/**
 * Stable error codes of @modelgate/contracts. Every error is a `ModelGateError` from @modelgate/core
 * carrying one of these codes; the README lists them with their meaning.
 */
export const CONTRACTS_ERROR_CODES = {
  /** An example row does not satisfy the request schema (type, category, bounds, nullability). */
  exampleMismatch: 'MG_CONTRACTS_EXAMPLE_MISMATCH',
  /** A schema cannot be turned into a contract (e.g. no columns, unsupported kind in a response). */
  schemaInvalid: 'MG_CONTRACTS_SCHEMA_INVALID',
  /** The Pact core rejected an interaction while writing the pact. */
  pactWriteFailed: 'MG_CONTRACTS_PACT_WRITE_FAILED',
  /** A pact file is missing, unreadable or not a pact. */
  pactInvalid: 'MG_CONTRACTS_PACT_INVALID',
  /** A pact file declares a specification version the Pact core here cannot read. */
  pactSpecUnsupported: 'MG_CONTRACTS_PACT_SPEC_UNSUPPORTED',
  /** Nothing answers at the provider base URL. */
  providerUnreachable: 'MG_CONTRACTS_PROVIDER_UNREACHABLE',
  /** The verifier could not run at all (bad arguments, crashed core). */
  verifierFailed: 'MG_CONTRACTS_VERIFIER_FAILED',
  /** The state handlers module cannot be loaded or has the wrong shape. */
  stateHandlersInvalid: 'MG_CONTRACTS_STATE_HANDLERS_INVALID',
  /** Nothing answers at the broker URL. */
  brokerUnreachable: 'MG_CONTRACTS_BROKER_UNREACHABLE',
  /** The broker answered but refused the request (401/403/404/409/4xx/5xx). */
  brokerRefused: 'MG_CONTRACTS_BROKER_REFUSED',
  /** The Pact CLI binary is missing or could not be started. */
  pactCliMissing: 'MG_CONTRACTS_PACT_CLI_MISSING',
  /** An expectations file is not valid JSON or does not match the expectations format. */
  expectationsInvalid: 'MG_CONTRACTS_EXPECTATIONS_INVALID',
  /** A payload sample file is missing or holds something other than JSON objects. */
  sampleInvalid: 'MG_CONTRACTS_SAMPLE_INVALID',
  /** Options given to a library function are inconsistent. */
  usage: 'MG_CONTRACTS_USAGE',
} as const

export type ContractsErrorCode = (typeof CONTRACTS_ERROR_CODES)[keyof typeof CONTRACTS_ERROR_CODES]
