/** What every two-sample test and distance in @modelgate/stats returns. */
export interface TestResult {
  /** e.g. `ks`, `psi`, `chi2`, `jensen-shannon`. */
  readonly test: string
  readonly statistic: number
  /** Where the test defines one. */
  readonly pValue?: number
  /** The threshold the verdict was taken against (alpha for p-value tests, max distance for distances). */
  readonly threshold: number
  /** true when the samples are judged the same (p ≥ alpha, or distance ≤ threshold; for TOST: equivalent). */
  readonly passed: boolean
  /** Sample sizes and test-specific extras. */
  readonly details?: Readonly<Record<string, number | string>>
}
