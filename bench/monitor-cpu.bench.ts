// In-process figures of the monitor's hot paths, without HTTP, for A/B runs and `node --cpu-prof`: a body's bytes →
// text (UTF-8 decoding vs the server's ASCII fast path), JSONL text → parseEventBody → monitor.ingest (validation,
// windows, drift's window state), in CPU µs per event; then drift's
// evaluation of one 20-feature window of `--window` events (the monitor's methods: KS, chi-square, z), in CPU ms.
// CPU time (process.cpuUsage) rather than wall time, so that a contended machine blurs the figures less.
//   node --import tsx bench/monitor-cpu.bench.ts [--events 100000] [--window 20000] [--evaluations 20]
import { loadavg } from 'node:os'
import { parseArgs } from 'node:util'
import { createDriftState, driftStateFromJSON } from '@modelgate/drift'
import { createMonitor, createMonitorMetrics, parseEventBody } from '@modelgate/monitor'
import { decodeEventBody } from '../packages/monitor/src/parseEventBody.js'
import { seeded } from '../packages/monitor/test/support/events.js'
import { fraudBaseline, fraudEvent } from '../packages/monitor/test/support/fraudEvents.js'

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '100000' },
    window: { type: 'string', default: '20000' },
    evaluations: { type: 'string', default: '20' },
  },
})
const N = Number(values.events)
const perWindow = Number(values.window)
const baseline = fraudBaseline()
const random = seeded(7)
const T0 = Date.UTC(2026, 11, 6)
const event = (i: number) =>
  fraudEvent(random, `p${i}`, T0 + Math.floor(i / perWindow) * 1000 + (i % perWindow) / perWindow)
const bodies: string[] = []
for (let b = 0; b < N; b += 2000) {
  const lines: string[] = []
  for (let i = b; i < Math.min(N, b + 2000); i++) lines.push(JSON.stringify(event(i)))
  bodies.push(lines.join('\n'))
}
const cpuMs = (since: NodeJS.CpuUsage) => {
  const c = process.cpuUsage(since)
  return (c.user + c.system) / 1000
}

// the HTTP body's bytes → text: UTF-8 decoding (as before session 5) vs the ASCII fast path, interleaved
const bytes = bodies.map((b) => Buffer.from(b))
const decodeRounds: { utf8: number; fast: number }[] = []
for (let round = 0; round < 2; round++) {
  const u0 = process.cpuUsage()
  for (const b of bytes) b.toString('utf8')
  const utf8 = cpuMs(u0)
  const f0 = process.cpuUsage()
  for (const b of bytes) decodeEventBody(b)
  decodeRounds.push({ utf8, fast: cpuMs(f0) })
}

// ingest: parse + validate + windows + window state (windows evaluated only at the end, outside the figure)
const monitor = createMonitor({
  baseline,
  windowMs: 1000,
  latenessMs: 0,
  now: () => T0,
  metrics: createMonitorMetrics({ processMetrics: false }),
})
let parseMs = 0
const c0 = process.cpuUsage()
for (const body of bodies) {
  const p0 = process.cpuUsage()
  const parsed = parseEventBody(body)
  parseMs += cpuMs(p0)
  monitor.ingest(parsed.values, 'profile')
}
monitor.snapshot() // flushes the events still buffered into the window states
const ingestMs = cpuMs(c0)
await monitor.close()

// evaluation of one window, as the monitor's defaults run it
const alpha = 0.001
const methods = [`numeric=ks:${alpha}`, `categorical=chisquare:${alpha}`, `binary=z:${alpha}`]
const state = createDriftState(baseline, { methods }).addEvents(Array.from({ length: perWindow }, (_, i) => event(i)))
const json = state.toJSON()
const evals: number[] = []
for (let i = 0; i < Number(values.evaluations); i++) {
  // a fresh copy each time (restored outside the figure), so that each evaluation sorts its window's sketches as a
  // new window's does; the reference side is the baseline's, built once (the first evaluation pays it)
  const fresh = driftStateFromJSON(baseline, json)
  const e0 = process.cpuUsage()
  fresh.evaluate({ alpha, methods })
  evals.push(cpuMs(e0))
}
// The first evaluation also builds the baseline's reference views and warms the JIT: reported on its own.
const first = evals[0] ?? 0
evals.sort((a, b) => a - b)
const load = loadavg()[0]?.toFixed(1)
const figure = (name: string, value: number, unit: string, extra: Record<string, unknown> = {}) =>
  process.stdout.write(`${JSON.stringify({ name, value: Number(value.toPrecision(4)), unit, load, ...extra })}\n`)
for (const [i, r] of decodeRounds.entries()) {
  figure(
    `monitor cpu: body bytes → text, round ${i + 1}: UTF-8 decode / ASCII fast path`,
    (r.fast * 1000) / N,
    'µs/event',
    {
      utf8: Number(((r.utf8 * 1000) / N).toFixed(3)),
    },
  )
}
figure('monitor cpu: JSON.parse of JSONL bodies (parseEventBody)', (parseMs * 1000) / N, 'µs/event')
figure(
  'monitor cpu: parse + ingest (validation, windows, 20-feature window state)',
  (ingestMs * 1000) / N,
  'µs/event',
  {
    eventsPerCpuSecond: Math.round(N / (ingestMs / 1000)),
    events: N,
  },
)
figure(
  `monitor cpu: evaluation of one ${perWindow}-event window (median of ${evals.length})`,
  evals[Math.floor(evals.length / 2)] ?? 0,
  'ms',
  {
    min: Number((evals[0] ?? 0).toFixed(1)),
    first: Number(first.toFixed(1)),
    target: '≤ 100',
  },
)
