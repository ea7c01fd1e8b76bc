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

/** A binary classifier's figures; null where undefined (no positives, too few rows). */
export interface EstimatedPerformance {
  readonly rocAuc: number | null
  readonly precision: number | null
  readonly recall: number | null
  readonly f1: number | null
}

/** Realized performance of a window: its inferences' scores against the labels that arrived for them. */
export interface RealizedPerformance {
  /** ROC AUC; null with fewer than 30 labelled inferences or one class only. */
  readonly rocAuc: number | null
  /** Labelled inferences the figure is computed on (a seeded sample of at most 5,000 per window unit). */
  readonly labelled: number
  readonly positives: number
}

/**
 * A window's performance: NannyML's confidence-based estimate (CBPE) from the window's scores, calibrated on the
 * baseline's reference scores and labels, and — once labels arrive for the window's inferences — the realized figure
 * beside it.
 */
export interface WindowPerformance {
  /** Scored inferences in the window; null when drift judged them too few to estimate (below its `minRows`). */
  readonly scoredRows: number | null
  readonly estimated: EstimatedPerformance
  /** The reference band of the estimated ROC AUC (NannyML's mean ± 3σ over reference chunks). */
  readonly rocAucBand: { readonly lower: number; readonly upper: number } | null
  readonly realized: RealizedPerformance | null
}
