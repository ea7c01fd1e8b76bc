import { createHash } from 'node:crypto'
import type { Table } from '@modelgate/core'
import { createRandom } from '@modelgate/core'
import type { Baseline } from '@modelgate/drift'
import { createDriftState } from '@modelgate/drift'
import { MonitorError } from './errors.js'
import type { WindowSampler } from './internal/referenceWindows.js'
import { baselineSampler, rowSampler } from './internal/referenceWindows.js'
import type { AlertRule, RuleMetric } from './monitorConfig.js'

/** How the monitor calibrates its thresholds by bootstrap (`MonitorOptions.calibrate`). */
export interface CalibrateOption {
  /** The live window's size in events; default: the event count of the first non-empty window. */
  readonly windowEvents?: number
  /** Reference rows to draw windows from; default: the baseline's stored marginals. */
  readonly reference?: Table
  readonly bootstraps?: number
  readonly seed?: number
  /**
   * Calibrate on a worker thread: the monitor runs with the analytic α meanwhile and switches to the calibrated
   * thresholds from the first window evaluated after the calibration ended. Default false (calibrate before the
   * first window is evaluated, blocking).
   */
  readonly background?: boolean
  /** A directory where results are kept (`calibration-<key>.json`, the key a hash of what they depend on). */
  readonly cacheDir?: string
  readonly onProgress?: (done: number, total: number) => void
  /** Called once, when the calibrated thresholds apply (also for a result read from `cacheDir`). */
  readonly onCalibrated?: (calibration: Calibration) => void
  /** The background calibration failed (the analytic α stays). */
  readonly onError?: (error: unknown) => void
  /** A cached result in `cacheDir` could not be read (it is computed again): named once. */
  readonly onWarning?: (message: string) => void
}

export interface CalibrateThresholdsOptions {
  readonly baseline: Baseline
  /** The rules to calibrate (others pass through unchanged). */
  readonly rules: readonly AlertRule[]
  /** The live window's size in events. */
  readonly windowEvents: number
  /** N: under no drift, at most one window in N alarms on average, across every calibrated rule. */
  readonly expectedWindowsBetweenFalseAlarms: number
  /** Drift method specs as the monitor evaluates windows (its defaults, then the user's). */
  readonly methods: readonly string[]
  /** Reference rows to draw windows from; without them windows are drawn from the baseline's stored marginals. */
  readonly reference?: Table
  /** Bootstrap windows B. Default 10 · N · (calibrated rules), as Alibi Detect advises (≥ 10× the ERT). */
  readonly bootstraps?: number
  readonly seed?: number
  /** Called every 100 windows. */
  readonly onProgress?: (done: number, total: number) => void
}

export interface RuleCalibration {
  readonly rule: string
  readonly metric: RuleMetric
  /** This rule's share of the budget: its false-alarm rate per window. */
  readonly rate: number
  /**
   * The calibrated threshold: for `drift_failed`, the smallest p-value a window may have (the window fails when a
   * feature's p-value is below it); for a statistic rule, the value the rule compares with.
   */
  readonly threshold: number
  /** The share of bootstrap windows that alarm with it (≤ rate; ties and discreteness make it smaller). */
  readonly achieved: number
}

export interface Calibration {
  readonly method: 'bootstrap' | 'analytic'
  /** Why the analytic α was kept (a reference too small for the window), else null. */
  readonly warning: string | null
  readonly windowEvents: number
  readonly expectedWindowsBetweenFalseAlarms: number
  readonly bootstraps: number
  readonly source: 'reference rows' | 'baseline marginals' | null
  readonly rules: readonly RuleCalibration[]
  /** α of the p-value drift methods: Holm's first step fails a window when its smallest p-value is < α / features. */
  readonly driftAlpha: number
  /** α of drift's null-rate tests (the data-quality rule keeps the analytic test, at its share of the budget). */
  readonly qualityAlpha: number
  readonly seconds: number
}

/** Statistic rules the bootstrap calibrates: per-feature statistics an alarm compares from above. */
const STATISTIC_METRICS: ReadonlySet<RuleMetric> = new Set(['feature_drift_score', 'feature_null_ratio'])
/** The reference must hold this many windows' worth of rows, else its own noise would matter (analytic fallback). */
const MIN_REFERENCE_WINDOWS = 20

const cache = new Map<string, Calibration>()
/** Bumped when the bootstrap changes what it computes (old cached results are then not reused). */
const CALIBRATION_VERSION = 2

/**
 * Sets the thresholds of the monitor's rules so that, under no drift, one window in N raises a false alarm, by
 * simulation rather than by a formula: B windows of the live window's size are drawn from the reference (seeded),
 * each is evaluated as the monitor evaluates a window, and each rule's threshold is put at the quantile of its
 * statistic that leaves its share of the budget above it — the approach of Alibi Detect's online detectors, whose
 * thresholds are configured on bootstrap streams from the reference for an expected run time (ERT) between false
 * detections (https://docs.seldon.ai/alibi-detect/api-reference/cd/cvm_online; Cobb et al.,
 * "Sequential Multivariate Change Detection with Calibrated and Memoryless False Detection Rates", AISTATS 2022).
 *
 * The budget 1/N is split evenly over the rules it covers (Bonferroni across rules, so the bound holds whatever
 * their dependence): `drift_failed`, `quality_failed`, and `feature_drift_score` / `feature_null_ratio` rules with
 * `>` or `>=`. Within a rule, the features are handled jointly: `drift_failed` is calibrated on the window's
 * smallest drift p-value over all features (the min-p procedure of Westfall & Young, 1993, which accounts for the
 * features' dependence and for tests whose p-values are only approximately uniform, such as KS on sketches), a
 * statistic rule over several features on the window's largest value among them. `quality_failed` is not simulated
 * (its null-rate test is exact enough and its other checks cannot fail on reference data): it keeps the analytic
 * test at its share of the budget.
 *
 * Falls back to the analytic α = 1/N (Holm across features), with a warning, when the reference holds fewer than 20
 * windows' worth of rows. Results are cached per baseline (checksum), window size and settings.
 */
export function calibrateThresholds(options: CalibrateThresholdsOptions): Calibration {
  const started = performance.now()
  const { baseline, windowEvents: n } = options
  const budget = options.expectedWindowsBetweenFalseAlarms
  if (!(Number.isInteger(n) && n >= 1) || !(budget >= 1)) {
    throw new MonitorError(
      'MG_MONITOR_BAD_OPTION',
      `calibrateThresholds: windowEvents must be a positive integer and expectedWindowsBetweenFalseAlarms ≥ 1, got ${n} and ${budget}.`,
    )
  }
  const { simulated, rate, bootstraps, seed, key } = calibrationPlan(options)
  const referenceRows = options.reference?.numRows ?? baseline.source.rows
  const analytic = (warning: string | null): Calibration => ({
    method: 'analytic',
    warning,
    windowEvents: n,
    expectedWindowsBetweenFalseAlarms: budget,
    bootstraps: 0,
    source: null,
    rules: [],
    driftAlpha: 1 / budget,
    qualityAlpha: 1 / budget,
    seconds: (performance.now() - started) / 1000,
  })
  if (simulated.length === 0) return analytic(null)
  if (referenceRows < MIN_REFERENCE_WINDOWS * n) {
    return analytic(
      `the reference has ${referenceRows} rows, fewer than ${MIN_REFERENCE_WINDOWS} windows of ${n} events: thresholds stay analytic (α = 1/${budget}, Holm across features)`,
    )
  }
  const cached = cache.get(key)
  if (cached !== undefined) return cached

  const sample: WindowSampler =
    options.reference === undefined ? baselineSampler(baseline) : rowSampler(options.reference)
  const random = createRandom(seed, 'monitor-calibration', n)
  /** Per bootstrap window: the smallest drift p-value, and each simulated statistic rule's largest value. */
  const minP = new Float64Array(bootstraps)
  const stats = simulated.map(() => new Float64Array(bootstraps))
  let features = 0
  for (let b = 0; b < bootstraps; b++) {
    const state = createDriftState(baseline, { methods: options.methods })
    state.addTable(sample(n, random))
    const report = state.evaluate({ methods: options.methods })
    let p = 1
    let tested = 0
    const drift = new Map<string, number>()
    const nulls = new Map<string, number>()
    for (const check of report.checks) {
      const m = check.metrics ?? {}
      if (check.id.startsWith('drift.column.')) {
        const name = check.id.slice('drift.column.'.length)
        if (m.statistic !== undefined) drift.set(name, m.statistic)
        if (m.adjustedPValue !== undefined && m.pValue !== undefined) {
          tested++
          p = Math.min(p, m.pValue)
        }
      } else if (check.id.startsWith('drift.quality.null_rate.') && m.nullRate !== undefined) {
        nulls.set(check.id.slice('drift.quality.null_rate.'.length), m.nullRate)
      }
    }
    features = Math.max(features, tested)
    minP[b] = p
    simulated.forEach((rule, r) => {
      const values = rule.metric === 'feature_drift_score' ? drift : rule.metric === 'feature_null_ratio' ? nulls : null
      let max = Number.NEGATIVE_INFINITY
      for (const [name, v] of values ?? [])
        if (rule.feature === undefined || rule.feature === name) max = Math.max(max, v)
      ;(stats[r] as Float64Array)[b] = max
    })
    if ((b + 1) % 100 === 0) options.onProgress?.(b + 1, bootstraps)
  }
  // k windows of B may alarm: the threshold leaves exactly the k most extreme strictly beyond it.
  const k = Math.floor(bootstraps * rate + 1e-9)
  const rules: RuleCalibration[] = simulated.map((rule, r) => {
    if (rule.metric === 'drift_failed') {
      const sorted = Float64Array.from(minP).sort()
      const threshold = sorted[k] as number
      return { rule: rule.name, metric: rule.metric, rate, threshold, achieved: share(minP, (v) => v < threshold) }
    }
    const values = stats[r] as Float64Array
    const sorted = Float64Array.from(values).sort().reverse()
    const at = sorted[k] as number
    // `>` alarms above `at`; `>=` alarms from the next representable number up.
    const threshold = rule.op === '>' ? at : at + Math.max(Math.abs(at) * Number.EPSILON, Number.MIN_VALUE)
    return {
      rule: rule.name,
      metric: rule.metric,
      rate,
      threshold,
      achieved: share(values, (v) => (rule.op === '>' ? v > threshold : v >= threshold)),
    }
  })
  const drift = rules.find((r) => r.metric === 'drift_failed')
  const result: Calibration = {
    method: 'bootstrap',
    warning: null,
    windowEvents: n,
    expectedWindowsBetweenFalseAlarms: budget,
    bootstraps,
    source: options.reference === undefined ? 'baseline marginals' : 'reference rows',
    rules,
    // Holm's first step rejects when K · p_min < α: α = K · c fails a window exactly when p_min < c.
    driftAlpha:
      drift === undefined
        ? 1 / budget
        : Math.min(0.5, Math.max(drift.threshold, Number.MIN_VALUE) * Math.max(1, features)),
    qualityAlpha: rate,
    seconds: (performance.now() - started) / 1000,
  }
  cache.set(key, result)
  return result
}

/** The rules the bootstrap simulates, each one's share of the budget, B, the seed, and the key of the result. */
function calibrationPlan(options: CalibrateThresholdsOptions): {
  readonly simulated: readonly AlertRule[]
  readonly rate: number
  readonly bootstraps: number
  readonly seed: number
  readonly key: string
} {
  const simulated = options.rules.filter(
    (r) => r.metric === 'drift_failed' || (STATISTIC_METRICS.has(r.metric) && (r.op === '>' || r.op === '>=')),
  )
  const shares = simulated.length + (options.rules.some((r) => r.metric === 'quality_failed') ? 1 : 0)
  const rate = 1 / (options.expectedWindowsBetweenFalseAlarms * Math.max(1, shares))
  const bootstraps = options.bootstraps ?? Math.ceil(10 / rate)
  const seed = options.seed ?? 1
  const key = JSON.stringify([
    CALIBRATION_VERSION,
    options.baseline.checksum,
    options.reference === undefined ? null : options.reference.numRows,
    options.windowEvents,
    options.expectedWindowsBetweenFalseAlarms,
    bootstraps,
    seed,
    options.methods,
    simulated.map((r) => [r.name, r.metric, r.feature ?? null, r.op]),
    options.rules.some((r) => r.metric === 'quality_failed'),
  ])
  return { simulated, rate, bootstraps, seed, key }
}

/**
 * What a calibration's result depends on, hashed (SHA-256, hex): the baseline (its checksum), the window size, N, B,
 * the seed, the drift methods and the calibrated rules — the name of its cache file in a state directory.
 */
export function calibrationKey(options: CalibrateThresholdsOptions): string {
  return createHash('sha256').update(calibrationPlan(options).key).digest('hex')
}

function share(values: Float64Array, alarm: (v: number) => boolean): number {
  let hits = 0
  for (const v of values) if (alarm(v)) hits++
  return hits / values.length
}

/** The rules with their calibrated thresholds (`drift_failed` keeps its 0/1 threshold: its α moves instead). */
export function calibratedRules(rules: readonly AlertRule[], calibration: Calibration): AlertRule[] {
  return rules.map((rule) => {
    const c = calibration.rules.find((r) => r.rule === rule.name)
    return c === undefined || rule.metric === 'drift_failed' ? rule : { ...rule, threshold: c.threshold }
  })
}
