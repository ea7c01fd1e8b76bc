import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client'
import type { WindowSummary } from './types.js'

/** Prometheus buckets for inference latency, in seconds (1 ms … 10 s). */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
const VERDICT_CODE = { pass: 0, warn: 1, inconclusive: 2, fail: 3, skip: -1 } as const

export interface MonitorMetrics {
  readonly registry: Registry
  readonly events: Counter<'result'>
  readonly badEvents: Counter<'reason'>
  readonly latency: Histogram
  readonly alerts: Counter<'rule'>
  readonly webhooks: Counter<'result'>
  readonly labels: Counter<'result'>
  /** Sets every per-window gauge from an evaluated window. */
  recordWindow(window: WindowSummary): void
}

/**
 * The monitor's metrics, in Prometheus conventions, on a registry of its own (importing registers nothing). Labels
 * are bounded sets: a result, a reason, a rule name, a feature NAME (a baseline column) and a method — never a feature
 * value, so cardinality is fixed by the baseline and no data leaks into a label.
 */
export function createMonitorMetrics(options: { readonly processMetrics?: boolean } = {}): MonitorMetrics {
  const registry = new Registry()
  if (options.processMetrics !== false) collectDefaultMetrics({ register: registry, prefix: 'modelgate_' })
  const registers = [registry]
  const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[] = []) =>
    new Gauge<L>({ name, help, labelNames, registers })
  const events = new Counter({
    name: 'modelgate_events_total',
    help: 'Events received, by result (accepted, invalid, late, duplicate).',
    labelNames: ['result'] as const,
    registers,
  })
  const badEvents = new Counter({
    name: 'modelgate_bad_events_total',
    help: 'Events refused, by reason (a bounded set: missing_features, bad_timestamp, invalid_json …).',
    labelNames: ['reason'] as const,
    registers,
  })
  const latency = new Histogram({
    name: 'modelgate_latency_seconds',
    help: 'Inference latency reported by events (latency_ms).',
    buckets: LATENCY_BUCKETS,
    registers,
  })
  const alerts = new Counter({
    name: 'modelgate_alerts_total',
    help: 'Alerts fired, by rule.',
    labelNames: ['rule'] as const,
    registers,
  })
  const webhooks = new Counter({
    name: 'modelgate_webhook_deliveries_total',
    help: 'Webhook deliveries, by result (delivered, failed).',
    labelNames: ['result'] as const,
    registers,
  })
  const labels = new Counter({
    name: 'modelgate_labels_total',
    help: 'Late labels, by result (joined, unmatched).',
    labelNames: ['result'] as const,
    registers,
  })
  const driftScore = gauge(
    'modelgate_feature_drift_score',
    'Drift statistic of the last window, per feature and method.',
    ['feature', 'method'],
  )
  const driftThreshold = gauge(
    'modelgate_feature_drift_threshold',
    'Threshold of the drift method, per feature and method.',
    ['feature', 'method'],
  )
  const drifted = gauge(
    'modelgate_feature_drifted',
    '1 when the feature drifted in the last window (after the correction across features).',
    ['feature'],
  )
  const nullRatio = gauge('modelgate_feature_null_ratio', 'Share of null values per feature in the last window.', [
    'feature',
  ])
  const windowEvents = gauge('modelgate_window_events', 'Events in the last evaluated window.')
  const windowVerdict = gauge(
    'modelgate_window_verdict',
    'Verdict of the last window: 0 pass, 1 warn, 2 inconclusive, 3 fail.',
  )
  const windowEnd = gauge('modelgate_window_end_timestamp_seconds', 'Event-time end of the last evaluated window.')
  const windowLatency = gauge(
    'modelgate_window_latency_seconds',
    'Latency quantiles of the last window (HDR histogram).',
    ['quantile'],
  )
  const sloMet = gauge('modelgate_slo_met', '1 when the last window met the SLO, 0 when not.')
  const realizedAuc = gauge(
    'modelgate_realized_roc_auc',
    'ROC AUC of scores against the late labels joined in the last window.',
  )
  const evicted = new Counter({
    name: 'modelgate_label_buffer_evictions_total',
    help: 'Inferences dropped from the label-join buffer (full or past its time-to-live) before their label came.',
    registers,
  })
  const evaluation = new Histogram({
    name: 'modelgate_window_evaluation_seconds',
    help: 'Time to evaluate one window.',
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    registers,
  })
  return {
    registry,
    events,
    badEvents,
    latency,
    alerts,
    webhooks,
    labels,
    recordWindow(window) {
      windowEvents.set(window.events)
      windowVerdict.set(VERDICT_CODE[window.verdict])
      windowEnd.set(window.end / 1000)
      evaluation.observe(window.evaluationMs / 1000)
      for (const f of window.drift?.features ?? []) {
        if (f.statistic !== null) driftScore.set({ feature: f.feature, method: f.method }, f.statistic)
        if (f.threshold !== null) driftThreshold.set({ feature: f.feature, method: f.method }, f.threshold)
        drifted.set({ feature: f.feature }, f.drifted ? 1 : 0)
      }
      for (const [feature, ratio] of Object.entries(window.drift?.nullRatio ?? {})) nullRatio.set({ feature }, ratio)
      if (window.latency !== null) {
        const l = window.latency
        for (const [q, v] of [
          ['0.5', l.p50],
          ['0.95', l.p95],
          ['0.99', l.p99],
          ['0.999', l.p999],
        ] as const) {
          windowLatency.set({ quantile: q }, v / 1000)
        }
      }
      if (window.labels !== null) {
        if (window.labels.realizedRocAuc !== null) realizedAuc.set(window.labels.realizedRocAuc)
        if (window.labels.evicted > 0) evicted.inc(window.labels.evicted)
      }
      if (window.slo !== null && window.slo.verdict !== 'inconclusive')
        sloMet.set(window.slo.verdict === 'pass' ? 1 : 0)
    },
  }
}
