import type { Slo } from '@modelgate/core'
import type { Baseline } from '@modelgate/drift'
import type { CalibrateOption } from './calibrateThresholds.js'
import type { MonitorMetrics } from './createMonitorMetrics.js'
import type { AlertRule, WebhookTarget } from './monitorConfig.js'
import type { MonitorSnapshot } from './monitorSnapshot.js'
import type { WebhookDelivery } from './sendWebhook.js'
import type { Alert, WindowSummary } from './types.js'

export interface MonitorOptions {
  /** The drift baseline (`loadBaseline`); without one only events, latency and the SLO are watched. */
  readonly baseline?: Baseline
  /** Event-time window. Default 60 s. */
  readonly windowMs?: number
  /**
   * Sliding windows: a window of `windowMs` is evaluated every `hopMs` (a whole divisor of it), over the merged states
   * of its hops. Default `windowMs` (tumbling windows).
   */
  readonly hopMs?: number
  /** How long after its end a window still takes events (later ones are counted as late). Default 5 s. */
  readonly latenessMs?: number
  readonly slo?: Slo
  /**
   * N, the false-alarm budget: under no drift, a window alarms at most once in N on average. Sets α = 1/N for drift's
   * p-value methods (Holm across features) and its null-rate test, or, with `calibrate`, the bootstrap. Default 1,000.
   */
  readonly expectedWindowsBetweenFalseAlarms?: number
  /**
   * Thresholds by bootstrap on the reference (`calibrateThresholds`; blocking, or on a worker thread with `background`)
   * instead of α = 1/N; needs a baseline.
   */
  readonly calibrate?: CalibrateOption
  /**
   * Drift method specs (`amount=psi:0.2`), after the monitor's defaults (`numeric=ks:α`, `categorical=chisquare:α`,
   * `binary=z:α`): p-value tests, whose false-alarm rate does not depend on the window's size as fixed distance
   * thresholds do.
   */
  readonly methods?: readonly string[]
  /** Options passed to drift's `evaluate` (`failOn`, `alpha`, `nullRateIncrease` …). */
  readonly driftOptions?: Readonly<Record<string, unknown>>
  /** Alert rules; default `defaultRules({ slo })`. */
  readonly rules?: readonly AlertRule[]
  /** Where every alert is POSTed (a rule's own webhooks are added). */
  readonly webhooks?: readonly (string | WebhookTarget)[]
  /** Backoff of webhook retries (first wait). Default 500 ms. */
  readonly webhookBackoffMs?: number
  /** Refused events, redacted, as JSON lines. */
  readonly deadLetterPath?: string
  /**
   * Each evaluated window's mergeable state is written here (`window-<start>-<replica>.json`) for
   * `mergeWindowStates` / `modelgate monitor merge`: several replicas on one stream make one fleet verdict.
   */
  readonly exportDir?: string
  /** This replica's name in exported window states. Default `monitor-<pid>`. */
  readonly replica?: string
  /** Every alert with its evidence, as JSON lines. */
  readonly alertsPath?: string
  /** Evaluated windows kept for `/v1/windows`. Default 1,440 (a day of 60 s windows). */
  readonly historySize?: number
  /** Inferences kept waiting for their late label. Default 100,000. */
  readonly labelBufferSize?: number
  /** How long an inference waits for its label. Default 1 h. */
  readonly labelTtlMs?: number
  /** The label value of the positive class (besides `true`, `1`, `"1"`, `"true"`), e.g. `"fraud"`. */
  readonly positiveLabel?: string | number | boolean
  /** Request ids remembered to drop redeliveries. Default 100,000. */
  readonly dedupSize?: number
  /** Events buffered per window before they go into its drift state. Default 2,048. */
  readonly chunkSize?: number
  /** Windows that may be open at once; an event that would open another is refused (`bad_timestamp`). Default 64. */
  readonly maxOpenWindows?: number
  /** Clock (epoch ms). */
  readonly now?: () => number
  readonly metrics?: MonitorMetrics
  readonly onWindow?: (window: WindowSummary) => void
  readonly onAlert?: (alert: Alert) => void
  readonly onDelivery?: (alert: Alert, url: string, delivery: WebhookDelivery) => void
  /** A checkpoint written by `snapshot()` to resume from (open windows, request ids, totals, recent history). */
  readonly restore?: MonitorSnapshot
}
