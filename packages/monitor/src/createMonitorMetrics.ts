import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client'
import type { WindowSummary } from './types.js'

/** Prometheus buckets for inference latency, in seconds (1 ms … 10 s). */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
const VERDICT_CODE = { pass: 0, warn: 1, inconclusive: 2, fail: 3, skip: -1 } as const

type Labels = Readonly<Record<string, string>>
/** The values a per-window gauge takes from a window: [labels, value] pairs (none leaves the gauge as it was). */
type GaugeValues = (w: WindowSummary) => Iterable<readonly [Labels, number]>
const one = (value: number | null | undefined): [Labels, number][] =>
  value === null || value === undefined ? [] : [[{}, value]]
const QUANTILES = [
  ['0.5', 'p50'],
  ['0.95', 'p95'],
  ['0.99', 'p99'],
  ['0.999', 'p999'],
] as const

/** The gauges set from every evaluated window (labels: a feature NAME, a method, a quantile — never a value). */
const WINDOW_GAUGES: readonly {
  readonly name: string
  readonly help: string
  readonly labels?: readonly string[]
  readonly values: GaugeValues
}[] = [
  {
    name: 'modelgate_feature_drift_score',
    help: 'Drift statistic of the last window, per feature and method.',
    labels: ['feature', 'method'],
    values: (w) =>
      (w.drift?.features ?? []).flatMap((f) =>
        f.statistic === null ? [] : [[{ feature: f.feature, method: f.method }, f.statistic] as const],
      ),
  },
  {
    name: 'modelgate_feature_drift_threshold',
    help: 'Threshold of the drift method, per feature and method.',
    labels: ['feature', 'method'],
    values: (w) =>
      (w.drift?.features ?? []).flatMap((f) =>
        f.threshold === null ? [] : [[{ feature: f.feature, method: f.method }, f.threshold] as const],
      ),
  },
  {
    name: 'modelgate_feature_drifted',
    help: '1 when the feature drifted in the last window (after the correction across features).',
    labels: ['feature'],
    values: (w) => (w.drift?.features ?? []).map((f) => [{ feature: f.feature }, f.drifted ? 1 : 0] as const),
  },
  {
    name: 'modelgate_feature_null_ratio',
    help: 'Share of null values per feature in the last window.',
    labels: ['feature'],
    values: (w) => Object.entries(w.drift?.nullRatio ?? {}).map(([feature, ratio]) => [{ feature }, ratio] as const),
  },
  { name: 'modelgate_window_events', help: 'Events in the last evaluated window.', values: (w) => one(w.events) },
  {
    name: 'modelgate_window_verdict',
    help: 'Verdict of the last window: 0 pass, 1 warn, 2 inconclusive, 3 fail.',
    values: (w) => one(VERDICT_CODE[w.verdict]),
  },
  {
    name: 'modelgate_window_end_timestamp_seconds',
    help: 'Event-time end of the last evaluated window.',
    values: (w) => one(w.end / 1000),
  },
  {
    name: 'modelgate_window_latency_seconds',
    help: 'Latency quantiles of the last window (HDR histogram).',
    labels: ['quantile'],
    values: (w) => {
      const l = w.latency
      return l === null ? [] : QUANTILES.map(([quantile, key]) => [{ quantile }, l[key] / 1000] as const)
    },
  },
  {
    name: 'modelgate_slo_met',
    help: '1 when the last window met the SLO, 0 when not.',
    values: (w) => one(w.slo === null || w.slo.verdict === 'inconclusive' ? null : w.slo.verdict === 'pass' ? 1 : 0),
  },
  {
    name: 'modelgate_realized_roc_auc',
    help: 'ROC AUC of scores against the late labels joined in the last window.',
    values: (w) => one(w.labels?.realizedRocAuc),
  },
  {
    name: 'modelgate_estimated_roc_auc',
    help: 'ROC AUC of the last window estimated without labels (CBPE: scores calibrated on the reference).',
    values: (w) => one(w.performance?.estimated.rocAuc),
  },
]

export interface MonitorMetrics {
  readonly registry: Registry
  readonly events: Counter<'result'>
  readonly badEvents: Counter<'reason'>
  readonly latency: Histogram
  readonly alerts: Counter<'rule'>
  readonly webhooks: Counter<'result'>
  readonly labels: Counter<'result'>
  /** The threshold calibration's progress, 0–1 (1 once its thresholds apply). */
  readonly calibration: Gauge
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
  const calibration = new Gauge({
    name: 'modelgate_calibration_progress_ratio',
    help: 'Share of the bootstrap windows of the threshold calibration evaluated (1 once the calibrated thresholds apply).',
    registers,
  })
  const gauges = WINDOW_GAUGES.map((g) => ({
    values: g.values,
    gauge: new Gauge({ name: g.name, help: g.help, labelNames: g.labels ?? [], registers }),
  }))
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
    calibration,
    recordWindow(window) {
      for (const { gauge, values } of gauges) {
        for (const [labels, value] of values(window)) gauge.set(labels, value)
      }
      evaluation.observe(window.evaluationMs / 1000)
      if (window.labels !== null && window.labels.evicted > 0) evicted.inc(window.labels.evicted)
    },
  }
}
