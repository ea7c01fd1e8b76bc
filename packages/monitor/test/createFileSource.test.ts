import { appendFileSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createFileSource, createMonitor, createMonitorMetrics, sourceSink } from '@modelgate/monitor'
import { afterAll, describe, expect, it } from 'vitest'
import { makeEvent, seeded, waitFor } from './support/events.js'

const dir = mkdtempSync(join(tmpdir(), 'modelgate-monitor-file-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const random = seeded(13)
const T0 = Date.now()
const lines = (from: number, n: number) =>
  Array.from(
    { length: n },
    (_, i) => `${JSON.stringify(makeEvent(random, { id: `f${from + i}`, time: T0 + i }))}\n`,
  ).join('')

describe('createFileSource (a tailed JSONL file)', () => {
  it('hands over complete lines as they are appended, survives rotation, and resumes from its position', async () => {
    const path = join(dir, 'events.jsonl')
    writeFileSync(path, lines(0, 10))
    const monitor = createMonitor({ windowMs: 3_600_000, metrics: createMonitorMetrics({ processMetrics: false }) })
    const source = createFileSource({ path, pollMs: 20 })
    await source.start(sourceSink(monitor))
    expect(monitor.accepted).toBe(10)
    // half a line waits for its newline
    const next = lines(10, 1)
    appendFileSync(path, next.slice(0, 20))
    await new Promise((r) => setTimeout(r, 100))
    expect(monitor.accepted).toBe(10)
    appendFileSync(path, `${next.slice(20)}{not json\n`)
    await waitFor(() => monitor.accepted === 11)
    expect(monitor.status().totals.refused).toEqual({ invalid_json: 1 })
    // rotation: the file is moved away and a new one starts
    renameSync(path, `${path}.1`)
    writeFileSync(path, lines(100, 5))
    await waitFor(() => monitor.accepted === 16)
    const position = source.position()
    await source.stop()
    // a restart at the saved position reads only what came after it
    appendFileSync(path, lines(200, 3))
    const again = createFileSource({ path, position, pollMs: 20 })
    await again.start(sourceSink(monitor))
    await waitFor(() => monitor.accepted === 19)
    await again.stop()
    expect(monitor.status().totals.duplicates).toBe(0)
    await monitor.close()
  })

  it('reports a path it cannot read (not a missing file) once through onError, with its code, and keeps polling', async () => {
    const file = join(dir, 'plain.txt')
    writeFileSync(file, 'a file, so a path below it cannot be read')
    const errors: unknown[] = []
    const monitor = createMonitor({ windowMs: 3_600_000, metrics: createMonitorMetrics({ processMetrics: false }) })
    const source = createFileSource({ path: join(file, 'events.jsonl'), pollMs: 5, onError: (e) => errors.push(e) })
    await source.start(sourceSink(monitor))
    await waitFor(() => errors.length > 0)
    // more polls fail the same way: not reported again
    await new Promise((r) => setTimeout(r, 100))
    await source.stop()
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatchObject({ code: 'MG_MONITOR_SOURCE_FAILED' })
    expect((errors[0] as Error).message).toMatch(
      /^file:.*plain\.txt\/events\.jsonl: reading the file failed \(ENOTDIR\)/,
    )
    // a file that is not there yet is waited for silently
    const missing: unknown[] = []
    const waiting = createFileSource({ path: join(dir, 'later.jsonl'), pollMs: 5, onError: (e) => missing.push(e) })
    await waiting.start(sourceSink(monitor))
    await new Promise((r) => setTimeout(r, 50))
    await waiting.stop()
    expect(missing).toEqual([])
  })
})
