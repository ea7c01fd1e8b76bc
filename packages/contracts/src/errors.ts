import { ModelGateError } from '@modelgate/core'

/** Stable error codes of @modelgate/contracts (the README's "Error codes" table says what each means). */
export const CONTRACTS_ERROR_CODES = [
  'MG_CONTRACTS_EXAMPLE_MISMATCH',
  'MG_CONTRACTS_SCHEMA_INVALID',
  'MG_CONTRACTS_PACT_WRITE_FAILED',
  'MG_CONTRACTS_PACT_INVALID',
  'MG_CONTRACTS_PACT_SPEC_UNSUPPORTED',
  'MG_CONTRACTS_PROVIDER_UNREACHABLE',
  'MG_CONTRACTS_BAD_URL',
  'MG_CONTRACTS_VERIFY_TIMEOUT',
  'MG_CONTRACTS_VERIFIER_FAILED',
  'MG_CONTRACTS_STATE_HANDLERS_INVALID',
  'MG_CONTRACTS_BROKER_UNREACHABLE',
  'MG_CONTRACTS_BROKER_REFUSED',
  'MG_CONTRACTS_PACT_CLI_MISSING',
  'MG_CONTRACTS_SAMPLE_INVALID',
  'MG_CONTRACTS_USAGE',
] as const

export type ContractsErrorCode = (typeof CONTRACTS_ERROR_CODES)[number]

export class ContractsError extends ModelGateError<ContractsErrorCode> {}
