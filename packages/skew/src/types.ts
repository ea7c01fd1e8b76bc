import type { Table, Verdict } from '@modelgate/core'

/** A value a feature path produces for one row and one feature. */
export type FeatureValue = number | string | boolean | null

/** One input row as an online path sees it (datetimes as ISO 8601 strings). */
export type InputRow = Readonly<Record<string, FeatureValue>>

/** The features one online call returns. */
export type FeatureRecord = Readonly<Record<string, unknown>>

/** Progress of a long step: `done` of `total` rows through `path`. */
export interface SkewProgress {
  readonly phase: 'batch' | 'online' | 'noise' | 'compare'
  readonly path: string
  readonly done: number
  readonly total: number
}

/** What a path receives besides the input table. */
export interface PathContext {
  /** The key column every output must carry (an id column of the input, or the generated `__row`). */
  readonly key: string
  readonly onProgress?: (progress: SkewProgress) => void
  readonly phase?: SkewProgress['phase']
}

/** A row the path could not compute (e.g. an HTTP call that failed after all retries). */
export interface RowFailure {
  readonly key: string | number
  readonly message: string
}

export interface PathOutput {
  /** Feature columns plus the key column. */
  readonly table: Table
  readonly failures: readonly RowFailure[]
}

/**
 * A way of computing features: the batch (training) path or the online (serving) path.
 * Create one with `batchFunction`, `batchCommand`, `batchSql`, `onlineHttp` or `onlineFunction`.
 */
export interface FeaturePath {
  readonly kind: 'batch' | 'online'
  /** Shown in reports, e.g. `sql:features.sql` or `http://127.0.0.1:8080/features`. */
  readonly name: string
  readonly compute: (input: Table, context: PathContext) => Promise<PathOutput>
  /** Releases resources (HTTP agents, database handles). Called by `checkSkew` when it is done. */
  readonly close?: () => Promise<void>
}

export interface Tolerance {
  /** |batch − online| ≤ absolute + relative · max(|batch|, |online|) counts as agreement. */
  readonly absolute: number
  readonly relative: number
}

export interface SkewOptions {
  /** The replayed rows (from a file or a synth model). */
  readonly input: Table
  readonly batch: FeaturePath
  readonly online: FeaturePath
  /** Key column of `input`; when absent a `__row` key (0..n-1) is generated and passed to both paths. */
  readonly key?: string
  /** Features to compare; default: every output column except the key and pass-through input columns. */
  readonly features?: readonly string[]
  /** A number sets both absolute and relative tolerance. Default 1e-9 absolute, 1e-9 relative. */
  readonly tolerance?: number | Partial<Tolerance>
  /** Row-level agreement a feature needs to pass (default 1: every row within tolerance). */
  readonly minAgreement?: number
  /**
   * Features judged statistically (TOST equivalence + distribution tests after Benjamini–Hochberg)
   * instead of row by row — for paths that are legitimately approximate. `true` means all features.
   */
  readonly statistical?: boolean | readonly string[]
  /** TOST equivalence margin on paired differences: absolute per feature, or the default factor × sd(batch). */
  readonly equivalenceMargin?: Readonly<Record<string, number>>
  /** Default margin = marginSdFactor × standard deviation of the batch values (default 0.05). */
  readonly marginSdFactor?: number
  /** False discovery rate / significance level (default 0.05). */
  readonly alpha?: number
  /** PSI above this is a distribution shift (default 0.1). */
  readonly psiThreshold?: number
  /** Jensen–Shannon distance above this is a shift for categorical features (default 0.1). */
  readonly jsThreshold?: number
  /** Largest allowed difference in null rate between the paths (default 0.001). */
  readonly maxNullRateDelta?: number
  /** How many worst rows to keep per feature (default 5). */
  readonly worstRows?: number
  /**
   * Diffy-style noise control: run this path (or both) a second time, measure how much it disagrees
   * with itself, and discount that much disagreement from the cross-path comparison.
   */
  readonly noise?: 'online' | 'batch' | 'both'
  /** Input columns never copied into reports (PII); their values show as `[redacted]`. */
  readonly redactColumns?: readonly string[]
  /**
   * Categories seen fewer than this many times (in the input column, or among a categorical feature's
   * values) are shown as `(rare)` in worst rows and pooled in charts (default 5).
   */
  readonly rareBelow?: number
  /** Input columns shown with worst rows (default: all, minus redacted). */
  readonly showColumns?: readonly string[]
  readonly onProgress?: (progress: SkewProgress) => void
  /** Name of the input shown in reports (e.g. the file name). */
  readonly inputName?: string
}

export type ValueType = 'number' | 'boolean' | 'datetime' | 'string' | 'missing'

/** One row where the paths disagree. */
export interface WorstRow {
  readonly key: string | number
  readonly batch: FeatureValue
  readonly online: FeatureValue
  /** online − batch for numeric features; null when one side is null or for categoricals. */
  readonly difference: number | null
  /** The input row (redacted columns replaced). */
  readonly input: InputRow
}

export interface TestSummary {
  readonly test: string
  readonly statistic: number
  readonly pValue?: number
  /** Benjamini–Hochberg adjusted p-value over all features, where the test has a p-value. */
  readonly qValue?: number
  readonly threshold: number
  readonly passed: boolean
}

export interface SchemaSkew {
  readonly batchType: ValueType
  readonly onlineType: ValueType
  readonly batchNullRate: number
  readonly onlineNullRate: number
  /** Human-readable problems: missing field, type change, null-rate difference. */
  readonly problems: readonly string[]
  readonly verdict: Verdict
}

export interface FeatureSkew {
  readonly feature: string
  readonly mode: 'exact' | 'statistical'
  readonly verdict: Verdict
  /** One line saying why. */
  readonly message: string
  /** Rows compared (present on both sides). */
  readonly compared: number
  readonly agreeing: number
  readonly agreementRate: number
  /** Rows where exactly one side is null. */
  readonly nullMismatches: number
  readonly maxAbsDifference: number
  readonly meanDifference: number
  readonly tolerance: Tolerance
  /** Self-disagreement discounted by noise control (absolute), 0 without it. */
  readonly noiseFloor: number
  /** Rows excluded because the path disagreed with itself (categorical noise). */
  readonly noisyRows: number
  readonly schema: SchemaSkew
  readonly tests: readonly TestSummary[]
  /** Equivalence margin used by TOST (absolute) and how it was chosen. */
  readonly margin?: { readonly value: number; readonly source: string }
  readonly worstRows: readonly WorstRow[]
  /** Batch vs online histogram (shared bins or top categories). */
  readonly histogram?: {
    readonly labels: readonly string[]
    readonly batch: readonly number[]
    readonly online: readonly number[]
  }
}

export interface RowCoverage {
  readonly input: number
  readonly batch: number
  readonly online: number
  /** Input rows present in both outputs. */
  readonly matched: number
  readonly missingInBatch: number
  readonly missingInOnline: number
  readonly failures: { readonly batch: readonly RowFailure[]; readonly online: readonly RowFailure[] }
  readonly verdict: Verdict
}

export interface SkewReport {
  readonly kind: 'skew'
  readonly verdict: Verdict
  readonly batchPath: string
  readonly onlinePath: string
  readonly inputName: string
  readonly key: string
  readonly features: readonly FeatureSkew[]
  readonly rows: RowCoverage
  readonly alpha: number
  readonly noise?: 'online' | 'batch' | 'both'
  readonly createdAt: string
  readonly durationMs: number
  readonly timings: Readonly<Record<'batchMs' | 'onlineMs' | 'noiseMs' | 'compareMs', number>>
}
