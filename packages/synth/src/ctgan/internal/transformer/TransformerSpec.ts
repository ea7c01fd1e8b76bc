/**
 * The reversible data transformer of CTGAN (Xu et al. 2019, §4.2). A row becomes
 * `[α of each continuous column | mode one-hot of each continuous column | one-hot of each discrete column]`:
 * - continuous (numeric, integer, datetime): a Bayesian GMM per column; a mode is sampled from its posterior
 *   and the value is stored as α = (x − μ)/(4σ), clipped to ±0.99, plus the mode one-hot. A nullable column
 *   has one extra "null" mode.
 * - discrete (categorical, boolean): a one-hot over the categories the profile kept (categories seen fewer
 *   than k times are never stored), plus the rare bucket when the profile collapses them. Nulls have a slot.
 * All discrete spans come last and contiguous, so the conditional vector is that tail of a row.
 */
export interface ContinuousSpec {
  readonly type: 'continuous'
  readonly name: string
  readonly kind: 'numeric' | 'integer' | 'datetime'
  /** The first `pointMasses` modes are exact values (σ = 0, α = 0); the others come from the Bayesian GMM. */
  readonly pointMasses: number
  readonly weights: readonly number[]
  readonly means: readonly number[]
  readonly stds: readonly number[]
  readonly hasNull: boolean
  /** Output bounds and rounding, from the column's profile (schema bounds applied). */
  readonly min: number
  readonly max: number
  readonly decimals: number | null
  readonly roundTo: number | null
  /** Index of α in a row. */
  readonly alphaIndex: number
  /** Start and size of the mode one-hot (modes, then the null slot). */
  readonly spanStart: number
  readonly spanSize: number
  /**
   * Quantile maps for values drawn from the Gaussian modes (not the point masses), one per mode (index: slot −
   * pointMasses): `real` holds the quantiles, at the probabilities (i + ½)/K — midpoints, never an extreme
   * row — of the training values that mode explains best, and `generated` the same quantiles of the values the
   * trained generator draws from that mode (filled in by the calibration after training; empty: no map). A
   * generated value x becomes real⁻¹-interpolated(generated(x)) within its mode: each mode's values are
   * matched, their order kept, and no value leaves its mode's range — the mode carries the column's
   * dependence on the others (one map for the whole column moved values across modes, e.g. Adult's
   * capital-gain into its 99,999 cluster, and cost ~0.009 TSTR AUC on Adult).
   */
  readonly modeMaps?: readonly { readonly real: readonly number[]; readonly generated: readonly number[] }[]
  /** One map for the column's Gaussian-mode values: models written before modeMaps (read, never written). */
  readonly valueMap?: { readonly real: readonly number[]; readonly generated: readonly number[] }
}

export interface DiscreteSpec {
  readonly type: 'discrete'
  readonly name: string
  readonly kind: 'categorical' | 'boolean'
  /** Output labels per slot, excluding the null slot: the kept categories, then the rare bucket's label if any. */
  readonly labels: readonly string[]
  /** A null slot comes last. */
  readonly hasNull: boolean
  /** Row count per slot (true frequencies). */
  readonly counts: readonly number[]
  readonly spanStart: number
  readonly spanSize: number
  /** Start of this column's span inside the conditional vector. */
  readonly condStart: number
}

/** A column the GAN does not learn: PII (re-synthesized fresh) or one that is always null. */
export interface UnlearnedSpec {
  readonly type: 'unlearned'
  readonly name: string
}

/**
 * A column that is a function of a discrete column in every training row — a numeric one (Adult's education-num
 * of education) or a discrete one (a code and its name, a category and its flag): not learned, but set from that
 * column's generated slot, so the two always agree. A generator that draws each span independently otherwise
 * pairs "Bachelors" with 9 as often as its probabilities overlap (measured: 70 % of generated rows paired an
 * occupation with another occupation's code after 20 epochs on Adult). The automatic form of a fixed-combination
 * constraint; a value is stored only if at least k rows hold it.
 */
export interface DerivedSpec {
  readonly type: 'derived'
  readonly name: string
  /** Index (among the columns) of the discrete column it follows. */
  readonly from: number
  /**
   * The value for each slot of that column (its labels, then its null slot if it has one); null for null. A
   * number for a numeric column, a stored label for a categorical one ('true'/'false' for a boolean).
   */
  readonly values: readonly (number | string | null)[]
}

export type ColumnSpec = ContinuousSpec | DiscreteSpec | UnlearnedSpec | DerivedSpec

export interface TransformerSpec {
  /** One per column of the model file, same order. */
  readonly columns: readonly ColumnSpec[]
  readonly numContinuous: number
  /** Width of an encoded row. */
  readonly dataDim: number
  /** Width of the conditional vector (all discrete spans). */
  readonly condDim: number
  /** Where the discrete spans start in a row. */
  readonly condOffset: number
}

export interface EncodedTable {
  /** Row-major [numRows, dataDim]. */
  readonly data: Float32Array
  /** For each discrete column (in span order), for each slot, the rows holding it. */
  readonly rowsBySlot: readonly (readonly Int32Array[])[]
}
