import { createMonitor, createMonitorMetrics } from '@modelgate/monitor'
import { describe, expect, it } from 'vitest'
import { makeEvent, seeded } from './support/events.js'

const T0 = Date.UTC(2026, 11, 6, 10, 0, 0)

describe('bounded buffers: request ids and the label join', () => {
  it('remembers the last dedupSize ids, forgets the oldest first, and keeps them in order in a snapshot', () => {
    const monitor = createMonitor({
      windowMs: 60_000,
      dedupSize: 3,
      now: () => T0,
      metrics: createMonitorMetrics({ processMetrics: false }),
    })
    const random = seeded(1)
    const events = (ids: string[]) => ids.map((id, i) => makeEvent(random, { id, time: T0 + i }))
    expect(monitor.ingest(events(['a', 'b', 'c', 'd']))).toMatchObject({ accepted: 4, duplicates: 0 })
    expect(monitor.snapshot().seen).toEqual(['b', 'c', 'd'])
    // d is remembered; a was forgotten (the oldest), so it counts again and pushes b out
    expect(monitor.ingest(events(['d', 'a', 'c', 'b']))).toMatchObject({ accepted: 2, duplicates: 2 })
    expect(monitor.snapshot().seen).toEqual(['d', 'a', 'b'])
  })

  it('evicts the oldest inference still waiting for its label, passing over those already joined', () => {
    let wall = T0
    const monitor = createMonitor({
      windowMs: 1000,
      latenessMs: 0,
      labelBufferSize: 3,
      now: () => wall,
      metrics: createMonitorMetrics({ processMetrics: false }),
    })
    const random = seeded(3)
    const inference = (id: string) => makeEvent(random, { id, time: T0 })
    monitor.ingest([inference('a'), inference('b'), inference('c')])
    monitor.ingest([{ request_id: 'b', label: 1 }]) // joined: no longer waiting
    monitor.ingest([inference('d'), inference('e')]) // a, c, d, e: a (the oldest waiting) is evicted
    monitor.ingest([
      { request_id: 'a', label: 0 },
      { request_id: 'c', label: 0 },
      { request_id: 'e', label: 1 },
    ])
    wall = T0 + 2000
    const [window] = monitor.tick()
    expect(window?.labels).toMatchObject({ joined: 3, unmatched: 1, evicted: 1 })
  })
})
