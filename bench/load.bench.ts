// The load generator measured side by side with wrk (Debian) and autocannon (npm) on one machine, in one run:
// maximum sustained rate and client CPU per request; accuracy against a server with a known service-time
// distribution at 20/50/80% of its measured maximum; coordinated omission (a server that stalls 1 s every 10 s);
// replay fidelity of a bursty trace at 5,000 req/s on average. Servers run in their own processes; the machine's
// load average is printed with every figure (the machine is shared). Figures are recorded in bench/RESULTS.md.
import type { ChildProcess } from 'node:child_process'
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { createRandom } from '@modelgate/core'
import { decodeLatencyHistogram, pearson } from '@modelgate/stats'
import type { LoadResult } from '@modelgate/traffic'
import { createArrivalSchedule, readReplayFile, runLoad } from '@modelgate/traffic'

const only = process.argv[2] // max | accuracy | co | replay
const load = (): string =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')
const figure = (f: Record<string, unknown>): void => {
  process.stdout.write(`${JSON.stringify({ ...f, load: load() })}\n`)
}
const say = (text: string): void => {
  process.stderr.write(`${text}  [load ${load()}]\n`)
}

interface Server {
  readonly url: string
  readonly base: string
  stop(): void
}

async function startServer(mode: 'trivial' | 'service' | 'stall'): Promise<Server> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, 'load/server.ts'), mode],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  )
  const line = await new Promise<string>((resolve) => {
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).once('line', resolve)
  })
  const { port } = JSON.parse(line) as { port: number }
  const base = `http://127.0.0.1:${port}`
  return { url: `${base}/predict`, base, stop: () => child.kill() }
}

/** wrk (closed loop, 1 thread), its CPU time from bash's `times`. */
function wrk(
  url: string,
  connections: number,
  seconds: number,
): { rps: number; p50: number; p99: number; cpuUsPerRequest: number } {
  const out = spawnSync('bash', ['-c', `wrk -t1 -c${connections} -d${seconds}s --latency ${url}; times`], {
    encoding: 'utf8',
  }).stdout
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1])
  const total = Number(/(\d+) requests in/.exec(out)?.[1])
  const ms = (label: string): number => {
    const m = new RegExp(`\\s${label}%\\s+([\\d.]+)(us|ms|s)`).exec(out)
    if (m === null) return Number.NaN
    const v = Number(m[1])
    return m[2] === 'us' ? v / 1000 : m[2] === 's' ? v * 1000 : v
  }
  // `times` prints the shell's then the children's user and system time: 0m1.234s 0m0.567s
  const lines = out.trim().split('\n')
  const children = (lines.at(-1) ?? '').match(/(\d+)m([\d.]+)s/g) ?? []
  const cpuS = children.reduce((s, t) => {
    const [, m = '0', sec = '0'] = /(\d+)m([\d.]+)s/.exec(t) ?? []
    return s + Number(m) * 60 + Number(sec)
  }, 0)
  return { rps, p50: ms('50'), p99: ms('99'), cpuUsPerRequest: (cpuS * 1e6) / total }
}

function autocannon(
  url: string,
  connections: number,
  seconds: number,
): { rps: number; p50: number; p99: number; cpuUsPerRequest: number } {
  const out = spawnSync(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, 'load/autocannon.ts'), url, String(connections), String(seconds)],
    {
      encoding: 'utf8',
    },
  ).stdout
  return JSON.parse(out.trim().split('\n').at(-1) ?? '{}')
}

/**
 * One open-model run in this process, with its CPU time. `achieved` is requests per second of wall time from the start
 * to the last response: a generator or server that cannot keep up overruns the schedule, which this exposes (counting
 * responses alone would not: late ones still arrive).
 */
async function ours(
  url: string,
  rate: number,
  seconds: number,
  connections: number,
): Promise<{ result: LoadResult; cpuUsPerRequest: number; achieved: number; overrunMs: number }> {
  const c0 = process.cpuUsage()
  const t0 = performance.now()
  const durationMs = (seconds + 1) * 1000
  const result = await runLoad({
    target: url,
    schedule: createArrivalSchedule({ kind: 'constant', rate, durationMs }),
    warmupMs: 1000,
    connections,
  })
  const wall = performance.now() - t0
  const cpu = process.cpuUsage(c0)
  const sent = result.counts.sent + result.counts.warmup
  return {
    result,
    cpuUsPerRequest: (cpu.user + cpu.system) / sent,
    achieved: (sent * 1000) / wall,
    overrunMs: wall - durationMs,
  }
}

async function maxRate(): Promise<void> {
  const server = await startServer('trivial')
  const connections = 64
  try {
    await ours(server.url, 2000, 2, connections) // JIT warm-up, not measured
    for (let rep = 1; rep <= 2; rep++) {
      const w = wrk(server.url, connections, 5)
      say(`wrk: ${w.rps.toFixed(0)} req/s, ${w.cpuUsPerRequest.toFixed(1)} µs CPU/request`)
      // ours: the highest constant rate (fractions of wrk's) sent and answered at ≥ 98% with no errors
      let best = { rate: 0, cpu: Number.NaN, behind: true, latenessP99: Number.NaN }
      for (const f of [0.4, 0.6, 0.8, 0.9, 1.0, 1.1, 1.25, 1.4, 1.6]) {
        const rate = Math.round(f * w.rps)
        const r = await ours(server.url, rate, 4, connections)
        // sustained: ≥ 95% of the intended rate over the wall time (everything answered within ~250 ms of the
        // schedule's end), no errors
        const kept = r.achieved >= 0.95 * rate && r.result.counts.errors === 0
        const lateness = decodeLatencyHistogram(r.result.lateness).percentile(99)
        const behind = r.result.counts.veryLate > 0 || r.result.counts.late / r.result.counts.scheduled > 0.01
        say(
          `  ours at ${rate}/s: achieved ${r.achieved.toFixed(0)}/s (overrun ${r.overrunMs.toFixed(0)} ms), ${r.cpuUsPerRequest.toFixed(1)} µs CPU/request, lateness p99 ${lateness.toFixed(2)} ms${behind ? ' (generator rule broken)' : ''}`,
        )
        if (kept && rate > best.rate) best = { rate, cpu: r.cpuUsPerRequest, behind, latenessP99: lateness }
      }
      const a = autocannon(server.url, connections, 5)
      say(`autocannon: ${a.rps.toFixed(0)} req/s, ${a.cpuUsPerRequest.toFixed(1)} µs CPU/request`)
      figure({
        name: `load: max sustained rate (rep ${rep})`,
        value: best.rate,
        unit: 'req/s',
        target: '≥ 0.8× wrk',
        reference: w.rps,
        ratio: best.rate / w.rps,
      })
      figure({
        name: `load: client CPU per request at that rate (rep ${rep})`,
        value: best.cpu,
        unit: 'µs',
        target: '≤ 25 µs',
        reference: w.cpuUsPerRequest,
        ratio: best.cpu / w.cpuUsPerRequest,
        generatorRuleKept: !best.behind,
        latenessP99Ms: best.latenessP99,
      })
      figure({
        name: `autocannon: max rate (rep ${rep})`,
        value: a.rps,
        unit: 'req/s',
        reference: w.rps,
        ratio: a.rps / w.rps,
      })
      figure({
        name: `autocannon: client CPU per request (rep ${rep})`,
        value: a.cpuUsPerRequest,
        unit: 'µs',
        reference: w.cpuUsPerRequest,
        ratio: a.cpuUsPerRequest / w.cpuUsPerRequest,
      })
    }
  } finally {
    server.stop()
  }
}

async function accuracy(): Promise<void> {
  const server = await startServer('service')
  try {
    const w = wrk(server.url, 64, 5)
    const max = w.rps
    say(`service server: measured maximum ${max.toFixed(0)} req/s (wrk -c64)`)
    for (const f of [0.2, 0.5, 0.8]) {
      const rate = Math.round(f * max)
      await runLoad({
        target: server.url,
        schedule: createArrivalSchedule({ kind: 'constant', rate, durationMs: 3000 }),
      })
      await fetch(`${server.base}/_truth`) // drop the warm-up's server-side latencies
      const result = await runLoad({
        target: server.url,
        schedule: createArrivalSchedule({ kind: 'constant', rate, durationMs: 15_000 }),
      })
      const truth = (await (await fetch(`${server.base}/_truth`)).json()) as { n: number; p50: number; p99: number }
      const h = decodeLatencyHistogram(result.latency)
      for (const [q, t] of [
        [50, truth.p50],
        [99, truth.p99],
      ] as const) {
        const v = h.percentile(q)
        const err = Math.abs(v - t)
        figure({
          name: `load accuracy at ${f * 100}% of max (${rate}/s): p${q}`,
          value: v,
          unit: 'ms',
          target: 'within 5% or 1 ms',
          reference: t,
          ratio: v / t,
          absErrorMs: err,
          within: err <= Math.max(0.05 * t, 1),
        })
      }
      say(
        `  ${f * 100}%: client p50 ${h.percentile(50).toFixed(2)} / p99 ${h.percentile(99).toFixed(2)} ms, server truth p50 ${truth.p50.toFixed(2)} / p99 ${truth.p99.toFixed(2)} ms (n ${result.counts.ok} / ${truth.n})`,
      )
    }
  } finally {
    server.stop()
  }
}

async function coordinatedOmission(): Promise<void> {
  const server = await startServer('stall')
  try {
    const result = await runLoad({
      target: server.url,
      schedule: createArrivalSchedule({ kind: 'constant', rate: 1000, durationMs: 30_000 }),
      connections: 16,
    })
    const c = decodeLatencyHistogram(result.latency)
    const u = decodeLatencyHistogram(result.uncorrected)
    for (const q of [50, 99, 99.9])
      figure({
        name: `coordinated omission (1 s stall every 10 s, 1,000/s, 16 connections): p${q}`,
        value: c.percentile(q),
        unit: 'ms corrected',
        reference: u.percentile(q),
        ratio: c.percentile(q) / u.percentile(q),
      })
    const w = wrk(server.url, 16, 30)
    figure({ name: 'coordinated omission: wrk -c16 (closed loop) p99', value: w.p99, unit: 'ms' })
    say(
      `CO: corrected p99 ${c.percentile(99).toFixed(1)} / p99.9 ${c.percentile(99.9).toFixed(1)} ms; uncorrected p99 ${u.percentile(99).toFixed(2)} / p99.9 ${u.percentile(99.9).toFixed(1)} ms; wrk p99 ${w.p99} ms`,
    )
  } finally {
    server.stop()
  }
}

async function replay(): Promise<void> {
  // a bursty 20 s trace at ~5,000 req/s on average: a slow wave (4,800/s ± 30%), two 1 s bursts at 9,000/s, Poisson
  // arrivals (by thinning)
  const random = createRandom(5, 'bench-replay-trace')
  const rateAt = (t: number): number =>
    Math.floor(t) === 6 || Math.floor(t) === 13 ? 9000 : 5000 * (0.7 + 0.3 * Math.sin((2 * Math.PI * t) / 20))
  const peak = 9000
  const times: number[] = []
  for (let t = -Math.log(random.uniform()) / peak; t < 20; t += -Math.log(random.uniform()) / peak)
    if (random.uniform() < rateAt(t) / peak) times.push(t * 1000)
  const dir = mkdtempSync(join(tmpdir(), 'modelgate-bench-replay-'))
  const file = join(dir, 'trace.jsonl')
  writeFileSync(file, `${times.map((ms) => JSON.stringify({ ts: 1_767_225_600_000 + ms })).join('\n')}\n`)
  const server = await startServer('trivial')
  try {
    const trace = await readReplayFile(file)
    const result = await runLoad({
      target: server.url,
      schedule: createArrivalSchedule({ kind: 'replay', offsetsMs: trace.offsetsMs }),
      connections: 128,
    })
    const recorded = new Array(20).fill(0)
    for (const ms of trace.offsetsMs) recorded[Math.floor(ms / 1000)]++
    const achieved = recorded.map((_, i) => result.seconds[i]?.sent ?? 0)
    const r = pearson(recorded, achieved)
    const lateness = decodeLatencyHistogram(result.lateness)
    figure({
      name: `replay fidelity: per-second correlation (${trace.offsetsMs.length.toLocaleString('en-US')} arrivals, mean ${(trace.offsetsMs.length / 20).toFixed(0)}/s)`,
      value: r,
      unit: 'Pearson r',
      target: '≥ 0.99',
    })
    figure({
      name: 'replay fidelity: scheduling error p99',
      value: lateness.percentile(99),
      unit: 'ms',
      target: '≤ 1 ms',
      p50: lateness.percentile(50),
      max: lateness.percentile(100),
    })
    say(
      `replay: r = ${r.toFixed(4)}, scheduling error p50 ${lateness.percentile(50).toFixed(3)} / p99 ${lateness.percentile(99).toFixed(3)} ms, errors ${result.counts.errors}`,
    )
  } finally {
    server.stop()
    rmSync(dir, { recursive: true, force: true })
  }
}

for (const [name, run] of [
  ['max', maxRate],
  ['accuracy', accuracy],
  ['co', coordinatedOmission],
  ['replay', replay],
] as const) {
  if (only !== undefined && only !== name) continue
  say(`▶ ${name}`)
  await run()
}
