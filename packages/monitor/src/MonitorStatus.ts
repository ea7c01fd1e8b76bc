import type { Calibration } from './calibrateThresholds.js'
import type { WindowSummary } from './types.js'

/** What `/v1/status` answers: settings, totals since the start, open windows, the watermark and the last window. */
export interface MonitorStatus {
  readonly startedAt: string
  readonly windowMs: number
  readonly hopMs: number
  readonly latenessMs: number
  readonly baseline: boolean
  readonly slo: string | null
  readonly rules: readonly string[]
  readonly totals: {
    readonly accepted: number
    readonly refused: Readonly<Record<string, number>>
    readonly late: number
    readonly duplicates: number
    readonly labels: number
    readonly alerts: number
  }
  readonly openWindows: readonly { readonly start: string; readonly end: string; readonly events: number }[]
  readonly watermark: string | null
  readonly lastWindow: WindowSummary | null
  /** The bootstrap calibration of the thresholds once it ran; null while the analytic α applies. */
  readonly calibration: Calibration | null
}
