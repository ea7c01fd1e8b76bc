// The cost of one monitor checkpoint (written every second when something arrived) once the bounded state is full:
// 100,000 remembered request ids, 100,000 inferences waiting for their label, sliding windows (60 s every 15 s: three
// closed hops), 20 drift features. Interleaved A/B: the whole checkpoint vs the same one without the parts issue #15
// added to it (closed hops, label join, realized pairs), each snapshotted, serialized and written atomically.
//   node --import tsx bench/monitor-checkpoint.bench.ts [--rounds 6]
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { writeFileAtomic } from '@modelgate/core'
import { createMonitor, createMonitorMetrics } from '@modelgate/monitor'
import { seeded } from '../packages/monitor/test/support/events.js'
import { fraudBaseline, fraudEvent } from '../packages/monitor/test/support/fraudEvents.js'

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '6' } } })
const rounds = Number(values.rounds)
const dir = mkdtempSync(join(tmpdir(), 'modelgate-checkpoint-bench-'))
process.on('exit', () => rmSync(dir, { recursive: true, force: true }))

function figure(name: string, value: number, unit: string, extra: Record<string, unknown> = {}): void {
  const load = loadavg()[0]?.toFixed(1)
  process.stdout.write(`${JSON.stringify({ name, value: Number(value.toPrecision(4)), unit, load, ...extra })}\n`)
}

const T0 = Date.UTC(2026, 11, 6, 10, 0, 0)
let wall = T0
const monitor = createMonitor({
  baseline: fraudBaseline(),
  windowMs: 60_000,
  hopMs: 15_000,
  latenessMs: 0,
  now: () => wall,
  metrics: createMonitorMetrics({ processMetrics: false }),
})
const random = seeded(81)
// 200,000 events over 60 s of event time: the request-id set and the label buffer are full, three hops are closed
for (let i = 0; i < 200_000; i += 2000) {
  wall = T0 + Math.floor((i / 200_000) * 60_000)
  monitor.ingest(Array.from({ length: 2000 }, (_, j) => fraudEvent(random, `c${i + j}`, wall)))
  monitor.tick()
}

const path = join(dir, 'checkpoint.json')
async function write(full: boolean): Promise<{ ms: number; bytes: number }> {
  const started = performance.now()
  const snapshot = monitor.snapshot()
  const { hops: _h, labels: _l, realized: _r, ...before } = snapshot
  await writeFileAtomic(path, JSON.stringify(full ? snapshot : before))
  return { ms: performance.now() - started, bytes: statSync(path).size }
}
const with_: number[] = []
const without: number[] = []
let sizes = { full: 0, before: 0 }
for (let r = 0; r < rounds; r++) {
  const a = await write(false)
  const b = await write(true)
  without.push(a.ms)
  with_.push(b.ms)
  sizes = { full: b.bytes, before: a.bytes }
}
const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)] as number
figure('checkpoint: snapshot + JSON + atomic write, without hops and labels (median)', median(without), 'ms', {
  bytes: sizes.before,
})
figure('checkpoint: the same with closed hops, label join and realized pairs (median)', median(with_), 'ms', {
  bytes: sizes.full,
  ratio: Number((median(with_) / median(without)).toFixed(2)),
})
