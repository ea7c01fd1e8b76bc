import { createLatencyHistogram, decodeLatencyHistogram } from '@modelgate/stats'
import { TrafficError } from './errors.js'
import type { ErrorClass, LoadResult, LoadSecond } from './LoadResult.js'

/**
 * Merges the results of the shards of one schedule (`--shard 1/n` … `n/n`, each run on its own clock) into the result
 * a single process would have measured: counts add up, HDR histograms merge exactly (bucket by bucket), per-second
 * series add up second by second from each shard's start. Refuses results of different schedules or repeated shards.
 */
export function mergeLoadResults(results: readonly LoadResult[]): LoadResult {
  const first = results[0]
  if (first === undefined) throw new TrafficError('MG_LOAD_MERGE_MISMATCH', 'nothing to merge: no load results given.')
  const seen = new Set<string>()
  for (const r of results) {
    if (r.schedule.description !== first.schedule.description || r.warmupMs !== first.warmupMs)
      throw new TrafficError(
        'MG_LOAD_MERGE_MISMATCH',
        `cannot merge runs of different schedules: "${first.schedule.description}" (warm-up ${first.warmupMs} ms) and "${r.schedule.description}" (warm-up ${r.warmupMs} ms).`,
      )
    if (r.target !== first.target)
      throw new TrafficError(
        'MG_LOAD_MERGE_MISMATCH',
        `cannot merge runs against different targets: ${first.target} and ${r.target}.`,
      )
    for (const s of r.shards) {
      const key = `${s.index}/${s.count}`
      if (seen.has(key))
        throw new TrafficError('MG_LOAD_MERGE_MISMATCH', `shard ${key} appears twice among the results to merge.`)
      seen.add(key)
    }
  }
  const counts = Object.fromEntries(
    Object.keys(first.counts).map((key) => [key, sum(results, (r) => r.counts[key as keyof LoadResult['counts']])]),
  ) as unknown as LoadResult['counts']
  const errors = Object.fromEntries(
    Object.keys(first.errors).map((key) => [key, sum(results, (r) => r.errors[key as ErrorClass] ?? 0)]),
  ) as Record<ErrorClass, number>
  const statuses: Record<string, number> = {}
  for (const r of results)
    for (const [code, n] of Object.entries(r.statuses)) statuses[code] = (statuses[code] ?? 0) + n
  const samples = new Map<string, { class: ErrorClass; message: string; count: number }>()
  for (const r of results)
    for (const s of r.errorSamples) {
      const key = `${s.class}\u0000${s.message}`
      const known = samples.get(key)
      if (known !== undefined) known.count += s.count
      else samples.set(key, { ...s })
    }
  const length = Math.max(...results.map((r) => r.seconds.length))
  const seconds: LoadSecond[] = []
  for (let i = 0; i < length; i++) {
    const parts = results.map((r) => r.seconds[i]).filter((s): s is LoadSecond => s !== undefined)
    const hist = createLatencyHistogram()
    let any = false
    for (const p of parts)
      if (p.latency !== null) {
        hist.merge(decodeLatencyHistogram(p.latency))
        any = true
      }
    seconds.push({
      intended: sum(parts, (p) => p.intended),
      sent: sum(parts, (p) => p.sent),
      ok: sum(parts, (p) => p.ok),
      errors: sum(parts, (p) => p.errors),
      latency: any ? hist.encode() : null,
    })
  }
  const mergeHist = (pick: (r: LoadResult) => LoadResult['latency']): LoadResult['latency'] => {
    const h = createLatencyHistogram()
    for (const r of results) h.merge(decodeLatencyHistogram(pick(r)))
    return h.toJSON()
  }
  return {
    version: 1,
    target: first.target,
    schedule: first.schedule,
    shards: results.flatMap((r) => r.shards).sort((a, b) => a.index - b.index),
    startedAt: results.map((r) => r.startedAt).sort()[0] as string,
    warmupMs: first.warmupMs,
    measuredMs: Math.max(...results.map((r) => r.measuredMs)),
    counts,
    scheduleRule: first.scheduleRule,
    errors,
    statuses,
    errorSamples: [...samples.values()].slice(0, 10),
    latency: mergeHist((r) => r.latency),
    uncorrected: mergeHist((r) => r.uncorrected),
    lateness: mergeHist((r) => r.lateness),
    seconds,
  }
}

function sum<T>(items: readonly T[], pick: (item: T) => number): number {
  let total = 0
  for (const item of items) total += pick(item)
  return total
}
