import type { CheckResult } from '@modelgate/core'
import { formatNumber } from '@modelgate/core'
import { quantiles } from '@modelgate/stats'
import type { PowerRule } from './canaryPower.js'
import { shareCheck } from './canaryShare.js'

/** The primary's quantile whose exceedance by the candidate is counted. */
const TAIL = 0.99

/**
 * The latency tail, which a rank test misses (Kayenta #780: more variability, same median, a "pass"): the share of the
 * candidate's latencies above the primary's p99. An unchanged candidate puts about 1% there; the check fails when the
 * share's interval lies above `allowance` (3% by default: three times what chance puts there), with the share power
 * rule of the other checks.
 */
export function latencyTailCheck(
  primary: Float64Array,
  candidate: Float64Array,
  allowance: number,
  rule: PowerRule,
): CheckResult {
  const id = 'canary.latency.tail'
  const name = 'latency tail'
  if (primary.length < 1 / (1 - TAIL))
    return {
      id,
      name,
      group: 'latency',
      verdict: 'inconclusive',
      message: `cannot judge: ${primary.length.toLocaleString('en-US')} primary latencies, a p99 needs ${Math.round(1 / (1 - TAIL))}`,
    }
  const p99 = quantiles(primary, [TAIL])[0] as number
  let above = 0
  for (const x of candidate) if (x > p99) above++
  return shareCheck({
    id,
    name,
    group: 'latency',
    what: `candidate latencies above the primary's p99 (${formatNumber(p99)} ms)`,
    counts: { both: 0, rawOnly: above, noiseOnly: 0, n: candidate.length },
    withNoise: false,
    allowance,
    rule,
    emptyReason: 'no candidate latency',
    metrics: {
      primaryP99: p99,
      candidateP99: candidate.length === 0 ? 0 : (quantiles(candidate, [TAIL])[0] as number),
    },
  })
}
