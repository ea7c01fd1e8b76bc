import type { Report } from '@modelgate/core'
import type { EstimatedPerformance, WindowPerformance } from '../DriftSummary.js'

const FIGURES = ['rocAuc', 'precision', 'recall', 'f1'] as const

/**
 * The window's CBPE estimate (NannyML, "How it works → Performance estimation",
 * https://nannyml.readthedocs.io/en/stable/how_it_works/performance_estimation.html), read from drift's report: the
 * `estimated` metric of its `drift.performance.<figure>` checks, which drift's window state computes from the
 * calibrated scores (the expected confusion matrix and, over the score bins, the expected ROC AUC). Null when the
 * baseline holds no calibration (built without a target) or the window had no drift state.
 */
export function estimatedPerformance(report: Report | null): WindowPerformance | null {
  if (report === null) return null
  const checks = report.checks.filter((c) => c.id === 'drift.performance' || c.id.startsWith('drift.performance.'))
  if (checks.length === 0) return null
  const figure = (name: string): number | null => {
    const v = checks.find((c) => c.id === `drift.performance.${name}`)?.metrics?.estimated
    return v === undefined || !Number.isFinite(v) ? null : v
  }
  const auc = checks.find((c) => c.id === 'drift.performance.rocAuc')?.metrics
  const rows = checks.find((c) => c.metrics?.scoredRows !== undefined)?.metrics?.scoredRows
  const band =
    auc?.lower !== undefined && auc.upper !== undefined && Number.isFinite(auc.lower) && Number.isFinite(auc.upper)
      ? { lower: auc.lower, upper: auc.upper }
      : null
  return {
    scoredRows: rows ?? null,
    estimated: Object.fromEntries(FIGURES.map((f) => [f, figure(f)])) as unknown as EstimatedPerformance,
    rocAucBand: band,
    realized: null,
  }
}
