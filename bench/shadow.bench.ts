// The shadow proxy's overhead on the primary's latency: the load generator (runLoad, 1,000 req/s, open model, latency
// from the intended send time) against the same trivial server directly and through `modelgate shadow` (the real
// CLI, its own process) mirroring every request to a candidate (a third process). Runs alternate direct / proxied
// (A/B interleaved in one session), 5 of each; the figure is the difference of the medians of p99 (and of p50), with
// each run's value and the spread. Four processes (load client, proxy, primary, candidate) share the machine's cores
// with whatever else runs: the load average is printed with every figure.
// Inside the proxy, per proxied run: its event-loop delay (prom-client's monitorEventLoopDelay gauges, reset at each
// scrape: max and p99 over the run), its own time per request (`modelgate_shadow_proxy_overhead_seconds`: received →
// answered minus the primary's latency; contention distorts it less, but it does not see a stall that delays reading
// a request or the primary's answer — the loop delay does) and its main thread's GC pauses and allocation
// (`--trace-gc-nvp` on the proxy's process, parsed: count, total and longest pause by kind; bytes allocated per
// request — a figure that, unlike the times, does not depend on how busy the machine is).
// Several proxies can be measured in one session (old vs new): each further argument is a checkout whose built CLI
// runs as one more proxy, optionally with Node flags for its process after `+` (`../main+--max-semi-space-size=32`);
// each round runs direct, then every proxy in an order rotated round by round. Default: this checkout alone. The
// checkout `bare` is a measurement-only floor instead: bench/load/bareForwarder.ts, a Node forwarder with no mirror
// (`bare#mirror`: with Istio's fire-and-forget mirror to the candidate, answers read and dropped);
// `<checkout>#<flag>` passes `--<flag>` to that checkout's shadow command (`.#mirror-thread`).
//   node --import tsx bench/shadow.bench.ts [runs=5] [seconds=10] [rate=1000] [sample=1] [checkout[+flag…]…]
import type { ChildProcess } from 'node:child_process'
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { join, resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { decodeLatencyHistogram } from '@modelgate/stats'
import { createArrivalSchedule, runLoad } from '@modelgate/traffic'

const runs = Number(process.argv[2] ?? 5)
const seconds = Number(process.argv[3] ?? 10)
const rate = Number(process.argv[4] ?? 1000)
const sample = process.argv[5] ?? '1'
const specs = process.argv.length > 6 ? process.argv.slice(6) : ['.']
const root = join(import.meta.dirname, '..')
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

async function server(): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'load/server.ts'), 'trivial'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const line = await new Promise<string>((resolve) => {
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).once('line', resolve)
  })
  return { url: `http://127.0.0.1:${(JSON.parse(line) as { port: number }).port}`, child }
}

/** Pauses by kind (Scavenge, Mark-Compact): count, total, longest; and the bytes allocated between them. */
type GcFigures = {
  pauses: Record<string, { n: number; totalMs: number; maxMs: number }>
  allocated: number
  /** Bytes allocated on the process's other threads (their isolates: the mirror and analysis threads). */
  otherAllocated: number
}

interface Proxy {
  /** The checkout (and Node flags) as given. */
  readonly label: string
  readonly url: string
  readonly child: ChildProcess
  /** GC pauses of the proxy's main thread since the last call, by kind (Scavenge, Mark-Compact). */
  gcSince(): GcFigures
}

/** `modelgate shadow` of a checkout (its built CLI) in a process of its own, with `--trace-gc` and the spec's flags. */
async function shadowProxy(spec: string, primary: string, candidate: string): Promise<Proxy> {
  const [where = '.', ...flags] = spec.split('+')
  // `<checkout>#<flag>`: the shadow command gets `--<flag>` too (e.g. `.#mirror-thread`)
  const [checkout = '.', ...cliFlags] = where.split('#')
  const command =
    checkout === 'bare'
      ? [
          '--import',
          'tsx',
          join(import.meta.dirname, 'load/bareForwarder.ts'),
          primary,
          ...(cliFlags.includes('mirror') ? [candidate] : []),
        ]
      : [
          join(resolve(root, checkout), 'packages/cli/bin/modelgate.js'),
          'shadow',
          '--listen',
          '127.0.0.1:0',
          '--primary',
          primary,
          '--candidate',
          candidate,
          '--sample',
          sample,
          ...cliFlags.map((f) => `--${f}`),
        ]
  const child = spawn(process.execPath, [...flags, '--trace-gc-nvp', ...command], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const gcLines: string[] = []
  createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
    gcLines.push(line)
  })
  const url = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stderr as NodeJS.ReadableStream })
    lines.on('line', (line) => {
      const m = /listening on (http:\S+)/.exec(line)
      if (m?.[1] !== undefined) resolve(m[1])
    })
    child.once('exit', (code) => reject(new Error(`modelgate shadow (${spec}) exited with ${code}`)))
  })
  // the proxy's main thread: its isolate prints the first GC line (the CLI's modules load before any thread starts)
  let mainIsolate: string | undefined
  const gcSince = (): GcFigures => {
    const out: GcFigures = { pauses: {}, allocated: 0, otherAllocated: 0 }
    for (const line of gcLines.splice(0)) {
      // [pid:0x…]   1234 ms: pause=0.6 mutator=… gc=s … allocated=14421600 promoted=…
      const m = /^\[\d+:(0x[0-9a-f]+)\].*? pause=([\d.]+) .*? gc=(\w+) .*? allocated=(\d+)/.exec(line)
      if (m === null) continue
      mainIsolate ??= m[1]
      if (m[1] !== mainIsolate) {
        out.otherAllocated += Number(m[4])
        continue
      }
      const pause = Number(m[2])
      const kind = m[3] === 's' ? 'Scavenge' : m[3] === 'mc' || m[3] === 'ms' ? 'Mark-Compact' : (m[3] as string)
      const k = out.pauses[kind] ?? { n: 0, totalMs: 0, maxMs: 0 }
      out.pauses[kind] = k
      k.n++
      k.totalMs += pause
      k.maxMs = Math.max(k.maxMs, pause)
      out.allocated += Number(m[4])
    }
    return out
  }
  return { label: spec, url, child, gcSince }
}

/**
 * A control: an idle Node process measuring its own event-loop delay the same way (monitorEventLoopDelay, 10 ms
 * resolution). What it sees is the machine's scheduling delay, which no code in the proxy causes or can remove; it
 * prints and resets its figures at each line on its stdin.
 */
function startControl(): { read(): Promise<{ maxMs: number; p99Ms: number }>; child: ChildProcess } {
  const script = `const h = require('node:perf_hooks').monitorEventLoopDelay({ resolution: 10 }); h.enable();
require('node:readline').createInterface({ input: process.stdin }).on('line', () => {
  process.stdout.write(JSON.stringify({ maxMs: h.max / 1e6, p99Ms: h.percentile(99) / 1e6 }) + '\\n'); h.reset() })`
  const child = spawn(process.execPath, ['-e', script], { stdio: ['pipe', 'pipe', 'inherit'] })
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream })
  return {
    child,
    read: () =>
      new Promise((resolve) => {
        lines.once('line', (line) => resolve(JSON.parse(line) as { maxMs: number; p99Ms: number }))
        child.stdin?.write('\n')
      }),
  }
}

/** What the proxy's own metrics say: event-loop delay since the last scrape, and its cumulative overhead buckets. */
interface Inside {
  /** prom-client's monitorEventLoopDelay gauges (reset at each scrape), ms. */
  readonly loopMaxMs: number
  readonly loopP99Ms: number
  /** `modelgate_shadow_proxy_overhead_seconds` buckets: upper bound (s) → cumulative count. */
  readonly overhead: readonly (readonly [number, number])[]
}
const inside = async (url: string): Promise<Inside> => {
  const text = await (await fetch(`${url}/_modelgate/metrics`)).text()
  const read = (name: string) => 1000 * Number(new RegExp(`^${name} (\\S+)`, 'm').exec(text)?.[1] ?? Number.NaN)
  const overhead = [...text.matchAll(/^modelgate_shadow_proxy_overhead_seconds_bucket\{le="([^"]+)"\} (\S+)/gm)].map(
    (m) => [m[1] === '+Inf' ? Number.POSITIVE_INFINITY : Number(m[1]), Number(m[2])] as const,
  )
  return {
    loopMaxMs: read('modelgate_shadow_nodejs_eventloop_lag_max_seconds'),
    loopP99Ms: read('modelgate_shadow_nodejs_eventloop_lag_p99_seconds'),
    overhead,
  }
}
/** Between two scrapes: the share of requests whose proxy overhead exceeded `limitS`, and the bucket holding p99. */
const overheadOf = (before: Inside, after: Inside, limitS: number) => {
  const delta = after.overhead.map(([le, n], i) => [le, n - (before.overhead[i]?.[1] ?? 0)] as const)
  const total = delta.at(-1)?.[1] ?? 0
  const within = delta.find(([le]) => le >= limitS)?.[1] ?? 0
  const p = (q: number) => delta.find(([, n]) => n >= q * total)?.[0] ?? Number.NaN
  return {
    requests: total,
    over: total === 0 ? Number.NaN : 1 - within / total,
    p50Ms: 1000 * p(0.5),
    p99Ms: 1000 * p(0.99),
  }
}

interface Run {
  readonly p50: number
  readonly p99: number
  readonly uncorrectedP99: number
  readonly errors: number
  /** Requests sent (warm-up included). */
  readonly requests: number
  /** Requests the generator sent more than 5 ms late (its own schedule check: > 1% fails the run). */
  readonly lateShare: number
  readonly load: string
}

async function measure(target: string): Promise<Run> {
  const result = await runLoad({
    target: `${target}/predict`,
    schedule: createArrivalSchedule({ kind: 'constant', rate, durationMs: seconds * 1000 }),
    warmupMs: 2000,
    payloads: [{ amount: 12.5, country: 'DE', device: 'ios' }],
  })
  const h = decodeLatencyHistogram(result.latency)
  const u = decodeLatencyHistogram(result.uncorrected)
  return {
    p50: h.percentile(50),
    p99: h.percentile(99),
    uncorrectedP99: u.percentile(99),
    errors: result.counts.errors,
    requests: result.counts.sent + result.counts.warmup,
    lateShare: result.counts.late / Math.max(1, result.counts.scheduled),
    load: load(),
  }
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2
}
const fmt = (xs: readonly number[]): string => xs.map((x) => x.toFixed(2)).join(', ')

const primary = await server()
const candidate = await server()
const proxies: Proxy[] = []
for (const spec of specs) proxies.push(await shadowProxy(spec, primary.url, candidate.url))
const control = startControl()
say(
  `${cpus().length} cores, sample ${sample}; primary ${primary.url}, candidate ${candidate.url}, ${proxies.map((p) => `proxy ${p.label} ${p.url}`).join(', ')}`,
)
/**
 * CPU seconds (user + system) a child process has used so far, from /proc (clock ticks of 1/100 s); `mainThread`: its
 * main thread's alone (the task whose id is the process's).
 */
const cpuOf = (child: ChildProcess, mainThread = false): number => {
  const path = mainThread ? `/proc/${child.pid}/task/${child.pid}/stat` : `/proc/${child.pid}/stat`
  const fields = readFileSync(path, 'utf8').split(') ')[1]?.split(' ') ?? []
  return (Number(fields[11]) + Number(fields[12])) / 100
}
interface InsideRun {
  readonly loopMaxMs: number
  readonly loopP99Ms: number
  readonly idle: { maxMs: number; p99Ms: number }
  readonly gc: GcFigures
  readonly requests: number
  readonly over: number
  readonly p50Ms: number
  readonly p99Ms: number
  /** Requests the generator sent in the run (warm-up included). */
  readonly sent: number
}
/** What one proxy's runs gathered. */
interface Side {
  readonly runs: Run[]
  readonly insides: InsideRun[]
  cpu: number
  /** The proxy's main thread's share of `cpu`. */
  mainCpu: number
  primaryCpu: number
  candidateCpu: number
  requests: number
}
const sides = new Map<Proxy, Side>(
  proxies.map((p) => [p, { runs: [], insides: [], cpu: 0, mainCpu: 0, primaryCpu: 0, candidateCpu: 0, requests: 0 }]),
)
let primaryCpuDirect = 0
let directRequests = 0

async function measureProxy(proxy: Proxy, side: Side, round: number): Promise<void> {
  const [x0, m0, p0, k0] = [cpuOf(proxy.child), cpuOf(proxy.child, true), cpuOf(primary.child), cpuOf(candidate.child)]
  const before = await inside(proxy.url)
  await control.read()
  proxy.gcSince()
  const p = await measure(proxy.url)
  const after = await inside(proxy.url)
  const idle = await control.read()
  const gc = proxy.gcSince()
  const own = overheadOf(before, after, 0.002)
  side.insides.push({ loopMaxMs: after.loopMaxMs, loopP99Ms: after.loopP99Ms, idle, gc, ...own, sent: p.requests })
  side.cpu += cpuOf(proxy.child) - x0
  side.mainCpu += cpuOf(proxy.child, true) - m0
  side.primaryCpu += cpuOf(primary.child) - p0
  side.candidateCpu += cpuOf(candidate.child) - k0
  side.requests += p.requests
  side.runs.push(p)
  say(
    `run ${round} proxied ${proxy.label}: p50 ${p.p50.toFixed(3)} ms, p99 ${p.p99.toFixed(3)} ms, errors ${p.errors}, late ${(100 * p.lateShare).toFixed(1)}%; inside the proxy: loop delay max ${after.loopMaxMs.toFixed(1)} ms, p99 ${after.loopP99Ms.toFixed(1)} ms (an idle process meanwhile: max ${idle.maxMs.toFixed(1)}, p99 ${idle.p99Ms.toFixed(1)} ms); own time p50 ≤ ${own.p50Ms} ms, p99 ≤ ${own.p99Ms} ms, ${(100 * own.over).toFixed(2)}% over 2 ms; allocated ${(gc.allocated / 1024 / Math.max(1, p.requests)).toFixed(1)} KB per request; GC ${Object.entries(
      gc.pauses,
    )
      .map(([k, g]) => `${k} ${g.n}× total ${g.totalMs.toFixed(0)} ms, longest ${g.maxMs.toFixed(1)} ms`)
      .join('; ')}`,
  )
}

try {
  const direct: Run[] = []
  for (let i = 0; i < runs; i++) {
    const c0 = cpuOf(primary.child)
    const d = await measure(primary.url)
    primaryCpuDirect += cpuOf(primary.child) - c0
    directRequests += d.requests
    direct.push(d)
    say(
      `run ${i + 1} direct : p50 ${d.p50.toFixed(3)} ms, p99 ${d.p99.toFixed(3)} ms, errors ${d.errors}, late ${(100 * d.lateShare).toFixed(1)}%`,
    )
    // the proxies in an order rotated round by round (none always runs right after the direct run)
    for (let j = 0; j < proxies.length; j++) {
      const proxy = proxies[(i + j) % proxies.length] as Proxy
      await measureProxy(proxy, sides.get(proxy) as Side, i + 1)
    }
  }
  const perRequest = (seconds: number, n: number) => (seconds * 1e6) / Math.max(1, n)
  for (const proxy of proxies) {
    const side = sides.get(proxy) as Side
    const { insides } = side
    const status = (await (await fetch(`${proxy.url}/_modelgate/status`)).json()) as {
      counts: Record<string, number>
      latencyMs?: Record<string, { p50: number; p99: number } | null>
    }
    const ms = (target: string) =>
      `p50 ${status.latencyMs?.[target]?.p50?.toFixed(2)} ms, p99 ${status.latencyMs?.[target]?.p99?.toFixed(2)} ms`
    say(
      `proxy ${proxy.label} counts: ${JSON.stringify(status.counts)}; latency as the proxy timed it (its whole life): primary ${ms('primary')}, candidate ${ms('candidate')}`,
    )
    // the verdict over the full store, judged on the proxy's analysis thread (time to answer, not a stall)
    const v0 = performance.now()
    const verdict = (await (await fetch(`${proxy.url}/_modelgate/verdict`)).json()) as {
      verdict: string
      pairs: number
    }
    figure({
      name: `shadow proxy ${proxy.label}: verdict over ${verdict.pairs} pairs (GET /_modelgate/verdict, judged on the analysis thread)`,
      value: performance.now() - v0,
      unit: 'ms',
      verdict: verdict.verdict,
    })
    figure({
      name: `shadow proxy ${proxy.label}: CPU per request (forward + mirror + pair), its own process`,
      value: perRequest(side.cpu, side.requests),
      unit: 'µs',
      reference: perRequest(primaryCpuDirect, directRequests),
      ratio: side.cpu / side.requests / (primaryCpuDirect / directRequests),
      mainThread: perRequest(side.mainCpu, side.requests),
      note: `reference = the trivial primary server's CPU per request in the direct runs; mainThread = the proxy's main thread's share; in the proxied runs primary ${perRequest(side.primaryCpu, side.requests).toFixed(0)} µs, candidate ${perRequest(side.candidateCpu, side.requests).toFixed(0)} µs`,
    })
    const kinds = [...new Set(insides.flatMap((r) => Object.keys(r.gc.pauses)))]
    figure({
      name: `inside the shadow proxy ${proxy.label} per proxied run: event-loop delay, its own time per request, main-thread GC pauses and allocation`,
      loopDelayMaxMs: fmt(insides.map((r) => r.loopMaxMs)),
      loopDelayP99Ms: fmt(insides.map((r) => r.loopP99Ms)),
      idleProcessLoopDelayMaxMs: fmt(insides.map((r) => r.idle.maxMs)),
      idleProcessLoopDelayP99Ms: fmt(insides.map((r) => r.idle.p99Ms)),
      ownTimeP50AtMostMs: insides.map((r) => r.p50Ms).join(', '),
      ownTimeP99AtMostMs: insides.map((r) => r.p99Ms).join(', '),
      ownTimeOver2msPercent: fmt(insides.map((r) => 100 * r.over)),
      allocatedKBPerRequest: fmt(insides.map((r) => r.gc.allocated / 1024 / Math.max(1, r.sent))),
      otherThreadsAllocatedKBPerRequest: fmt(insides.map((r) => r.gc.otherAllocated / 1024 / Math.max(1, r.sent))),
      gc: Object.fromEntries(
        kinds.map((k) => [
          k,
          `count ${insides.map((r) => r.gc.pauses[k]?.n ?? 0).join(', ')}; longest ${fmt(insides.map((r) => r.gc.pauses[k]?.maxMs ?? 0))} ms; total ${fmt(insides.map((r) => r.gc.pauses[k]?.totalMs ?? 0))} ms`,
        ]),
      ),
    })
    for (const q of ['p50', 'p99'] as const) {
      const a = direct.map((r) => r[q])
      const b = side.runs.map((r) => r[q])
      const paired = b.map((x, i) => x - (a[i] as number))
      figure({
        name: `shadow proxy ${proxy.label}: overhead on the primary's ${q} at ${rate}/s (median of ${runs} proxied − median of ${runs} direct)`,
        value: median(b) - median(a),
        unit: 'ms',
        ...(q === 'p99' ? { target: '≤ 2 ms' } : {}),
        direct: fmt(a),
        proxied: fmt(b),
        pairedDifferences: fmt(paired),
        pairedMedian: median(paired),
        errors: side.runs.reduce((s, r) => s + r.errors, 0) + direct.reduce((s, r) => s + r.errors, 0),
        generatorLate: `direct ${fmt(direct.map((r) => 100 * r.lateShare))} %, proxied ${fmt(side.runs.map((r) => 100 * r.lateShare))} %`,
        mirrored: status.counts.mirrored,
        dropped: status.counts.dropped,
        loads: side.runs.map((r) => r.load).join(' | '),
      })
    }
  }
} finally {
  for (const proxy of proxies) proxy.child.kill('SIGTERM')
  control.child.kill()
  primary.child.kill()
  candidate.child.kill()
}
