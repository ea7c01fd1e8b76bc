import type { RuleMetric } from '../monitorConfig.js'
import type { WindowSummary } from '../types.js'

/** The values a rule metric takes in a window: one per feature for per-feature metrics, else one. */
export function ruleValues(
  window: WindowSummary,
  metric: RuleMetric,
  feature: string | undefined,
): { feature?: string; value: number }[] {
  const one = (value: number | null | undefined) => (value === null || value === undefined ? [] : [{ value }])
  const perFeature = (entries: [string, number | null][]) =>
    entries
      .filter(([name, value]) => value !== null && (feature === undefined || feature === name))
      .map(([name, value]) => ({ feature: name, value: value as number }))
  const drift = window.drift
  const failed = (verdict: string | undefined) => one(verdict === undefined ? null : verdict === 'fail' ? 1 : 0)
  switch (metric) {
    case 'drift_failed':
      return failed(drift?.driftVerdict)
    case 'quality_failed':
      return failed(drift?.qualityVerdict)
    case 'slo_violated':
      return failed(window.slo?.verdict)
    case 'feature_drifted':
      return perFeature((drift?.features ?? []).map((f) => [f.feature, f.drifted ? 1 : 0]))
    case 'feature_drift_score':
      return perFeature((drift?.features ?? []).map((f) => [f.feature, f.statistic]))
    case 'feature_null_ratio':
      return perFeature(Object.entries(drift?.nullRatio ?? {}))
    case 'latency_p50_ms':
      return one(window.latency?.p50)
    case 'latency_p95_ms':
      return one(window.latency?.p95)
    case 'latency_p99_ms':
      return one(window.latency?.p99)
    case 'latency_p999_ms':
      return one(window.latency?.p999)
    case 'events':
      return one(window.events)
    case 'bad_event_ratio': {
      const bad = Object.values(window.badEvents).reduce((a, b) => a + (b ?? 0), 0)
      return one(bad + window.events === 0 ? 0 : bad / (bad + window.events))
    }
    case 'late_events':
      return one(window.lateEvents)
    case 'realized_roc_auc':
      return one(window.labels?.realizedRocAuc)
    case 'estimated_roc_auc':
      return one(window.performance?.estimated.rocAuc)
  }
}
