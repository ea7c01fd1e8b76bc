// The shadow proxy's overhead on the primary's latency: the load generator (runLoad, 1,000 req/s, open model, latency
// from the intended send time) against the same trivial server directly and through `modelgate shadow` (the real
// CLI, its own process) mirroring every request to a candidate (a third process). Runs alternate direct / proxied
// (A/B interleaved in one session), 5 of each; the figure is the difference of the medians of p99 (and of p50), with
// each run's value and the spread. Four processes (load client, proxy, primary, candidate) share the machine's cores
// with whatever else runs: the load average is printed with every figure.
//   node --import tsx bench/shadow.bench.ts [runs=5] [seconds=10] [rate=1000] [sample=1]
import type { ChildProcess } from 'node:child_process'
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { decodeLatencyHistogram } from '@modelgate/stats'
import { createArrivalSchedule, runLoad } from '@modelgate/traffic'

const runs = Number(process.argv[2] ?? 5)
const seconds = Number(process.argv[3] ?? 10)
const rate = Number(process.argv[4] ?? 1000)
const sample = process.argv[5] ?? '1'
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

async function shadowProxy(primary: string, candidate: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    [
      join(root, 'packages/cli/bin/modelgate.js'),
      'shadow',
      '--listen',
      '127.0.0.1:0',
      '--primary',
      primary,
      '--candidate',
      candidate,
      '--sample',
      sample,
    ],
    { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] },
  )
  const url = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stderr as NodeJS.ReadableStream })
    lines.on('line', (line) => {
      const m = /listening on (http:\S+)/.exec(line)
      if (m?.[1] !== undefined) resolve(m[1])
    })
    child.once('exit', (code) => reject(new Error(`modelgate shadow exited with ${code}`)))
  })
  return { url, child }
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
const proxy = await shadowProxy(primary.url, candidate.url)
say(`${cpus().length} cores, sample ${sample}; primary ${primary.url}, candidate ${candidate.url}, proxy ${proxy.url}`)
/** CPU seconds (user + system) a child process has used so far, from /proc (clock ticks of 1/100 s). */
const cpuOf = (child: ChildProcess): number => {
  const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? []
  return (Number(fields[11]) + Number(fields[12])) / 100
}
let proxyCpu = 0
let primaryCpuDirect = 0
let primaryCpuProxied = 0
let candidateCpu = 0
let directRequests = 0
let proxiedRequests = 0
try {
  const direct: Run[] = []
  const proxied: Run[] = []
  for (let i = 0; i < runs; i++) {
    const c0 = cpuOf(primary.child)
    const d = await measure(primary.url)
    primaryCpuDirect += cpuOf(primary.child) - c0
    directRequests += d.requests
    direct.push(d)
    say(
      `run ${i + 1} direct : p50 ${d.p50.toFixed(3)} ms, p99 ${d.p99.toFixed(3)} ms, errors ${d.errors}, late ${(100 * d.lateShare).toFixed(1)}%`,
    )
    const [x0, p0, k0] = [cpuOf(proxy.child), cpuOf(primary.child), cpuOf(candidate.child)]
    const p = await measure(proxy.url)
    proxyCpu += cpuOf(proxy.child) - x0
    primaryCpuProxied += cpuOf(primary.child) - p0
    candidateCpu += cpuOf(candidate.child) - k0
    proxiedRequests += p.requests
    proxied.push(p)
    say(
      `run ${i + 1} proxied: p50 ${p.p50.toFixed(3)} ms, p99 ${p.p99.toFixed(3)} ms, errors ${p.errors}, late ${(100 * p.lateShare).toFixed(1)}%`,
    )
  }
  const status = (await (await fetch(`${proxy.url}/_modelgate/status`)).json()) as {
    counts: Record<string, number>
  }
  say(`proxy counts: ${JSON.stringify(status.counts)}`)
  // the verdict over the full store, judged on the proxy's analysis thread (time to answer, not a stall of the proxy)
  const v0 = performance.now()
  const verdict = (await (await fetch(`${proxy.url}/_modelgate/verdict`)).json()) as { verdict: string; pairs: number }
  figure({
    name: `shadow proxy verdict over ${verdict.pairs} pairs (GET /_modelgate/verdict, judged on the analysis thread)`,
    value: performance.now() - v0,
    unit: 'ms',
    verdict: verdict.verdict,
  })
  const perRequest = (seconds: number, n: number) => (seconds * 1e6) / Math.max(1, n)
  figure({
    name: 'shadow proxy CPU per request (forward + mirror + pair), its own process',
    value: perRequest(proxyCpu, proxiedRequests),
    unit: 'µs',
    reference: perRequest(primaryCpuDirect, directRequests),
    ratio: proxyCpu / proxiedRequests / (primaryCpuDirect / directRequests),
    note: `reference = the trivial primary server's CPU per request in the direct runs; in the proxied runs primary ${perRequest(primaryCpuProxied, proxiedRequests).toFixed(0)} µs, candidate ${perRequest(candidateCpu, proxiedRequests).toFixed(0)} µs`,
  })
  for (const q of ['p50', 'p99'] as const) {
    const a = direct.map((r) => r[q])
    const b = proxied.map((r) => r[q])
    const paired = b.map((x, i) => x - (a[i] as number))
    figure({
      name: `shadow proxy overhead on the primary's ${q} at ${rate}/s (median of ${runs} proxied − median of ${runs} direct)`,
      value: median(b) - median(a),
      unit: 'ms',
      ...(q === 'p99' ? { target: '≤ 2 ms' } : {}),
      direct: fmt(a),
      proxied: fmt(b),
      pairedDifferences: fmt(paired),
      pairedMedian: median(paired),
      errors: proxied.reduce((s, r) => s + r.errors, 0) + direct.reduce((s, r) => s + r.errors, 0),
      generatorLate: `direct ${fmt(direct.map((r) => 100 * r.lateShare))} %, proxied ${fmt(proxied.map((r) => 100 * r.lateShare))} %`,
      mirrored: status.counts.mirrored,
      dropped: status.counts.dropped,
      loads: proxied.map((r) => r.load).join(' | '),
    })
  }
} finally {
  proxy.child.kill('SIGTERM')
  primary.child.kill()
  candidate.child.kill()
}
