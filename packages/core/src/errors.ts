/**
 * The one error type of ModelGate. Every package subclasses it or throws it with a stable `code`
 * (e.g. `MG_CSV_RAGGED_ROW`); the CLI maps `exitCode` to the process exit status and prints `hint`.
 */
export interface ModelGateErrorOptions {
  readonly hint?: string
  readonly cause?: unknown
  /** 2 for usage errors and bad input (the default), 1 for a failed check. */
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

export class ModelGateError extends Error {
  readonly code: string
  readonly hint: string | undefined
  readonly exitCode: 1 | 2
  readonly location: ErrorLocation | undefined

  constructor(code: string, message: string, options: ModelGateErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'ModelGateError'
    this.code = code
    this.hint = options.hint
    this.exitCode = options.exitCode ?? 2
    this.location = options.location
  }
}

export function isModelGateError(value: unknown): value is ModelGateError {
  return value instanceof ModelGateError
}

/** "file.csv row 1,204, column "amount"" — the prefix every located message starts with. */
export function describeLocation(location: ErrorLocation): string {
  const parts: string[] = []
  if (location.file !== undefined) parts.push(location.file)
  if (location.row !== undefined) parts.push(`row ${location.row.toLocaleString('en-US')}`)
  if (location.column !== undefined) parts.push(`column "${location.column}"`)
  return parts.join(', ')
}
