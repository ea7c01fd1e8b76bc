import type { ShadowCounts, ShadowPair } from './ShadowPair.js'

/**
 * Shadow pairs as JSONL, the form `readShadowPairs` reads back for offline judging: one pair per line (a latency
 * without an answer, NaN, is written as null) and a last line `{"counts": {…}}` with the proxy's counts. Pairs hold
 * no raw request or answer values, so the file holds none either.
 */
export function shadowPairsJsonl(pairs: Iterable<ShadowPair>, counts: ShadowCounts): string {
  const lines: string[] = []
  for (const pair of pairs) lines.push(JSON.stringify(pair))
  lines.push(
    JSON.stringify({ counts: { requests: counts.requests, mirrored: counts.mirrored, dropped: counts.dropped } }),
  )
  return `${lines.join('\n')}\n`
}
