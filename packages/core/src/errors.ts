/**
 * The one error type of ModelGate. Every package throws it (or its own subclass, e.g. `SynthError`) with a stable
 * `code` from that package's registry (`CORE_ERROR_CODES` here, `SYNTH_ERROR_CODES` in synth, …; each package README
 * has a table of them); the CLI maps `exitCode` to the process exit status and prints `hint`.
 */
export interface ModelGateErrorOptions {
  readonly hint?: string
  readonly cause?: unknown
  /** 2 for usage errors and bad input (the default), 1 for a failed check or a cancelled run. */
  readonly exitCode?: 1 | 2
  /** Where the problem is, when it is in a file. */
  readonly location?: ErrorLocation
}

export interface ErrorLocation {
  readonly file?: string
  /** 1-based data row (the header is not counted). */
  readonly row?: number
  readonly column?: string
}

/** Stable error codes of @modelgate/core (the README's "Error codes" tables say what each means). */
export const CORE_ERROR_CODES = [
  // reading and writing files
  'MG_IO_UNKNOWN_FORMAT',
  'MG_IO_NOT_FOUND',
  'MG_IO_NOT_A_FILE',
  'MG_IO_READ_FAILED',
  'MG_IO_ENCODING',
  'MG_IO_EMPTY_FILE',
  'MG_IO_MISSING_COLUMN',
  'MG_IO_WRITE_FAILED',
  'MG_IO_WRITE_COLUMNS_CHANGED',
  'MG_IO_WRITER_CLOSED',
  'MG_CSV_RAGGED_ROW',
  'MG_CSV_UNTERMINATED_QUOTE',
  'MG_CSV_MALFORMED_QUOTE',
  'MG_CSV_BAD_HEADER',
  'MG_CSV_BAD_DELIMITER',
  'MG_DATA_TYPE_MISMATCH',
  'MG_DATA_NOT_FINITE',
  'MG_DATETIME_FORMAT_INVALID',
  'MG_JSON_INVALID',
  'MG_JSON_NOT_OBJECT',
  'MG_JSON_TOO_DEEP',
  'MG_JSON_NOT_ARRAY',
  'MG_JSON_NEW_COLUMN',
  'MG_PARQUET_INVALID',
  'MG_ARROW_INVALID',
  // loading a user's module
  'MG_MODULE_LOAD_FAILED',
  // table utilities
  'MG_TABLE_NO_COLUMN',
  'MG_TABLE_LENGTH_MISMATCH',
  'MG_TABLE_DUPLICATE_COLUMN',
  'MG_TABLE_EMPTY_COLUMN_NAME',
  'MG_TABLE_NOT_NUMERIC',
  'MG_TABLE_KIND_MISMATCH',
  'MG_TABLE_COLUMNS_MISMATCH',
  // schemas (thrown, or reported by checkTableAgainstSchema / inferSchema)
  'MG_SCHEMA_INVALID',
  'MG_SCHEMA_INVALID_JSON',
  'MG_SCHEMA_NOT_FOUND',
  'MG_SCHEMA_VERSION',
  'MG_SCHEMA_NO_COLUMNS',
  'MG_SCHEMA_MISSING_COLUMN',
  'MG_SCHEMA_WRONG_KIND',
  'MG_SCHEMA_OUT_OF_BOUNDS',
  'MG_SCHEMA_VALUE_NOT_ALLOWED',
  'MG_SCHEMA_UNEXPECTED_NULL',
  'MG_SCHEMA_CONSTANT_COLUMN',
  'MG_SCHEMA_ALL_NULL_COLUMN',
  'MG_SCHEMA_RARE_CATEGORIES',
  'MG_SCHEMA_QUASI_IDENTIFIER',
  'MG_SCHEMA_PII_UNTAGGED',
  'MG_SCHEMA_DATE_ORDER_ASSUMED',
  'MG_SCHEMA_DAY_FIRST',
  'MG_SCHEMA_MONTH_FIRST',
  // seeded randomness
  'MG_RANDOM_BAD_STATE',
  'MG_RANDOM_EMPTY_CHOICE',
  // any long-running call
  'MG_CANCELLED',
  // the grammar and config files
  'MG_DURATION_INVALID',
  'MG_RATE_INVALID',
  'MG_PERCENT_INVALID',
  'MG_SLO_INVALID',
  'MG_CONFIG_INVALID',
  'MG_CONFIG_UNREADABLE',
  // the library boundary
  'MG_ARGUMENT_INVALID',
  'MG_DEPENDENCY_MISSING',
] as const

export type CoreErrorCode = (typeof CORE_ERROR_CODES)[number]

/**
 * An error with a stable `code`. Generic over its code, so a package's subclass (`SynthError extends
 * ModelGateError<SynthErrorCode>`) accepts only the codes of its registry.
 */
export class ModelGateError<Code extends string = string> extends Error {
  readonly code: Code
  readonly hint: string | undefined
  readonly exitCode: 1 | 2
  readonly location: ErrorLocation | undefined

  constructor(code: Code, message: string, options: ModelGateErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    // The subclass's name (SynthError, …), so a stack trace says which package threw.
    this.name = new.target.name
    this.code = code
    this.hint = options.hint
    this.exitCode = options.exitCode ?? 2
    this.location = options.location
  }
}

export function isModelGateError(value: unknown): value is ModelGateError {
  return value instanceof ModelGateError
}

/**
 * The error of a run stopped by its `AbortSignal` (Ctrl-C in the CLI): `MG_CANCELLED`, exit 1. `message` says what
 * stopped and what was (not) written.
 */
export function cancelledError(
  message: string,
  options: Omit<ModelGateErrorOptions, 'exitCode'> = {},
): ModelGateError<'MG_CANCELLED'> {
  return new ModelGateError('MG_CANCELLED', message, { ...options, exitCode: 1 })
}

/** "file.csv row 1,204, column "amount"" — the prefix every located message starts with. */
export function describeLocation(location: ErrorLocation): string {
  const parts: string[] = []
  if (location.file !== undefined) parts.push(location.file)
  if (location.row !== undefined) parts.push(`row ${location.row.toLocaleString('en-US')}`)
  if (location.column !== undefined) parts.push(`column "${location.column}"`)
  return parts.join(', ')
}
