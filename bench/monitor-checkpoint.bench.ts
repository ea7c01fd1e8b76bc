// The cost of one monitor checkpoint (written every second when something arrived) once the bounded state is full:
// 100,000 remembered request ids, 100,000 inferences waiting for their label, sliding windows (60 s every 15 s: three
// closed hops), 20 drift features. Each round is one more second of traffic (3,000 events; a hop closes every 15
// rounds), then both checkpoints, in alternating order: A = the whole state as one JSON file written atomically (the
// checkpoint before incremental writing), B = the incremental store `--state-dir` uses now (closed hops written once,
// new request ids appended, the rest in the manifest). Wall and CPU time (user + sys) per checkpoint, bytes written.
//   node --import tsx bench/monitor-checkpoint.bench.ts [--rounds 20]
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { writeFileAtomic } from '@modelgate/core'
import { createMonitor, createMonitorMetrics } from '@modelgate/monitor'
import { createCheckpointStore } from '../packages/monitor/src/internal/checkpointStore.js'
import { seeded } from '../packages/monitor/test/support/events.js'
import { fraudBaseline, fraudEvent } from '../packages/monitor/test/support/fraudEvents.js'

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '20' } } })
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

const dirA = join(dir, 'a')
const dirB = join(dir, 'b')
mkdirSync(dirA)
mkdirSync(dirB)
const store = createCheckpointStore(dirB)
interface Cost {
  ms: number
  cpuMs: number
  bytes: number
}
async function measure(write: () => Promise<number>): Promise<Cost> {
  const cpu = process.cpuUsage()
  const started = performance.now()
  const bytes = await write()
  const used = process.cpuUsage(cpu)
  return { ms: performance.now() - started, cpuMs: (used.user + used.system) / 1000, bytes }
}
const whole = () =>
  measure(async () => {
    const text = JSON.stringify(monitor.snapshot())
    await writeFileAtomic(join(dirA, 'checkpoint.json'), text)
    return statSync(join(dirA, 'checkpoint.json')).size
  })
const incremental = () => measure(() => store.write(monitor.snapshot()))
await incremental() // the first write of a process is whole (a new request-id log generation): not counted
const a: Cost[] = []
const b: Cost[] = []
let second = 60
for (let r = 0; r < rounds; r++) {
  wall = T0 + second * 1000
  monitor.ingest(Array.from({ length: 3000 }, (_, j) => fraudEvent(random, `s${second}-${j}`, wall)))
  monitor.tick()
  second++
  if (r % 2 === 0) {
    a.push(await whole())
    b.push(await incremental())
  } else {
    b.push(await incremental())
    a.push(await whole())
  }
}
const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)] as number
const sum = (xs: number[]) => xs.reduce((t, x) => t + x, 0)
for (const [name, costs] of [
  ['A: whole state, one JSON file', a],
  ['B: incremental (hops once, ids appended, manifest)', b],
] as const) {
  figure(`checkpoint ${name}: wall per checkpoint (median of ${rounds})`, median(costs.map((c) => c.ms)), 'ms', {
    cpuMs: Number(median(costs.map((c) => c.cpuMs)).toPrecision(4)),
    maxMs: Number(Math.max(...costs.map((c) => c.ms)).toPrecision(4)),
    bytesPerSecond: Math.round(sum(costs.map((c) => c.bytes)) / rounds),
  })
}
figure('checkpoint B / A (median wall)', median(b.map((c) => c.ms)) / median(a.map((c) => c.ms)), 'ratio', {
  cpu: Number((median(b.map((c) => c.cpuMs)) / median(a.map((c) => c.cpuMs))).toFixed(2)),
  bytes: Number((sum(b.map((c) => c.bytes)) / sum(a.map((c) => c.bytes))).toFixed(3)),
})
