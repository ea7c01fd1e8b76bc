// The one file that talks to @modelgate/drift (its README is the contract: baselineFromJSON, createDriftState with
// addEvents / merge / evaluate / toJSON, driftStateFromJSON, the report's check ids). Everything else in the monitor
// sees only the types below.
import type { Report, Verdict } from '@modelgate/core'
import type { Baseline, DriftState } from '@modelgate/drift'
import { createDriftState, driftStateFromJSON } from '@modelgate/drift'
import type { DriftSummary, FeatureDrift, QualitySignal } from '../DriftSummary.js'

/** A window's mergeable drift state. */
export interface WindowDrift {
  readonly rows: number
  add(events: Iterable<unknown>): void
  merge(other: WindowDrift): void
  evaluate(options?: Record<string, unknown>): DriftSummary
  toJSON(): unknown
}

export function createWindowDrift(
  baseline: Baseline,
  options: { readonly methods?: readonly string[] } = {},
): WindowDrift {
  return wrap(createDriftState(baseline, options.methods === undefined ? {} : { methods: options.methods }))
}

export function windowDriftFromJSON(baseline: Baseline, json: unknown): WindowDrift {
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
function summarize(report: Report): DriftSummary {
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
