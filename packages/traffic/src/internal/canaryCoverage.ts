import type { CheckResult } from '@modelgate/core'
import type { ShadowCounts } from '../ShadowPair.js'
import type { CanaryColumns } from './canaryColumns.js'
import { pct } from './canaryShare.js'

/**
 * Coverage: no pair at all (an idle service, nothing mirrored) is inconclusive; more than `maxDropShare` of the
 * mirrored requests dropped at the candidate's full queue warns — the pairs then under-represent busy periods.
 */
export function coverageCheck(cols: CanaryColumns, counts: ShadowCounts, maxDropShare: number): CheckResult {
  const base = { id: 'canary.coverage', name: 'paired requests', group: 'coverage' }
  const metrics = { pairs: cols.pairs, requests: counts.requests, mirrored: counts.mirrored, dropped: counts.dropped }
  const seen = `${counts.requests.toLocaleString('en-US')} requests through the proxy, ${counts.mirrored.toLocaleString('en-US')} mirrored, ${counts.dropped.toLocaleString('en-US')} dropped`
  if (cols.pairs === 0)
    return {
      ...base,
      verdict: 'inconclusive',
      message: `no paired request to judge (${seen}): the service is idle or nothing was mirrored`,
      metrics,
    }
  const dropShare = counts.mirrored === 0 ? 0 : counts.dropped / counts.mirrored
  if (dropShare > maxDropShare)
    return {
      ...base,
      verdict: 'warn',
      message: `${pct(dropShare)} of mirrored requests were dropped (the candidate's queue was full): the ${cols.pairs.toLocaleString('en-US')} pairs may under-represent busy periods (${seen})`,
      metrics: { ...metrics, dropShare },
    }
  return {
    ...base,
    verdict: 'pass',
    message: `${cols.pairs.toLocaleString('en-US')} pairs (${seen})`,
    metrics: { ...metrics, dropShare },
  }
}
