import type { Report, Table } from '@modelgate/core'
import type { QuantileSketch } from '@modelgate/stats'
import type { Baseline } from './baseline.js'
import type { DriftStateJSON } from './driftStateJson.js'
import type { PerformanceSums } from './internal/cbpe.js'
import type { ErrorSums } from './internal/multivariate.js'
import type { PerformanceFigures } from './PerformanceFigures.js'
import type { MethodChoice } from './resolveMethods.js'

// The window state's shape and the options of its evaluation, apart from the code that fills (createDriftState)
// and judges (evaluateDrift) it, so that neither imports the other's module.

interface Common {
  present: number
  nulls: number
  /** Values of the wrong type (text where the baseline has numbers, non-finite numbers). */
  typeErrors: number
}
export interface NumericAccumulator extends Common {
  readonly kind: 'numeric'
  count: number
  mean: number
  m2: number
  readonly bins: Float64Array
  /** Per bin, the sum of values clamped to the baseline's trimmed range. */
  readonly binSums: Float64Array
  below: number
  above: number
  excessBelow: number
  excessAbove: number
  sketch: QuantileSketch | null
}
export interface CategoricalAccumulator extends Common {
  readonly kind: 'categorical'
  /** Per baseline category, then one count for values outside them. */
  readonly counts: Float64Array
}
interface PiiAccumulator extends Common {
  readonly kind: 'pii'
  count: number
  valid: number
}
interface OtherAccumulator extends Common {
  readonly kind: 'identifier' | 'skipped'
}
export type ColumnAccumulator = NumericAccumulator | CategoricalAccumulator | PiiAccumulator | OtherAccumulator

/** A window's mergeable state (see the README's "The window state"). */
export interface DriftState {
  readonly baseline: Baseline
  /** Rows (events) added. */
  readonly rows: number
  /** Adds a chunk of rows as a Table (columns matched by name). */
  addTable(table: Table): DriftState
  /** Adds plain row objects (key x → column x; a missing key is "not present", null a null). */
  addRows(rows: Iterable<Readonly<Record<string, unknown>>>): DriftState
  /** Adds inference events (`features.x` → column x, `prediction.score` → the prediction column). */
  addEvents(events: Iterable<unknown>): DriftState
  /** Adds another state of the same baseline into this one (counts add; sketches merge). */
  merge(other: DriftState): DriftState
  /** Compares the window with the baseline → a Report (the verdict rule of the README). */
  evaluate(options?: EvaluateOptions): Report
  toJSON(): DriftStateJSON
  /** @internal per-column accumulators, read by evaluate. */
  readonly columns: ReadonlyMap<string, ColumnAccumulator>
  /** Field names seen that the baseline does not have, with counts. */
  readonly extraFields: ReadonlyMap<string, number>
  /** The methods the state was created for. */
  readonly methods: ReadonlyMap<string, MethodChoice>
  /** Sums of the rows' PCA reconstruction errors (null when the baseline has no PCA model). */
  readonly multivariate: Readonly<ErrorSums> | null
  /** CBPE's expected confusion matrix and score bins (null when the baseline has no calibration). */
  readonly performance: Readonly<PerformanceSums> | null
}

export interface EvaluateOptions {
  /** Method specs (`column=name:threshold`, `kind=name:threshold`); default: the state's methods. */
  readonly methods?: readonly string[]
  /** `'any'` (default): any drifted column fails; `{ share: 0.5 }`: Evidently's dataset rule. */
  readonly failOn?: 'any' | { readonly share: number }
  /** Family-wise (Holm) or false-discovery (BH) level for p-value methods. Default 0.05. */
  readonly alpha?: number
  /** Multiple-testing correction across the p-value methods. Default `holm`. */
  readonly correction?: 'holm' | 'bh' | 'none'
  /** Fewer non-null current values than this: the column's drift is inconclusive. Default 30. */
  readonly minRows?: number
  /** Null-rate rise that fails, in absolute terms. Default 0.05. */
  readonly nullRateIncrease?: number
  /** Null-rate ratio that fails when a one-sided z-test also says so. Default 2. */
  readonly nullRateRatio?: number
  /** Rise of the share outside the baseline's categories that fails. Default 0.05. */
  readonly unseenShare?: number
  /** Rise of the share outside the trimmed range that fails. Default 0.05. */
  readonly outOfRangeShare?: number
  /** Only these columns. */
  readonly columns?: readonly string[]
  /** The current sample's name for the report title. */
  readonly currentName?: string
  /**
   * `fixed` (default): each method's threshold. `learned`: the baseline's thresholds learned for the declared window
   * size closest to the current row count (distances chosen automatically only; p-value methods keep α).
   */
  readonly thresholds?: 'fixed' | 'learned'
  /** |z| of the mean PCA reconstruction error beyond which the joint distribution has drifted. Default 3. */
  readonly multivariateSigmas?: number
  /** Realized performance on the window's labelled rows (labels that arrived later), shown beside the estimate. */
  readonly realizedPerformance?: { readonly rows: number; readonly figures: PerformanceFigures }
}
