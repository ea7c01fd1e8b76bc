// A restart from a checkpoint in the middle of a sliding window, with labels pending: the windows after it are the
// ones a monitor that never stopped gives (the hops closed before the restart and the label buffer are in the
// checkpoint).
import type { Monitor, MonitorSnapshot, WindowSummary } from '@modelgate/monitor'
import { createMonitor, createMonitorMetrics } from '@modelgate/monitor'
import { describe, expect, it } from 'vitest'
import { seeded } from './support/events.js'
import { fraudBaseline, fraudEvent } from './support/fraudEvents.js'

const T0 = Date.UTC(2026, 11, 6, 10, 0, 0)
const HOPS = 6
const random = seeded(51)
// 200 inferences per 1 s hop; the labels of hops 0 and 1 arrive, a hundred during hop 1 (before the restart), the
// rest during hop 3 (after it), positive more often for high scores so that the realized ROC AUC is well above 0.5.
const events = Array.from({ length: HOPS }, (_, h) =>
  Array.from({ length: 200 }, (_, i) => fraudEvent(random, `h${h}-${i}`, T0 + h * 1000 + i * 4)),
)
const labels = events
  .slice(0, 2)
  .flat()
  .map((e) => ({ request_id: e.request_id, label: random() < e.prediction.score ? 'fraud' : 'ok' }))

/**
 * Feeds the hops as live traffic (the wall clock just behind the events) and closes each hop; with `restartAt`, the
 * monitor is replaced by one restored from its checkpoint (through JSON, as on disk) half-way through that hop.
 */
function run(restartAt?: number): { closed: WindowSummary[]; history: WindowSummary[] } {
  let wall = T0
  const make = (restore?: MonitorSnapshot): Monitor =>
    createMonitor({
      baseline: fraudBaseline(),
      windowMs: 3000,
      hopMs: 1000,
      latenessMs: 0,
      positiveLabel: 'fraud',
      now: () => wall,
      metrics: createMonitorMetrics({ processMetrics: false }),
      ...(restore === undefined ? {} : { restore }),
    })
  let monitor = make()
  const out: WindowSummary[] = []
  for (let h = 0; h < HOPS; h++) {
    wall = T0 + h * 1000 + 900
    const hop = events[h] ?? []
    monitor.ingest(hop.slice(0, 100))
    if (h === restartAt) {
      const checkpoint = JSON.parse(JSON.stringify(monitor.snapshot())) as MonitorSnapshot
      void monitor.close()
      monitor = make(checkpoint)
    }
    monitor.ingest(hop.slice(100))
    if (h === 1) monitor.ingest(labels.slice(0, 100))
    if (h === 3) monitor.ingest(labels.slice(100))
    wall = T0 + (h + 1) * 1000 + 200 // the watermark passes the hop's end
    out.push(...monitor.tick())
  }
  const history = monitor.windows()
  void monitor.close()
  return { closed: out, history }
}

const comparable = (w: WindowSummary) => {
  const { evaluatedAt: _at, evaluationMs: _ms, ...rest } = w
  return rest
}

describe('checkpoint and restore', () => {
  it('resumes a sliding window in the middle (its closed hops are in the checkpoint) with labels pending', () => {
    const { closed: straight, history } = run()
    expect(straight.map((w) => [w.start - T0, w.end - T0, w.events])).toEqual([
      [0, 1000, 200],
      [0, 2000, 400],
      [0, 3000, 600],
      [1000, 4000, 600],
      [2000, 5000, 600],
      [3000, 6000, 600],
    ])
    const window3 = straight[3]
    expect(window3?.labels?.joined).toBe(300)
    expect(window3?.labels?.realizedRocAuc).toBeGreaterThan(0.6)
    // restarted while hop 2 is half-read: hops 0 and 1 are closed (in the ring), hop 2 open, 300 inferences wait
    // for their labels, 100 labelled pairs of hop 0 are kept for its windows' realized figures
    // the labels of hops 0 and 1 give the windows they belong to their realized ROC AUC, in the history
    expect(history[1]?.performance?.realized?.labelled).toBe(400)
    const restarted = run(2)
    expect(restarted.closed.map(comparable)).toEqual(straight.map(comparable))
    expect(restarted.history.map(comparable)).toEqual(history.map(comparable))
  })
})
