import type { CheckResult } from '@modelgate/core'
import { proportionInterval, proportionsZTest } from '@modelgate/stats'
import type { CanaryColumns } from './canaryColumns.js'
import { formatP } from './canaryPairedShift.js'
import type { PowerRule } from './canaryPower.js'
import { pairsForShare } from './canaryPower.js'
import { pct } from './canaryShare.js'

/**
 * The candidate's error rate against the primary's over the same requests: a one-sided two-proportion z-test
 * (candidate above primary; unpaired, so conservative for paired requests), failing when the rise is significant and
 * larger than `allowance` (percentage points); passing when the upper end of the candidate's Wilson interval is within
 * the primary's rate + allowance (the share power rule); inconclusive between the two.
 */
export function errorRateCheck(cols: CanaryColumns, allowance: number, rule: PowerRule): CheckResult {
  const base = { id: 'canary.errors', name: 'error rate', group: 'errors' }
  const n = cols.pairs
  if (n === 0) return { ...base, verdict: 'inconclusive', message: 'cannot judge: no mirrored request was answered' }
  const kc = cols.candidateErrors
  const kp = cols.primaryErrors
  const rc = kc / n
  const rp = kp / n
  const alpha = 1 - rule.confidence
  const z = kc + kp === 0 ? undefined : proportionsZTest(kc, n, kp, n, { alpha, alternative: 'greater' })
  const p = z?.pValue ?? 1
  const ci = proportionInterval(kc, n, { confidence: rule.confidence })
  const kinds = [...cols.candidateErrorKinds].map(([k, v]) => `${k} ${v.toLocaleString('en-US')}`).join(', ')
  const figures = `candidate ${pct(rc)} (${kc.toLocaleString('en-US')} of ${n.toLocaleString('en-US')}${kinds === '' ? '' : `: ${kinds}`}; ${Math.round(ci.confidence * 1000) / 10}% interval ${pct(ci.lower)}–${pct(ci.upper)}) vs primary ${pct(rp)} (${kp.toLocaleString('en-US')}); allowed rise ${pct(allowance)}`
  const metrics = {
    candidateErrors: kc,
    primaryErrors: kp,
    n,
    candidateRate: rc,
    primaryRate: rp,
    upper: ci.upper,
    pValue: p,
    allowance,
  }
  if (p < alpha && rc - rp > allowance)
    return {
      ...base,
      verdict: 'fail',
      message: `the candidate fails more: ${figures}; z-test p = ${formatP(p)}`,
      metrics,
    }
  if (ci.upper - rp <= allowance)
    return {
      ...base,
      verdict: p < alpha ? 'warn' : 'pass',
      message: `${p < alpha ? 'the candidate fails significantly more, within the allowance: ' : ''}${figures}`,
      metrics,
    }
  const needed = pairsForShare(rc, Math.min(1, rp + allowance), rule.confidence)
  return {
    ...base,
    verdict: 'inconclusive',
    message: `cannot judge yet: ${figures} — the candidate's interval reaches past the allowed rise${Number.isFinite(needed) ? `; about ${needed.toLocaleString('en-US')} pairs would settle it` : ''}`,
    metrics: { ...metrics, pairsNeeded: Number.isFinite(needed) ? needed : -1 },
  }
}
