// The one file that talks to @modelgate/drift (its README is the contract: baselineFromJSON, createDriftState with
// addEvents / merge / evaluate / toJSON, driftStateFromJSON, the report's check ids). Everything else in the monitor
// sees only the types below.
import type { Report, Verdict } from '@modelgate/core'
import type { Baseline, DriftState } from '@modelgate/drift'
import { baselineFromJSON, createDriftState, driftStateFromJSON } from '@modelgate/drift'

/** The drift baseline the monitor runs on (drift's `Baseline`). */
export type BaselineView = Baseline

/** Drift's engine is always there (kept as a function so callers need not know). */
export function driftEngineAvailable(): boolean {
  return true
}

/** A validated baseline (drift's `baselineFromJSON`; its errors name the file and key). */
export function loadBaseline(json: unknown, source: string): BaselineView {
  return baselineFromJSON(json, { source })
}

/** One feature's drift in one window, as the monitor reports and exports it. */
export interface FeatureDrift {
  readonly feature: string
  readonly method: string
  readonly statistic: number | null
  readonly threshold: number | null
  readonly pValue: number | null
  readonly verdict: Verdict
  readonly drifted: boolean
}

/** One data-quality signal (`null_rate`, `unseen`, `out_of_range`, `missing`, `type`, `format`) of one column. */
export interface QualitySignal {
  readonly signal: string
  readonly feature: string
  readonly verdict: Verdict
  readonly value: number | null
}

export interface DriftSummary {
  readonly verdict: Verdict
  /** Verdict of the column drift checks alone, and of the data-quality checks alone. */
  readonly driftVerdict: Verdict
  readonly qualityVerdict: Verdict
  readonly features: readonly FeatureDrift[]
  readonly quality: readonly QualitySignal[]
  /** Null ratio per feature (from the null-rate checks). */
  readonly nullRatio: Readonly<Record<string, number>>
  readonly report: Report
}

/** A window's mergeable drift state. */
export interface WindowDrift {
  readonly rows: number
  add(events: Iterable<unknown>): void
  merge(other: WindowDrift): void
  evaluate(options?: Record<string, unknown>): DriftSummary
  toJSON(): unknown
}

export function createWindowDrift(
  baseline: BaselineView,
  options: { readonly methods?: readonly string[] } = {},
): WindowDrift {
  return wrap(createDriftState(baseline, options.methods === undefined ? {} : { methods: options.methods }))
}

export function windowDriftFromJSON(baseline: BaselineView, json: unknown): WindowDrift {
  return wrap(driftStateFromJSON(baseline, json))
}

const states = new WeakMap<WindowDrift, DriftState>()

function wrap(state: DriftState): WindowDrift {
  const window: WindowDrift = {
    get rows() {
      return state.rows
    },
    add: (events) => {
      state.addEvents(events)
    },
    merge: (other) => {
      const inner = states.get(other)
      if (inner === undefined) throw new TypeError('merge: not a window drift state')
      state.merge(inner)
    },
    evaluate: (options) => summarize(state.evaluate(options)),
    toJSON: () => state.toJSON(),
  }
  states.set(window, state)
  return window
}

const FOLD: readonly Verdict[] = ['fail', 'inconclusive', 'warn', 'pass']
function fold(verdicts: readonly Verdict[]): Verdict {
  for (const v of FOLD) if (verdicts.includes(v)) return v
  return 'pass'
}

/** Reads drift's report (check ids `drift.column.<name>`, `drift.quality.<signal>.<name>`) into the monitor's view. */
export function summarize(report: Report): DriftSummary {
  const features: FeatureDrift[] = []
  const quality: QualitySignal[] = []
  const nullRatio: Record<string, number> = {}
  for (const check of report.checks) {
    const m = check.metrics ?? {}
    if (check.id.startsWith('drift.column.')) {
      const details = (check.details ?? {}) as { method?: unknown; drifted?: unknown }
      features.push({
        feature: check.id.slice('drift.column.'.length),
        method: typeof details.method === 'string' ? details.method : 'unknown',
        statistic: m.statistic ?? null,
        threshold: m.threshold ?? null,
        pValue: m.adjustedPValue ?? m.pValue ?? null,
        verdict: check.verdict,
        drifted: details.drifted === true || check.verdict === 'fail',
      })
    } else if (check.id.startsWith('drift.quality.')) {
      const rest = check.id.slice('drift.quality.'.length)
      const dot = rest.indexOf('.')
      const signal = dot < 0 ? rest : rest.slice(0, dot)
      const feature = dot < 0 ? '' : rest.slice(dot + 1)
      const value = m.nullRate ?? m.unseenShare ?? m.outOfRangeShare ?? m.validShare ?? m.typeErrors ?? null
      quality.push({ signal, feature, verdict: check.verdict, value })
      if (signal === 'null_rate' && m.nullRate !== undefined) nullRatio[feature] = m.nullRate
    }
  }
  return {
    verdict: report.verdict,
    driftVerdict: fold(features.map((f) => f.verdict).filter((v) => v !== 'skip')),
    qualityVerdict: fold(quality.map((q) => q.verdict).filter((v) => v !== 'skip')),
    features,
    quality,
    nullRatio,
    report,
  }
}
