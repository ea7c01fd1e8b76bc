import type { CheckResult } from '@modelgate/core'
import { formatStatistic } from '@modelgate/core'
import { binomialTest } from '@modelgate/stats'
import type { CanaryColumns } from './canaryColumns.js'
import { excessShareInterval } from './canaryExcessInterval.js'
import type { PowerRule } from './canaryPower.js'
import { pct } from './canaryShare.js'

/**
 * The candidate's error rate against the primary's over the same requests, as paired outcomes: McNemar's exact test
 * (the binomial test of the requests only the candidate failed against those only the primary failed, one-sided) and
 * Newcombe's paired interval for the difference of the two rates. Fail when the rise is significant and larger than
 * `allowance` (absolute); pass when the interval's upper end is within the allowance (the share power rule of
 * canaryPower: with no error on either side, n ≥ z²(1 − m)/m — 1,077 pairs for the default 0.5 points at 98%);
 * inconclusive between the two.
 */
export function errorRateCheck(cols: CanaryColumns, allowance: number, rule: PowerRule): CheckResult {
  const base = { id: 'canary.errors', name: 'error rate', group: 'errors' }
  const n = cols.pairs
  if (n === 0) return { ...base, verdict: 'inconclusive', message: 'cannot judge: no mirrored request was answered' }
  const kc = cols.candidateErrors
  const kp = cols.primaryErrors
  const b = cols.candidateOnlyErrors
  const c = cols.primaryOnlyErrors
  const rc = kc / n
  const rp = kp / n
  const alpha = 1 - rule.confidence
  const p = b + c === 0 ? 1 : (binomialTest(b, b + c, { alternative: 'greater' }).pValue ?? 1)
  const ci = excessShareInterval({ both: kc - b, rawOnly: b, noiseOnly: c, n }, rule.confidence)
  const kinds = [...cols.candidateErrorKinds].map(([k, v]) => `${k} ${v.toLocaleString('en-US')}`).join(', ')
  const level = `${Math.round(rule.confidence * 1000) / 10}%`
  const figures = `candidate ${pct(rc)} (${kc.toLocaleString('en-US')} of ${n.toLocaleString('en-US')}${kinds === '' ? '' : `: ${kinds}`}) vs primary ${pct(rp)} (${kp.toLocaleString('en-US')}); only the candidate failed on ${b.toLocaleString('en-US')} requests, only the primary on ${c.toLocaleString('en-US')} (McNemar exact p = ${formatStatistic(p)}); difference ${pct(ci.estimate)}, ${level} interval ${pct(ci.lower)} to ${pct(ci.upper)}; allowed rise ${pct(allowance)}`
  const metrics = {
    candidateErrors: kc,
    primaryErrors: kp,
    candidateOnly: b,
    primaryOnly: c,
    n,
    candidateRate: rc,
    primaryRate: rp,
    difference: ci.estimate,
    lower: ci.lower,
    upper: ci.upper,
    pValue: p,
    allowance,
  }
  if (p < alpha && ci.estimate > allowance)
    return { ...base, verdict: 'fail', message: `the candidate fails more: ${figures}`, metrics }
  if (ci.upper <= allowance)
    return {
      ...base,
      verdict: p < alpha ? 'warn' : 'pass',
      message: `${p < alpha ? 'the candidate fails significantly more, within the allowance: ' : ''}${figures}`,
      metrics,
    }
  const halfWidth = ci.upper - ci.estimate
  const needed = ci.estimate >= allowance ? -1 : Math.ceil(n * (halfWidth / (allowance - ci.estimate)) ** 2)
  return {
    ...base,
    verdict: 'inconclusive',
    message: `cannot judge yet: ${figures} — the interval reaches past the allowed rise${needed > 0 ? `; about ${needed.toLocaleString('en-US')} pairs would settle it` : ''}`,
    metrics: { ...metrics, pairsNeeded: needed },
  }
}
