// Incremental checkpoints (`--state-dir`): closed hops written once, request ids appended to a log, the rest in a
// manifest written last. A crash after any file write restores one checkpoint's whole state.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Monitor, MonitorSnapshot } from '@modelgate/monitor'
import { createMonitor, createMonitorMetrics } from '@modelgate/monitor'
import { afterAll, describe, expect, it } from 'vitest'
import type { CheckpointFileOps } from '../src/internal/checkpointStore.js'
import { createCheckpointStore, readCheckpointStore } from '../src/internal/checkpointStore.js'
import { seeded } from './support/events.js'
import { fraudBaseline, fraudEvent } from './support/fraudEvents.js'

const T0 = Date.UTC(2026, 11, 6, 10, 0, 0)
const root = mkdtempSync(join(tmpdir(), 'modelgate-checkpoint-store-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))
const random = seeded(61)
const events = Array.from({ length: 7 }, (_, h) =>
  Array.from({ length: 200 }, (_, i) => fraudEvent(random, `h${h}-${i}`, T0 + h * 1000 + i * 4)),
)
let dirs = 0
const freshDir = () => mkdtempSync(join(root, `s${dirs++}-`))

/** A monitor of 3 s windows every 1 s (two closed hops at most), 500 remembered ids: `feed(h)` closes hop h. */
function monitorRun(): { monitor: Monitor; feed: (h: number) => void; snapshot: () => MonitorSnapshot } {
  let wall = T0
  const monitor = createMonitor({
    baseline: fraudBaseline(),
    windowMs: 3000,
    hopMs: 1000,
    latenessMs: 0,
    dedupSize: 500,
    now: () => wall,
    metrics: createMonitorMetrics({ processMetrics: false }),
  })
  return {
    monitor,
    feed(h) {
      monitor.ingest(events[h] ?? [])
      wall = T0 + (h + 1) * 1000
      monitor.tick()
    },
    snapshot: () => monitor.snapshot({ position: wall }),
  }
}

/** As it is on disk: through JSON. */
const plain = (s: MonitorSnapshot): unknown => JSON.parse(JSON.stringify(s))

/**
 * Hops fed before each checkpoint (200 events each): three at once (600 new ids > 500 remembered: the set rolls over,
 * a new log generation), then one at a time (ids appended).
 */
const SCHEDULE = [[0], [1, 2, 3], [4], [5], [6]]

describe('incremental checkpoints', () => {
  it('restores exactly the state written, writing closed hops once and appending the new request ids', async () => {
    const dir = freshDir()
    const run = monitorRun()
    const store = createCheckpointStore(dir)
    const written: number[] = []
    for (const hops of SCHEDULE) {
      for (const h of hops) run.feed(h)
      const snapshot = run.snapshot()
      written.push(await store.write(snapshot))
      expect(await readCheckpointStore(dir)).toEqual(plain(snapshot))
      const files = readdirSync(dir)
      expect(files.filter((f) => f.startsWith('hop-')).length).toBe(snapshot.hops?.length)
      expect(files.filter((f) => f.startsWith('ids-'))).toHaveLength(1)
    }
    const whole = JSON.stringify(run.snapshot()).length
    // checkpoint 4 (one new hop, 200 new ids) writes less than the whole state; a checkpoint with nothing new even less
    expect(written[3]).toBeLessThan(whole)
    const quiet = await store.write(run.snapshot())
    expect(quiet).toBeLessThan((written[3] as number) - 10_000)
    // a restored monitor takes it
    const restore = (await readCheckpointStore(dir)) as MonitorSnapshot
    expect(() => createMonitor({ baseline: fraudBaseline(), windowMs: 3000, hopMs: 1000, restore })).not.toThrow()
  }, 240_000)

  it('after a crash following any file write, restores the last whole checkpoint, and goes on from there', async () => {
    let steps = 0
    for (let crashAfter = 0; ; crashAfter++) {
      const dir = freshDir()
      const run = monitorRun()
      let ops = 0
      let armed = false
      const crash = (): void => {
        if (armed && ops++ === crashAfter) throw new Error('crash')
      }
      const files: CheckpointFileOps = {
        writeAtomic: async (path, content) => {
          if (crashAfter === 0) crash() // before the first write
          writeFileSync(path, content) // (the real store renames a temporary file; the test needs only the order)
          if (crashAfter > 0) crash()
        },
        append: async (path, content) => {
          writeFileSync(path, content, { flag: 'a' })
          if (crashAfter > 0) crash()
        },
        remove: async (path) => {
          rmSync(path, { force: true })
          if (crashAfter > 0) crash()
        },
      }
      if (crashAfter > 0) ops = 1
      const store = createCheckpointStore(dir, files)
      const done: unknown[] = []
      let crashed = false
      for (const hops of SCHEDULE) {
        for (const h of hops) run.feed(h)
        const snapshot = run.snapshot()
        armed = done.length === 3 // the crash comes during the fourth checkpoint
        try {
          await store.write(snapshot)
          done.push(plain(snapshot))
        } catch (error) {
          expect((error as Error).message).toBe('crash')
          crashed = true
          // what a restart finds: the third checkpoint whole, or the fourth when only its clean-up was cut short
          const found = await readCheckpointStore(dir)
          expect([done[2], plain(snapshot)]).toContainEqual(found)
          armed = false
        }
      }
      // the store goes on after the failure: the last checkpoint is whole
      expect(await readCheckpointStore(dir)).toEqual(plain(run.snapshot()))
      if (!crashed) {
        steps = crashAfter
        break
      }
    }
    // the fourth checkpoint writes a new hop, appends ids, writes the manifest, removes the oldest hop file
    expect(steps).toBeGreaterThanOrEqual(4)
  }, 240_000)

  it('reads a checkpoint written whole by an earlier version', async () => {
    const dir = freshDir()
    const run = monitorRun()
    run.feed(0)
    run.feed(1)
    const snapshot = run.snapshot()
    writeFileSync(join(dir, 'checkpoint.json'), JSON.stringify(snapshot))
    expect(await readCheckpointStore(dir)).toEqual(plain(snapshot))
    expect(await readCheckpointStore(freshDir())).toBeUndefined()
  })
})
