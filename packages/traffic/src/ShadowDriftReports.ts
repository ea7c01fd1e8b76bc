import type { Report } from '@modelgate/core'

/** The drift of the shadow window against the baseline: features with each model's prediction. */
export interface ShadowDriftReports {
  /** Request features + the primary's prediction (data drift; the primary's prediction drift). */
  readonly primary: Report
  /** Request features + the candidate's prediction (data drift; the candidate's prediction drift). */
  readonly candidate: Report
  /** Pairs fed (the window: every pair since the proxy started). */
  readonly rows: number
}
