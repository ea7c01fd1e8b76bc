// Monitor benchmarks: the validation path (compiled Ajv vs zod), events/s over HTTP and from Redis Streams into a
// `modelgate monitor serve` child process with window evaluation on, window evaluation time, the null-injection
// detection delay (webhook), and false alarms over undrifted windows.
// `redis-source`: the Redis source alone (no monitor), CPU per entry of this process reading a stream through a fresh
// consumer group, acknowledging every 10 batches at once as checkpoints do.
//   node --import tsx bench/monitor.bench.ts [--events 200000]
//     [--only validate,http,redis,redis-source,detect,false-alarms] [--cpu-prof <dir>]
import type { ChildProcess } from 'node:child_process'
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import type { SourceBatch } from '@modelgate/monitor'
import {
  createEventValidator,
  createMonitor,
  createMonitorMetrics,
  createRedisSource,
  inferenceEventSchema,
} from '@modelgate/monitor'
import { seeded } from '../packages/monitor/test/support/events.js'
import { fraudBaseline, fraudEvent } from '../packages/monitor/test/support/fraudEvents.js'
import { freePort, startRedis } from '../packages/monitor/test/support/servers.js'

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '200000' },
    only: { type: 'string', default: 'validate,http,redis,detect,false-alarms' },
    /** A directory: the monitor child runs under `node --cpu-prof` and writes its profile there on exit. */
    'cpu-prof': { type: 'string' },
  },
})
const N = Number(values.events)
const sections = new Set(values.only.split(','))
const childNodeArgs = values['cpu-prof'] === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${values['cpu-prof']}`]
const bin = new URL('../packages/cli/bin/modelgate.js', import.meta.url).pathname
const dir = mkdtempSync(join(tmpdir(), 'modelgate-monitor-bench-'))
process.on('exit', () => rmSync(dir, { recursive: true, force: true }))

function figure(name: string, value: number, unit: string, extra: Record<string, unknown> = {}): void {
  const load = loadavg()[0]?.toFixed(1)
  process.stdout.write(`${JSON.stringify({ name, value: Number(value.toPrecision(4)), unit, load, ...extra })}\n`)
}

function cpuMs(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? []
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100
  } catch {
    return 0
  }
}

const baselinePath = join(dir, 'baseline.json')
writeFileSync(baselinePath, JSON.stringify(fraudBaseline()))

async function serve(args: string[]): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    [...childNodeArgs, bin, 'monitor', 'serve', '--port', '0', '--baseline', baselinePath, ...args],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  )
  let err = ''
  return new Promise((resolve, reject) => {
    child.stderr?.on('data', (d: Buffer) => {
      err += d.toString()
      const m = /listening on (http:\S+)/.exec(err)
      if (m?.[1] !== undefined) resolve({ child, url: m[1] })
    })
    child.once('exit', (code) => reject(new Error(`monitor exited ${code}: ${err}`)))
  })
}
const stop = async (child: ChildProcess) => {
  child.kill('SIGTERM')
  await new Promise((r) => child.once('exit', r))
}
const status = async (url: string) =>
  (await (await fetch(`${url}/v1/status`)).json()) as { totals: { accepted: number; late: number } }
const windows = async (url: string) =>
  ((await (await fetch(`${url}/v1/windows?since=0`)).json()) as { windows: { events: number; evaluationMs: number }[] })
    .windows
const rss = async (url: string) => {
  const text = await (await fetch(`${url}/metrics`)).text()
  return Number(/modelgate_process_resident_memory_bytes (\d+)/.exec(text)?.[1] ?? 0)
}

/** `count` events as JSONL bodies of `batch`, event times spread over `spreadMs` from `t0`. */
function bodies(count: number, batch: number, t0: number, spreadMs: number, seed: number): string[] {
  const random = seeded(seed)
  const out: string[] = []
  for (let b = 0; b < count; b += batch) {
    const lines: string[] = []
    for (let i = b; i < Math.min(count, b + batch); i++) {
      lines.push(JSON.stringify(fraudEvent(random, `e${seed}-${i}`, Math.round(t0 + (i / count) * spreadMs))))
    }
    out.push(lines.join('\n'))
  }
  return out
}

if (sections.has('validate')) {
  // 20-feature events as text; JSON.parse + the compiled validator vs JSON.parse + zod, interleaved A/B/A/B.
  const texts = bodies(50_000, 1, Date.now(), 1000, 1)
  const validate = createEventValidator()
  const run = (check: (v: unknown) => boolean) => {
    const start = performance.now()
    let ok = 0
    for (const t of texts) if (check(JSON.parse(t))) ok++
    if (ok !== texts.length) throw new Error('refused a good event')
    return texts.length / ((performance.now() - start) / 1000)
  }
  const parseOnly = run(() => true)
  for (let round = 1; round <= 2; round++) {
    figure(
      `validate: JSON.parse + Ajv (compiled from the zod schema), round ${round}`,
      run((v) => validate(v).kind === 'inference'),
      'events/s',
    )
    figure(
      `validate: JSON.parse + zod safeParse, round ${round}`,
      run((v) => inferenceEventSchema.safeParse(v).success),
      'events/s',
    )
  }
  figure('validate: JSON.parse alone', parseOnly, 'events/s')
}

if (sections.has('http')) {
  const t0 = Date.now()
  const payloads = bodies(N, 2000, t0, 20_000, 2)
  const { child, url } = await serve(['--window', '2s', '--lateness', '1s'])
  const cpu0 = cpuMs(child.pid)
  const started = performance.now()
  let next = 0
  const client = async () => {
    while (next < payloads.length) {
      const body = payloads[next++] as string
      const res = await fetch(`${url}/v1/events`, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/x-ndjson' },
      })
      if (res.status !== 200) throw new Error(`HTTP ${res.status}`)
      await res.arrayBuffer()
    }
  }
  await Promise.all([client(), client(), client(), client()])
  const seconds = (performance.now() - started) / 1000
  const cpu = (cpuMs(child.pid) - cpu0) / 1000
  const s = await status(url)
  figure(
    'http: events/s ingested (20 features, window evaluation on, 4 keep-alive clients, batches of 2,000)',
    s.totals.accepted / seconds,
    'events/s',
    {
      target: '≥ 50,000',
      accepted: s.totals.accepted,
      late: s.totals.late,
      monitorCpuSeconds: cpu,
      cpuBoundRate: Math.round(s.totals.accepted / cpu),
    },
  )
  await new Promise((r) => setTimeout(r, 4000))
  const ws = (await windows(url)).filter((w) => w.events > 0)
  const evals = ws.map((w) => w.evaluationMs).sort((a, b) => a - b)
  figure(
    'window evaluation: median ms (20 features + score, drift + quality + latency + SLO)',
    evals[Math.floor(evals.length / 2)] ?? 0,
    'ms',
    {
      target: '≤ 100',
      windows: ws.length,
      eventsPerWindow: Math.round(ws.reduce((a, w) => a + w.events, 0) / Math.max(1, ws.length)),
      max: evals.at(-1),
    },
  )
  figure('http: monitor RSS after the run', (await rss(url)) / 2 ** 20, 'MiB')
  await stop(child)
}

/** A redis-server holding `N` 20-feature events in the stream `bench` (written through `redis-cli --pipe`). */
async function redisWithEvents(): Promise<Awaited<ReturnType<typeof startRedis>>> {
  const redis = await startRedis()
  // XADD through `redis-cli --pipe` (RESP on stdin): the bench needs no Redis client of its own.
  const random = seeded(3)
  const t0 = Date.now()
  const resp = (args: string[]) =>
    `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`
  const pipe = spawn('redis-cli', ['-p', String(redis.port), '--pipe'], { stdio: ['pipe', 'ignore', 'inherit'] })
  for (let i = 0; i < N; i++) {
    const event = JSON.stringify(fraudEvent(random, `r${i}`, Math.round(t0 + (i / N) * 20_000)))
    if (!pipe.stdin?.write(resp(['XADD', 'bench', '*', 'event', event]))) {
      await new Promise((r) => pipe.stdin?.once('drain', r))
    }
  }
  pipe.stdin?.end()
  await new Promise((r) => pipe.once('exit', r))
  return redis
}

if (sections.has('redis-source')) {
  const redis = await redisWithEvents()
  for (let round = 1; round <= 2; round++) {
    const source = createRedisSource({ url: redis.url, stream: 'bench', group: `source-${round}`, blockMs: 100 })
    let entries = 0
    let waiting: NonNullable<SourceBatch['ack']>[] = []
    const acks: Promise<unknown>[] = []
    let done: () => void = () => undefined
    const finished = new Promise<void>((r) => {
      done = r
    })
    const cpu0 = process.cpuUsage()
    const started = performance.now()
    await source.start((batch) => {
      entries += batch.values.length + (batch.invalidLines?.length ?? 0)
      if (batch.ack !== undefined) waiting.push(batch.ack)
      if (waiting.length >= 10 || entries >= N) {
        const released = waiting
        waiting = []
        acks.push(Promise.all(released.map((ack) => ack())))
      }
      if (entries >= N) done()
    })
    await finished
    await Promise.all(acks)
    const seconds = (performance.now() - started) / 1000
    const cpu = process.cpuUsage(cpu0)
    await source.stop()
    figure(`redis source alone (XREADGROUP, JSON.parse, XACK), round ${round}`, entries / seconds, 'entries/s', {
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      usPerEntry: Number(((cpu.user + cpu.system) / entries).toFixed(2)),
    })
  }
  await redis.stop()
}

if (sections.has('redis')) {
  const redis = await redisWithEvents()
  const { child, url } = await serve([
    '--window',
    '2s',
    '--lateness',
    '1s',
    '--source',
    `${redis.url}?stream=bench`,
    '--state-dir',
    join(dir, 'redis-state'),
  ])
  const cpu0 = cpuMs(child.pid)
  const started = performance.now()
  // Until every entry is counted: accepted, or late (a contended machine can read so slowly that windows close first).
  let counted = await status(url)
  while (counted.totals.accepted + counted.totals.late < N) {
    await new Promise((r) => setTimeout(r, 50))
    counted = await status(url)
  }
  const seconds = (performance.now() - started) / 1000
  figure(
    'redis: events/s consumed (consumer group, acknowledged after checkpoints, window evaluation on)',
    counted.totals.accepted / seconds,
    'events/s',
    {
      target: '≥ 50,000',
      accepted: counted.totals.accepted,
      late: counted.totals.late,
      monitorCpuSeconds: (cpuMs(child.pid) - cpu0) / 1000,
      cpuBoundRate: Math.round(counted.totals.accepted / ((cpuMs(child.pid) - cpu0) / 1000)),
    },
  )
  await stop(child)
  await redis.stop()
}

if (sections.has('detect')) {
  // Live traffic (event time = now) at ~2,000 events/s; at a known instant device_fingerprint goes 40% null.
  let received = 0
  const hook = createServer((req, res) => {
    received = received || Date.now()
    req.resume()
    res.end()
  })
  const port = await freePort()
  await new Promise<void>((r) => hook.listen(port, '127.0.0.1', r))
  const windowS = 5
  const latenessS = 1
  const { child, url } = await serve([
    '--window',
    `${windowS}s`,
    '--lateness',
    `${latenessS}s`,
    '--webhook',
    `http://127.0.0.1:${port}/rollback`,
  ])
  const random = seeded(4)
  let injectedAt = 0
  const started = Date.now()
  for (let tick = 0; received === 0 && Date.now() - started < 60_000; tick++) {
    const now = Date.now()
    if (injectedAt === 0 && now - started > 12_000) injectedAt = now
    const batch = Array.from({ length: 200 }, (_, i) =>
      JSON.stringify(fraudEvent(random, `d${tick}-${i}`, Date.now(), { nullDevice: injectedAt === 0 ? 0 : 0.4 })),
    ).join('\n')
    await fetch(`${url}/v1/events`, { method: 'POST', body: batch })
    await new Promise((r) => setTimeout(r, 100))
  }
  figure(
    `detect: null injection → webhook (window ${windowS} s, lateness ${latenessS} s)`,
    (received - injectedAt) / 1000,
    's',
    {
      target: `≤ window + lateness + 5 s = ${windowS + latenessS + 5} s`,
    },
  )
  await stop(child)
  hook.close()
}

if (sections.has('false-alarms')) {
  for (const count of [30, 300]) {
    const T0 = Date.UTC(2026, 11, 6)
    let wall = T0
    let alerts = 0
    const monitor = createMonitor({
      baseline: fraudBaseline(),
      windowMs: 1000,
      latenessMs: 0,
      now: () => wall,
      metrics: createMonitorMetrics({ processMetrics: false }),
      rules: [
        { name: 'data-quality', metric: 'quality_failed', op: '>', threshold: 0, for: 1 },
        { name: 'drift', metric: 'drift_failed', op: '>', threshold: 0, for: 1 },
      ],
      onAlert: () => alerts++,
    })
    const random = seeded(100 + count)
    for (let w = 0; w < count; w++) {
      wall = T0 + w * 1000 + 999
      monitor.ingest(Array.from({ length: 1000 }, (_, i) => fraudEvent(random, `f${w}-${i}`, T0 + w * 1000 + i / 2)))
      monitor.tick()
    }
    wall += 1000
    monitor.tick()
    await monitor.close()
    figure(
      `false alarms: windows alarmed out of ${count} undrifted windows of 1,000 events (default rules without cool-down, 20 features)`,
      alerts,
      'windows',
      {
        budget: `expected ≤ ${count / 1000} (1 in 1,000 windows)`,
      },
    )
  }
}
