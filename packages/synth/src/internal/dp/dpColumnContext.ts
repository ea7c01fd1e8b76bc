import type { PrivacyLedger } from './createPrivacyLedger.js'

/** The category rules of a DP fit: the same for every column (from the fit's settings). */
export interface DpCategoryRules {
  /** Categories and point masses need a noisy count of at least k too (post-processing). */
  readonly k: number
  readonly rareCategories: 'drop' | 'other'
  readonly otherLabel: string
  readonly maxCategories: number
  readonly source: string | undefined
}

/** What a column's DP profiling needs: its name, the ledger to release through, its share of the budget. */
export interface DpColumnContext extends DpCategoryRules {
  readonly name: string
  readonly ledger: PrivacyLedger
  /** This column's budget (its mechanisms split it). */
  readonly epsilon: number
  /** This column's δ, for a category set taken from the data. */
  readonly delta: number
  /** Facts taken as public (from the schema), appended to the model's list. */
  readonly publicFacts: string[]
  /** Each column's noisy row count (nulls + non-nulls), appended; their median is the model's `trainingRows`. */
  readonly rowEstimates: number[]
}
