import { ModelGateError } from '@modelgate/core'

/** Stable error codes of @modelgate/cli (the README's "Error codes" table says what each means). */
export const CLI_ERROR_CODES = ['MG_CLI_USAGE', 'MG_CLI_STRICT', 'MG_CLI_OUT_IS_INPUT'] as const

export type CliErrorCode = (typeof CLI_ERROR_CODES)[number]

export class CliError extends ModelGateError<CliErrorCode> {}
