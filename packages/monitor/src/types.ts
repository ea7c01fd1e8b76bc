import type { Verdict } from '@modelgate/core'
import type { BadEventReason } from './createEventValidator.js'
import type { FeatureDrift, QualitySignal, WindowPerformance } from './DriftSummary.js'
import type { LabelFigures } from './internal/LabelJoin.js'

export type { LabelFigures }

export interface LatencyFigures {
  readonly count: number
  readonly p50: number
  readonly p95: number
  readonly p99: number
  readonly p999: number
  readonly max: number
  readonly mean: number
}

/** One evaluated window, as `/v1/windows` returns it and the history keeps it (no value of the data in it). */
export interface WindowSummary {
  /** Event-time bounds, epoch ms: [start, end). */
  readonly start: number
  readonly end: number
  /** When the window was evaluated (wall clock, epoch ms). */
  readonly evaluatedAt: number
  readonly evaluationMs: number
  readonly events: number
  /** Events refused while this window was the newest open one, by reason. */
  readonly badEvents: Readonly<Partial<Record<BadEventReason, number>>>
  readonly lateEvents: number
  readonly duplicates: number
  readonly verdict: Verdict
  readonly drift: {
    readonly verdict: Verdict
    readonly driftVerdict: Verdict
    readonly qualityVerdict: Verdict
    readonly features: readonly FeatureDrift[]
    readonly quality: readonly QualitySignal[]
    readonly nullRatio: Readonly<Record<string, number>>
    /** Messages of the failing checks (drift's messages never quote a value). */
    readonly failures: readonly string[]
  } | null
  /** Latency in ms from events' `latency_ms`; null when no event carried one. */
  readonly latency: LatencyFigures | null
  readonly slo: { readonly objective: string; readonly observed: number | null; readonly verdict: Verdict } | null
  /**
   * CBPE's estimated performance (when the baseline holds the score calibration) and, once labels arrive for this
   * window's inferences, the realized figure beside it (updated in the history as more labels come). Absent when
   * neither exists.
   */
  readonly performance?: WindowPerformance
  /** Late labels since the previous window: joined, unmatched, evicted inferences, and the realized ROC AUC. */
  readonly labels: LabelFigures | null
  /** Names of the rules that fired on this window. */
  readonly alerts: readonly string[]
}

export interface Alert {
  /** Idempotency key: the same rule on the same window always has the same id. */
  readonly id: string
  readonly rule: string
  readonly metric: string
  readonly feature?: string
  readonly op: string
  readonly threshold: number
  readonly value: number
  readonly window: { readonly start: string; readonly end: string }
  readonly firedAt: string
  /** The evidence: the window's verdicts and the messages of its failing checks. */
  readonly evidence: {
    readonly verdict: Verdict
    readonly events: number
    readonly failures: readonly string[]
    readonly consecutiveWindows: number
  }
}
