import { parseSlo } from '@modelgate/core'
import { createLatencyHistogram, decodeLatencyHistogram } from '@modelgate/stats'
import { describe, expect, it } from 'vitest'
import type { LoadResult } from '../src/index.js'
import { judgeLoad, loadResultFromReport, mergeLoadResults } from '../src/index.js'
import { LoadRecorder } from '../src/internal/LoadRecorder.js'

/**
 * A recorded run built from known latencies (no clock involved): `latencyAt(second, i)` gives the i-th request's
 * latency in that second; requests of `shard` i/n are those with global index ≡ i−1 (mod n), as runLoad sends them.
 */
function recordedRun(options: {
  seconds: number
  rate: number
  latencyAt: (second: number, i: number) => number
  failAt?: (second: number, i: number) => boolean
  shard?: { index: number; count: number }
}): LoadResult {
  const recorder = new LoadRecorder(5, 50)
  let k = 0
  for (let s = 0; s < options.seconds; s++)
    for (let i = 0; i < options.rate; i++, k++) {
      if (options.shard !== undefined && k % options.shard.count !== options.shard.index - 1) continue
      recorder.scheduleOne(s)
      recorder.dueOne(0.1)
      recorder.sendOne(s)
      const ms = options.latencyAt(s, i)
      if (options.failAt?.(s, i) === true) recorder.failure(s, 'timeout', 'UND_ERR_HEADERS_TIMEOUT')
      else recorder.response(s, 200, ms, ms * 0.5)
    }
  return recorder.result({
    target: 'http://127.0.0.1:1/predict',
    schedule: { description: `constant ${options.rate}/s`, durationMs: options.seconds * 1000, expectedCount: k },
    shards: options.shard === undefined ? [] : [options.shard],
    startedAt: '2026-01-01T00:00:00.000Z',
    warmupMs: 0,
    measuredMs: options.seconds * 1000,
    scheduleRule: { lateThresholdMs: 5, maxLateShare: 0.01, maxLatenessMs: 50 },
  })
}

// 60 s at 200/s; latencies 1–20 ms, except seconds 20–29 where every fifth request takes 400 ms
const slowWindow = (s: number, i: number): number => (s >= 20 && s < 30 && i % 5 === 0 ? 400 : 1 + (i % 20))

describe('judgeLoad', () => {
  it('passes a whole-run SLO that the run meets and fails one it breaks', () => {
    const result = recordedRun({ seconds: 10, rate: 100, latencyAt: (_, i) => 1 + i / 10 })
    const report = judgeLoad(result, { slos: [parseSlo('p99<20ms'), parseSlo('p50<5ms')] })
    expect(report.checks.map((c) => [c.name, c.verdict])).toEqual([
      ['generator schedule', 'pass'],
      ['p99<20ms', 'pass'],
      ['p50<5ms', 'fail'],
      ['failed requests', 'pass'],
    ])
    expect(report.checks[2]?.message).toMatch(/^p50 = 5\.9\d* ms \(breaks p50<5ms; n=1,000\)$/)
    expect(report.verdict).toBe('fail')
  })

  it('names the first breaching window of a sliding-window SLO', () => {
    const result = recordedRun({ seconds: 60, rate: 200, latencyAt: slowWindow })
    // 20% of the requests of seconds 20–29 are slow: 3.3% of the run, so the whole-run p90 stays low
    const report = judgeLoad(result, { slos: [parseSlo('p99<100ms over 10s'), parseSlo('p90<100ms')] })
    const windowed = report.checks[1]
    expect(windowed?.verdict).toBe('fail')
    // the first 10 s window holding second 20 has 2% slow requests: its p99 is 400 ms
    expect(windowed?.message).toBe(
      'p99 = 400 ms in the window 00:11–00:21 breaks p99<100ms over 10s; 19 of 51 windows breach it, the worst 00:11–00:21 (400 ms)',
    )
    expect(report.checks[2]?.verdict).toBe('pass') // the whole-run p90 hides the bad window
  })

  it('calls a percentile SLO inconclusive when too few responses exist to estimate it', () => {
    const result = recordedRun({ seconds: 1, rate: 50, latencyAt: () => 3 })
    const report = judgeLoad(result, { slos: [parseSlo('p99<100ms'), parseSlo('p99.9<100ms over 1s')] })
    expect(report.checks[1]?.verdict).toBe('inconclusive')
    expect(report.checks[1]?.message).toMatch(/50 responses are too few for p99 \(needs 100\)/)
    expect(report.checks[2]?.verdict).toBe('inconclusive')
    expect(report.verdict).toBe('inconclusive')
  })

  it('judges the error rate and the achieved rate', () => {
    const result = recordedRun({ seconds: 10, rate: 100, latencyAt: () => 2, failAt: (_, i) => i < 2 })
    const report = judgeLoad(result, { slos: [parseSlo('errors<1%'), parseSlo('errors<5%'), parseSlo('rate>=100/s')] })
    expect(report.checks.slice(1).map((c) => c.verdict)).toEqual(['fail', 'pass', 'pass'])
    expect(report.checks[1]?.message).toBe('errors = 2% (breaks errors<1%; n=1,000)')
  })

  it('never passes failed requests silently: without an errors SLO any failure warns, and none succeeding fails', () => {
    const some = recordedRun({ seconds: 2, rate: 100, latencyAt: () => 2, failAt: (_, i) => i < 3 })
    const someCheck = judgeLoad(some).checks.find((c) => c.id === 'load.errors')
    expect(someCheck?.verdict).toBe('warn')
    expect(someCheck?.message).toBe(
      '6 of 200 requests failed (3%: timeout 6); add an SLO such as errors<0.1% to judge them',
    )
    const all = recordedRun({ seconds: 2, rate: 100, latencyAt: () => 2, failAt: () => true })
    expect(judgeLoad(all).verdict).toBe('fail')
    expect(judgeLoad(some, { slos: [parseSlo('errors<5%')] }).checks.map((c) => c.id)).not.toContain('load.errors')
  })

  it('keeps the measurements in the report, so its JSON can be read back', () => {
    const result = recordedRun({ seconds: 3, rate: 100, latencyAt: () => 2 })
    const json = JSON.parse(JSON.stringify(judgeLoad(result)))
    expect(loadResultFromReport(json)).toEqual(result)
    expect(() => loadResultFromReport({ kind: 'skew', checks: [] }, 'skew.json')).toThrow(
      /skew.json is not the JSON report of a load run/,
    )
  })
})

describe('mergeLoadResults', () => {
  it('gives the same figures and verdicts as one process running the whole schedule (histograms merge exactly)', () => {
    const single = recordedRun({ seconds: 60, rate: 200, latencyAt: slowWindow })
    const shards = [1, 2, 3].map((index) =>
      recordedRun({ seconds: 60, rate: 200, latencyAt: slowWindow, shard: { index, count: 3 } }),
    )
    const merged = mergeLoadResults(shards)
    expect(merged.counts).toEqual(single.counts)
    const a = decodeLatencyHistogram(merged.latency)
    const b = decodeLatencyHistogram(single.latency)
    for (const p of [50, 90, 99, 99.9, 100]) expect(a.percentile(p)).toBe(b.percentile(p))
    expect(merged.seconds.map((s) => s.intended)).toEqual(single.seconds.map((s) => s.intended))
    const slos = [parseSlo('p99<100ms over 10s'), parseSlo('p50<15ms'), parseSlo('errors<1%')]
    const strip = (r: ReturnType<typeof judgeLoad>) => r.checks.slice(1).map((c) => [c.verdict, c.message])
    expect(strip(judgeLoad(merged, { slos }))).toEqual(strip(judgeLoad(single, { slos })))
    expect(merged.shards).toEqual([
      { index: 1, count: 3 },
      { index: 2, count: 3 },
      { index: 3, count: 3 },
    ])
  })

  it('refuses results of different schedules and a shard given twice', () => {
    const a = recordedRun({ seconds: 2, rate: 100, latencyAt: () => 1, shard: { index: 1, count: 2 } })
    const b = recordedRun({ seconds: 2, rate: 50, latencyAt: () => 1, shard: { index: 2, count: 2 } })
    expect(() => mergeLoadResults([a, b])).toThrow(/different schedules/)
    expect(() => mergeLoadResults([a, a])).toThrow(/shard 1\/2 appears twice/)
  })
})

it('histogram precision: merged percentiles are within 0.1% of exact quantiles', () => {
  const h = createLatencyHistogram()
  for (let i = 1; i <= 10_000; i++) h.record(i / 100)
  expect(Math.abs(h.percentile(99) - 99) / 99).toBeLessThan(0.001)
})

it('counts only what left within the measured time toward the achieved rate', () => {
  const recorder = new LoadRecorder(5, 50)
  for (let i = 0; i < 100; i++) {
    recorder.scheduleOne(0)
    recorder.dueOne(0)
    recorder.sendOne(i < 60 ? 0 : 1) // 40 left after the 1 s schedule
    recorder.response(0, 200, 1, 1)
  }
  const result = recorder.result({
    target: 'http://127.0.0.1:1/',
    schedule: { description: 'constant 100/s', durationMs: 1000, expectedCount: 100 },
    shards: [],
    startedAt: '2026-01-01T00:00:00.000Z',
    warmupMs: 0,
    measuredMs: 1000,
    scheduleRule: { lateThresholdMs: 5, maxLateShare: 0.01, maxLatenessMs: 50 },
  })
  const report = judgeLoad(result, { slos: [parseSlo('rate>=90/s')] })
  expect(report.summary['achieved rate (/s)']).toBe(60)
  expect(report.checks[1]?.message).toBe('rate = 60/s (breaks rate>=90/s; n=60)')
})
