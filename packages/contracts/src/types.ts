import type { TableSchema } from '@modelgate/core'

/** A row of a feature payload or a prediction, as JSON. */
export type PayloadRow = Readonly<Record<string, unknown>>

export interface ContractsProgress {
  readonly done: number
  readonly total: number
  readonly label: string
}

export interface GenerateContractsOptions {
  readonly consumer: string
  readonly provider: string
  /** Schema of the feature payload the consumer sends. */
  readonly request: TableSchema
  /** Schema of the prediction the provider returns. */
  readonly response: TableSchema
  /** Default `POST`. */
  readonly method?: string
  /** Default `/predict`. */
  readonly path?: string
  /** Candidate rows (synthetic payloads); without them, examples are drawn from the schema alone. */
  readonly examples?: readonly PayloadRow[]
  /** File the examples came from, for error messages. Default `examples`. */
  readonly examplesSource?: string
  /** Number of HTTP interactions. Default: enough to cover the schema, plus one typical payload. */
  readonly interactions?: number
  /** Seed of every random choice. Default 1. */
  readonly seed?: number
  /** Categories seen fewer than k times in the examples are never written. Default 5. */
  readonly k?: number
  /** Directory the pact files go to (created when missing). */
  readonly outDir: string
  /** Provider state of every interaction. Default `the model is loaded`. */
  readonly providerState?: string
  /** Also write a message pact for the feature-log event the provider emits, consumed by `consumer`. */
  readonly featureLog?: { readonly consumer: string; readonly description?: string }
  /** Also write a ready vitest consumer test to this path. */
  readonly emitTest?: string
  readonly onProgress?: (progress: ContractsProgress) => void
}

export interface GeneratedInteraction {
  readonly description: string
  readonly providerState: string
  readonly kind: 'typical' | 'coverage'
  /** Coverage targets this interaction shows, e.g. `merchant_category=travel`, `device_fingerprint=null`. */
  readonly covers: readonly string[]
}

export interface GenerateContractsResult {
  readonly pactFile: string
  readonly messagePactFile?: string
  readonly testFile?: string
  readonly interactions: readonly GeneratedInteraction[]
  /** Coverage targets left out because `interactions` was too small. */
  readonly uncovered: readonly string[]
  /** Numeric fields whose bounds Pact cannot express exactly (left to `contracts check`). */
  readonly unenforcedBounds: readonly string[]
  /**
   * Columns of the examples guarded beyond the schema: untagged ones that look like PII (synthesized as PII) and
   * quasi-identifiers (values marking repeated entities, replaced). Each names its column, never a value.
   */
  readonly warnings: readonly string[]
}
