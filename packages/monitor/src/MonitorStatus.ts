import type { Calibration } from './calibrateThresholds.js'
import type { WindowSummary } from './types.js'

/**
 * How far the threshold calibration is (`/v1/status`): `done` once its result is there; the calibrated thresholds apply
 * from the next window evaluated after that (then `MonitorStatus.calibration` holds them).
 */
export interface CalibrationProgress {
  readonly state: 'running' | 'done' | 'failed'
  /** Bootstrap windows evaluated, of `total`. */
  readonly done: number
  readonly total: number
  /** Where the result came from: computed now, or read from the cache directory. */
  readonly cached: boolean
  readonly error: string | null
}

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
  /** The calibration's progress (running on a worker thread, done, failed); null without `--calibrate`. */
  readonly calibrationProgress: CalibrationProgress | null
}
