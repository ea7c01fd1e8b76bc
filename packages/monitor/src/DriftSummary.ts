import type { Report, Verdict } from '@modelgate/core'

/** One feature's drift in one window, as the monitor reports and exports it. */
export interface FeatureDrift {
  readonly feature: string
  readonly method: string
  readonly statistic: number | null
  readonly threshold: number | null
  readonly pValue: number | null
  readonly verdict: Verdict
  readonly drifted: boolean
}

/** One data-quality signal (`null_rate`, `unseen`, `out_of_range`, `missing`, `type`, `format`) of one column. */
export interface QualitySignal {
  readonly signal: string
  readonly feature: string
  readonly verdict: Verdict
  readonly value: number | null
}

export interface DriftSummary {
  readonly verdict: Verdict
  /** Verdict of the column drift checks alone, and of the data-quality checks alone. */
  readonly driftVerdict: Verdict
  readonly qualityVerdict: Verdict
  readonly features: readonly FeatureDrift[]
  readonly quality: readonly QualitySignal[]
  /** Null ratio per feature (from the null-rate checks). */
  readonly nullRatio: Readonly<Record<string, number>>
  readonly report: Report
}
