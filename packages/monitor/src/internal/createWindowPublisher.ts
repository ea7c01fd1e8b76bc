import { appendFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Slo } from '@modelgate/core'
import { writeFileAtomic } from '@modelgate/core'
import type { Calibration } from '../calibrateThresholds.js'
import type { BadEventReason } from '../createEventValidator.js'
import type { MonitorMetrics } from '../createMonitorMetrics.js'
import { createRuleEngine } from '../createRuleEngine.js'
import type { WindowPerformance } from '../DriftSummary.js'
import type { CalibrationProgress } from '../MonitorStatus.js'
import type { AlertRule, WebhookTarget } from '../monitorConfig.js'
import type { WebhookDelivery } from '../sendWebhook.js'
import { sendWebhook } from '../sendWebhook.js'
import type { Alert, WindowSummary } from '../types.js'
import { windowStateJSON } from '../windowState.js'
import type { Calibrator, Recalibrated } from './driftSettings.js'
import { estimatedPerformance } from './estimatedPerformance.js'
import type { LabelJoin } from './LabelJoin.js'
import { RealizedByWindow } from './RealizedByWindow.js'
import type { WindowParts } from './summarizeWindow.js'
import { summarizeWindow } from './summarizeWindow.js'

/** A closed tumbling unit, as `windowStateJSON` exports it. */
type ClosedUnit = Omit<Parameters<typeof windowStateJSON>[0], 'replica'>

export interface WindowPublisherOptions {
  readonly slo: Slo | undefined
  readonly driftOptions: Readonly<Record<string, unknown>>
  readonly rules: readonly AlertRule[]
  /**
   * Calibrates the thresholds for a window size (bootstrap on the reference); started once, before the first non-empty
   * window is evaluated, unless `calibrateNow` already started it. A background result applies from the next window.
   */
  readonly calibrate: Calibrator | undefined
  /** The live window's size when known in advance: calibrate at once. */
  readonly calibrateNow: number | undefined
  /** Where every alert is POSTed (a rule's own webhooks are added). */
  readonly webhooks: readonly WebhookTarget[]
  readonly webhookBackoffMs: number | undefined
  readonly alertsPath: string | undefined
  /** Each closed unit's mergeable state is written here (`window-<start>-<replica>.json`). */
  readonly exportDir: string | undefined
  readonly replica: string
  readonly historySize: number
  readonly labelJoin: LabelJoin
  /** How long an inference waits for its label (how long a window's realized figure can still change). */
  readonly labelTtlMs: number
  readonly metrics: MonitorMetrics
  readonly now: () => number
  readonly onWindow: ((window: WindowSummary) => void) | undefined
  readonly onAlert: ((alert: Alert) => void) | undefined
  readonly onDelivery: ((alert: Alert, url: string, delivery: WebhookDelivery) => void) | undefined
}

interface ClosedWindow {
  /** The window's state: the unit itself, or a sliding window's merged hops. */
  readonly parts: WindowParts
  /** The closed tumbling unit (exported for `mergeWindowStates`). */
  readonly unit: ClosedUnit
  /** What happened outside the window's own state since the previous evaluation (reported with this window). */
  readonly since: {
    readonly bad: Readonly<Partial<Record<BadEventReason, number>>>
    readonly late: number
    readonly duplicates: number
  }
  /** `performance.now()` when closing began (the window's evaluation time counts from it). */
  readonly startedMs: number
}

export interface WindowPublisher {
  /**
   * Evaluates a closed window and publishes it: the summary with the labels joined since the last window, the unit's
   * exported state, the rules, the history, the metrics, `onWindow`, and the alerts (alert file, `onAlert`, webhooks).
   */
  publish(window: ClosedWindow): WindowSummary
  /** Evaluated windows, oldest first (the last `historySize`). */
  readonly history: WindowSummary[]
  /** The thresholds' calibration once it ran, else null (the analytic α). */
  readonly calibration: Calibration | null
  /** How far the calibration is (null without one). */
  readonly calibrationProgress: CalibrationProgress | null
  /** Stops a background calibration and waits for webhook deliveries and state exports in flight. */
  settle(): Promise<void>
  /** The labelled pairs of recent units (checkpointed with the monitor). */
  readonly realized: RealizedByWindow
}

const NO_ESTIMATE: WindowPerformance = {
  scoredRows: null,
  estimated: { rocAuc: null, precision: null, recall: null, f1: null },
  rocAucBand: null,
  realized: null,
}

/**
 * The step after a window closes: evaluation → labels → rules → history → metrics → alerts and webhooks. Labels that
 * arrive later update the realized performance of the windows in the history that their inferences belonged to.
 */
export function createWindowPublisher(options: WindowPublisherOptions): WindowPublisher {
  const { metrics, now, webhooks, exportDir } = options
  let rules = options.rules
  let driftOptions = options.driftOptions
  let calibration: Calibration | null = null
  const ruleEngine = createRuleEngine(rules)
  const apply = (c: Recalibrated | null | undefined): void => {
    if (c === null || c === undefined) return
    calibration = c.calibration
    rules = c.rules
    driftOptions = c.driftOptions
    ruleEngine.setRules(rules)
  }
  const calibrate = (windowEvents: number): void => apply(options.calibrate?.start(windowEvents))
  if (options.calibrateNow !== undefined) calibrate(options.calibrateNow)
  const history: WindowSummary[] = []
  const realized = new RealizedByWindow(options.labelTtlMs)
  /** A window with its realized performance as the labels so far give it (unchanged when none came). */
  const withRealized = (w: WindowSummary): WindowSummary => {
    const figures = realized.figures(w.start, w.end)
    return figures === null ? w : { ...w, performance: { ...(w.performance ?? NO_ESTIMATE), realized: figures } }
  }
  const inFlight = new Set<Promise<void>>()
  const track = (p: Promise<void>): void => {
    inFlight.add(p)
    void p.finally(() => inFlight.delete(p))
  }

  const fire = (alert: Alert): void => {
    metrics.alerts.inc({ rule: alert.rule })
    if (options.alertsPath !== undefined) appendFileSync(options.alertsPath, `${JSON.stringify(alert)}\n`)
    options.onAlert?.(alert)
    const rule = rules.find((r) => r.name === alert.rule)
    const targets: WebhookTarget[] = [...webhooks, ...(rule?.webhooks ?? []).map((url) => ({ url }))]
    for (const target of targets) {
      track(
        sendWebhook(target.url, alert, {
          ...(target.headers === undefined ? {} : { headers: target.headers }),
          ...(target.retries === undefined ? {} : { retries: target.retries }),
          ...(target.timeout === undefined ? {} : { timeoutMs: target.timeout }),
          ...(options.webhookBackoffMs === undefined ? {} : { backoffMs: options.webhookBackoffMs }),
        }).then((delivery) => {
          metrics.webhooks.inc({ result: delivery.ok ? 'delivered' : 'failed' })
          options.onDelivery?.(alert, target.url, delivery)
        }),
      )
    }
  }

  return {
    history,
    realized,
    get calibration() {
      return calibration
    },
    get calibrationProgress() {
      return options.calibrate?.progress ?? null
    },
    publish({ parts, unit, since, startedMs }) {
      apply(options.calibrate?.take())
      if (parts.events > 0) calibrate(parts.events)
      const { summary: partial, report } = summarizeWindow(parts, {
        slo: options.slo,
        driftOptions,
        evaluatedAt: now(),
        bad: since.bad,
        late: since.late,
        duplicates: since.duplicates,
      })
      const labels = options.labelJoin.take(now())
      // Labels joined since the last window, by the window unit of their inference: earlier windows' realized
      // figures change (replaced in the history), and this window's own when its labels came quickly.
      const labelledUnits = [...options.labelJoin.takeByUnit()].map(([start, pairs]) => {
        realized.add(start, pairs)
        return start
      })
      realized.closed(unit.start, now(), Math.min(parts.start, history[0]?.start ?? parts.start))
      if (labelledUnits.length > 0) {
        const first = Math.min(...labelledUnits)
        for (let i = history.length - 1; i >= 0 && (history[i] as WindowSummary).end > first; i--) {
          const w = history[i] as WindowSummary
          if (labelledUnits.some((u) => u >= w.start && u < w.end)) history[i] = withRealized(w)
        }
      }
      const estimate = estimatedPerformance(report)
      const summary: WindowSummary = withRealized({
        ...partial,
        ...(estimate === null ? {} : { performance: estimate }),
        labels,
        evaluationMs: performance.now() - startedMs,
      })
      if (exportDir !== undefined && unit.events > 0) {
        const json = windowStateJSON({ ...unit, replica: options.replica })
        track(
          writeFileAtomic(join(exportDir, `window-${unit.start}-${options.replica}.json`), JSON.stringify(json)).catch(
            () => undefined,
          ),
        )
      }
      const alerts = ruleEngine.evaluate(summary)
      const done: WindowSummary = { ...summary, alerts: alerts.map((a) => a.rule) }
      history.push(done)
      if (history.length > options.historySize) history.splice(0, history.length - options.historySize)
      metrics.recordWindow(done)
      options.onWindow?.(done)
      for (const alert of alerts) fire(alert)
      return done
    },
    async settle() {
      await options.calibrate?.stop()
      await Promise.all([...inFlight])
    },
  }
}
