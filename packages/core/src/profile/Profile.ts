import type { SchemaWarning } from '../schema/inferSchema.js'
import type { ColumnSchema, PiiType } from '../schema/Schema.js'

/** Numeric summary of an integer, numeric or datetime (epoch ms) column. */
export interface NumericSummary {
  /** The k-th smallest value (trimmed: never a single record's extreme, see `trimmedBounds`). */
  readonly min: number
  /** The k-th largest value (trimmed). */
  readonly max: number
  readonly mean: number
  /** Sample standard deviation (n − 1). */
  readonly std: number
  /** Distinct non-null values. */
  readonly distinct: number
  /** Linear-interpolation quantiles (numpy's default, Hyndman & Fan type 7), clamped to [min, max]. */
  readonly quantiles: {
    readonly p1: number
    readonly p5: number
    readonly p25: number
    readonly p50: number
    readonly p75: number
    readonly p95: number
    readonly p99: number
  }
  /**
   * Equal-width bins over [min, max]: `edges` has `counts.length + 1` entries; values below min count in the first bin,
   * values from max on in the last.
   */
  readonly histogram: { readonly edges: readonly number[]; readonly counts: readonly number[] }
}

export interface CategoryCount {
  /** A category seen at least k times, or `(other)` for the rare and the rest together. */
  readonly value: string
  readonly count: number
  /** Share of non-null values. */
  readonly share: number
}

export interface CategorySummary {
  /** Most frequent categories first; categories seen fewer than k times are only counted inside `(other)`. */
  readonly top: readonly CategoryCount[]
  /** How many categories were seen fewer than k times (their values are never shown). */
  readonly rareCategories: number
}

export interface ColumnProfile {
  readonly name: string
  /** Kind from the schema given, else inferred. */
  readonly kind: ColumnSchema['kind']
  /** Rows. */
  readonly count: number
  readonly nulls: number
  readonly nullRate: number
  /** Distinct non-null values. */
  readonly distinct?: number
  /** Set for PII columns, whose profile holds counts only: no values, bounds or categories. */
  readonly pii?: { readonly type: PiiType; readonly reason?: string }
  readonly numeric?: NumericSummary
  /** Datetime columns: bounds and median as ISO strings (the numeric summary holds epoch ms). */
  readonly datetime?: { readonly min: string; readonly max: string; readonly p50: string }
  readonly categories?: CategorySummary
  readonly boolean?: { readonly trueCount: number; readonly trueRate: number }
  /** Text and id columns (not PII): lengths only. */
  readonly text?: { readonly meanLength: number; readonly maxLength: number }
}

export interface TableProfile {
  readonly numRows: number
  readonly numColumns: number
  /** The rare-category threshold used. */
  readonly k: number
  readonly columns: readonly ColumnProfile[]
  /** Constant, all-null and rare-category columns (from inference, when no schema was given). */
  readonly warnings: readonly SchemaWarning[]
}
