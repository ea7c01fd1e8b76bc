import { readFileSync } from 'node:fs'
import { createRandom, tableFromColumns } from '@modelgate/core'
import { buildBaseline } from '@modelgate/drift'
import { createMonitor, createMonitorMetrics } from '@modelgate/monitor'
import { describe, expect, it } from 'vitest'

/** Population ROC AUC of calibrated scores, integrated with scipy by scripts/make-monitor-fixtures.py. */
const fixture = JSON.parse(readFileSync(new URL('./fixtures/cbpe-reference.json', import.meta.url), 'utf8')) as {
  cases: Record<string, { lo: number; hi: number; rocAuc: number }>
}
const T0 = Date.UTC(2026, 11, 6, 10, 0, 0)
const WINDOW = 2000
const PER_WINDOW = 4000

/** A calibrated classifier: P(y = 1 | score) = score. */
function reference(rows: number, target: boolean) {
  const random = createRandom(1, 'cbpe-reference')
  const x = new Float64Array(rows)
  const score = new Float64Array(rows)
  const y = new Float64Array(rows)
  for (let i = 0; i < rows; i++) {
    x[i] = random.normal()
    score[i] = random.uniform()
    y[i] = random.uniform() < (score[i] as number) ? 1 : 0
  }
  return buildBaseline(
    tableFromColumns([
      { kind: 'numeric', name: 'x', values: x, valid: null },
      { kind: 'numeric', name: 'score', values: score, valid: null },
      { kind: 'numeric', name: 'y', values: y, valid: null },
    ]),
    { prediction: 'score', ...(target ? { target: 'y' } : {}), columns: ['x'] },
  )
}

/** One window of events whose scores are uniform on [lo, hi], and the labels the concept gives them. */
function windowEvents(w: number, lo: number, hi: number) {
  const random = createRandom(7, 'cbpe-window', w)
  const events: Record<string, unknown>[] = []
  const labels: { request_id: string; label: boolean }[] = []
  for (let i = 0; i < PER_WINDOW; i++) {
    const score = lo + (hi - lo) * random.uniform()
    const id = `w${w}-${i}`
    events.push({
      request_id: id,
      timestamp: T0 + w * WINDOW + (i * WINDOW) / PER_WINDOW,
      features: { x: random.normal() },
      prediction: { score },
    })
    labels.push({ request_id: id, label: random.uniform() < score })
  }
  return { events, labels }
}

/** The Mann–Whitney count over every (positive, negative) pair, ties half: the realized AUC, by brute force. */
function bruteForceAuc(events: readonly Record<string, unknown>[], labels: readonly { label: boolean }[]): number {
  const score = (e: Record<string, unknown>) => (e.prediction as { score: number }).score
  const pos = events.filter((_, i) => labels[i]?.label === true).map(score)
  const neg = events.filter((_, i) => labels[i]?.label === false).map(score)
  let wins = 0
  for (const p of pos) for (const n of neg) wins += p > n ? 1 : p === n ? 0.5 : 0
  return wins / (pos.length * neg.length)
}

describe('CBPE per window: estimated performance, and the realized figure once labels arrive', () => {
  it('estimates each window’s ROC AUC from its scores alone, follows a drop, and puts the realized AUC beside it', async () => {
    let wall = T0
    const metrics = createMonitorMetrics({ processMetrics: false })
    const monitor = createMonitor({
      baseline: reference(20_000, true),
      windowMs: WINDOW,
      latenessMs: 0,
      now: () => wall,
      metrics,
      rules: [{ name: 'auc-drop', metric: 'estimated_roc_auc', op: '<', threshold: 0.7, for: 1 }],
    })
    const cases = [fixture.cases['uniform_0.0_1.0'], fixture.cases['uniform_0.3_0.7']]
    const windows = cases.map((c, w) => windowEvents(w, c?.lo ?? 0, c?.hi ?? 1))
    for (const { events } of windows) monitor.ingest(events)
    wall = T0 + 1 // watermark: the last event time (T0 + 2 windows − ½ ms) + 1 ms of wall clock since it came
    const closed = monitor.tick()
    expect(closed).toHaveLength(2)
    for (const [w, c] of cases.entries()) {
      const perf = closed[w]?.performance
      expect(perf?.scoredRows).toBe(PER_WINDOW)
      // scipy's population AUC of the window's score distribution; the estimate saw no label
      expect(Math.abs((perf?.estimated.rocAuc as number) - (c?.rocAuc as number)), `window ${w}`).toBeLessThan(0.02)
      expect(perf?.realized).toBeNull()
    }
    // the true AUC dropped (0.83 → 0.63) and the estimate followed: the rule fires on the second window only
    expect(closed.map((w) => w.alerts)).toEqual([[], ['auc-drop']])
    expect(await metrics.registry.getSingleMetricAsString('modelgate_estimated_roc_auc')).toMatch(
      /modelgate_estimated_roc_auc 0\.6[0-6]/,
    )

    // the labels come later; the next window's evaluation puts each window's realized AUC beside its estimate
    monitor.ingest(windows.flatMap((w) => w.labels))
    const third = windowEvents(2, 0, 1)
    monitor.ingest(third.events)
    wall = T0 + 2
    expect(monitor.tick()).toHaveLength(1)
    const history = monitor.windows()
    for (const [w, c] of cases.entries()) {
      const perf = history[w]?.performance
      const { events, labels } = windows[w] as (typeof windows)[number]
      expect(perf?.realized?.labelled).toBe(PER_WINDOW)
      expect(perf?.realized?.rocAuc).toBeCloseTo(bruteForceAuc(events, labels), 10)
      expect(Math.abs((perf?.realized?.rocAuc as number) - (c?.rocAuc as number)), `window ${w}`).toBeLessThan(0.04)
      expect(Math.abs((perf?.realized?.rocAuc as number) - (perf?.estimated.rocAuc as number))).toBeLessThan(0.04)
    }
    expect(history[2]?.performance?.realized).toBeNull()
    await monitor.close()
  })

  it('without the baseline’s calibration (no target) estimates nothing, and still reports the realized AUC', () => {
    let wall = T0
    const monitor = createMonitor({
      baseline: reference(5000, false),
      windowMs: WINDOW,
      latenessMs: 0,
      now: () => wall,
      metrics: createMonitorMetrics({ processMetrics: false }),
    })
    const { events, labels } = windowEvents(0, 0.1, 0.9)
    monitor.ingest(events)
    monitor.ingest(labels)
    wall = T0 + 1
    const [w] = monitor.tick()
    expect(w?.performance?.estimated.rocAuc).toBeNull()
    expect(w?.performance?.realized?.rocAuc).toBeCloseTo(bruteForceAuc(events, labels), 10)
  })
})
