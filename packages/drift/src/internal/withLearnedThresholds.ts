import { normalCdf, studentTCdf } from '@modelgate/stats'
import type { DriftState } from '../DriftState.js'
import { DriftError } from '../errors.js'
import type { MethodChoice } from '../resolveMethods.js'

/** The learned thresholds of the window size closest to the state's rows, applied to automatically chosen distances. */
export function withLearnedThresholds(
  methods: ReadonlyMap<string, MethodChoice>,
  state: DriftState,
  mode: 'fixed' | 'learned',
): ReadonlyMap<string, MethodChoice> {
  if (mode === 'fixed') return methods
  if (mode !== 'learned') {
    throw new DriftError(
      'MG_DRIFT_BAD_OPTION',
      `evaluate: thresholds must be "fixed" or "learned", got ${JSON.stringify(mode)}.`,
    )
  }
  const sets = state.baseline.learned ?? []
  if (sets.length === 0) {
    throw new DriftError(
      'MG_DRIFT_BAD_OPTION',
      'evaluate: the baseline holds no learned thresholds; build it with windowRows (the declared window sizes).',
    )
  }
  const rows = Math.max(1, state.rows)
  const set = [...sets].sort(
    (a, b) => Math.abs(Math.log(a.windowRows / rows)) - Math.abs(Math.log(b.windowRows / rows)),
  )[0] as (typeof sets)[number]
  const out = new Map(methods)
  const applicable = set.columns.filter((learned) => {
    const choice = methods.get(learned.name)
    return choice !== undefined && !choice.pValue && choice.source === 'auto' && choice.method === learned.method
  })
  // NannyML's rule is mean + 3σ of the chunk statistics (stored as `threshold`). The gate uses the same idea as a
  // prediction interval that holds across columns: on the log of the statistic (distances are positive and
  // right-skewed), with Student's t for σ estimated from few chunks, at the one-sided level Φ(−3) = 0.135% split
  // over the m columns (Bonferroni) — so the dataset's false-alarm rate stays near 0.135%, not m times it
  const level = normalCdf(-3) / Math.max(1, applicable.length)
  const k = studentTPpf(1 - level, set.chunks - 1) * Math.sqrt(1 + 1 / set.chunks)
  for (const learned of applicable) {
    const choice = methods.get(learned.name) as MethodChoice
    out.set(learned.name, {
      ...choice,
      threshold: Math.max(Math.exp(learned.logMean + k * learned.logStd), 1e-9),
      source: `learned for ${set.windowRows.toLocaleString('en-US')}-row windows (${set.chunks} reference chunks)`,
    })
  }
  return out
}

/** The p-quantile of Student's t with df degrees of freedom, by bisection on stats' studentTCdf. */
function studentTPpf(p: number, df: number): number {
  let lo = 0
  let hi = 1
  while (studentTCdf(hi, df) < p && hi < 1e6) hi *= 2
  for (let i = 0; i < 200 && hi - lo > 1e-12 * hi; i++) {
    const mid = (lo + hi) / 2
    if (studentTCdf(mid, df) < p) lo = mid
    else hi = mid
  }
  return (lo + hi) / 2
}
