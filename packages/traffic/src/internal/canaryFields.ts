import type { CheckResult } from '@modelgate/core'
import type { CanaryColumns, FieldCount } from './canaryColumns.js'
import { pct } from './canaryShare.js'

/**
 * Fields of the answer the candidate drops or adds (dotted paths, as the proxy records them), with Diffy's noise
 * rule: a path the secondary drops (adds) in the same answer is noise. Fail when a path is missing from more than
 * `allowance` of the answered pairs; warn when any path is missing or added at all.
 */
export function fieldsCheck(cols: CanaryColumns, allowance: number): CheckResult {
  const base = { id: 'canary.fields', name: 'added and missing fields', group: 'fields' }
  const n = cols.bothOk
  if (n === 0)
    return {
      ...base,
      verdict: 'inconclusive',
      message: 'cannot judge: no pair where both the primary and the candidate answered',
    }
  const list = (map: Map<string, FieldCount>): { path: string; count: number; noise: number; share: number }[] =>
    [...map]
      .filter(([, c]) => c.count > 0)
      .map(([path, c]) => ({ path, count: c.count, noise: c.noise, share: c.count / n }))
      .sort((a, b) => b.count - a.count)
  const missing = list(cols.missing)
  const added = list(cols.added)
  const text = (rows: typeof missing): string =>
    rows
      .slice(0, 5)
      .map((r) => `${r.path} (${r.count.toLocaleString('en-US')}, ${pct(r.share)})`)
      .join(', ') + (rows.length > 5 ? ` and ${rows.length - 5} more` : '')
  const metrics = {
    n,
    missingPaths: missing.length,
    addedPaths: added.length,
    worstMissingShare: missing[0]?.share ?? 0,
    worstAddedShare: added[0]?.share ?? 0,
  }
  const details = { missing, added }
  const parts = [
    ...(missing.length > 0 ? [`missing in the candidate: ${text(missing)}`] : []),
    ...(added.length > 0 ? [`added by the candidate: ${text(added)}`] : []),
  ]
  if (missing.some((r) => r.share > allowance))
    return {
      ...base,
      verdict: 'fail',
      message: `${parts.join('; ')} (of ${n.toLocaleString('en-US')} answered pairs; allowed ${pct(allowance)})`,
      metrics,
      details,
    }
  if (parts.length > 0)
    return {
      ...base,
      verdict: 'warn',
      message: `${parts.join('; ')} (of ${n.toLocaleString('en-US')} answered pairs)`,
      metrics,
      details,
    }
  return {
    ...base,
    verdict: 'pass',
    message: `the candidate's answers have the primary's fields (${n.toLocaleString('en-US')} answered pairs)`,
    metrics,
  }
}
