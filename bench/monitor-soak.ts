// RSS soak: `modelgate monitor serve` (2 s windows, baseline of the monitor tests) fed live traffic at a steady rate
// for a while; RSS sampled from /metrics every 10 s. Not part of `pnpm bench` (it takes minutes):
//   node --import tsx bench/monitor-soak.ts [--minutes 10] [--rate 50000]
// The generator keeps up with the target rate on a fraction of a core: 20,000 events are encoded once, and each sent
// event is that text behind a fresh request id and the current time. Batches leave on a fixed clock (every 50 ms,
// up to 4 in flight), so a slow monitor shows as a shortfall and 429s, not as a lower offered rate.
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { seeded } from '../packages/monitor/test/support/events.js'
import { fraudBaseline, fraudEvent } from '../packages/monitor/test/support/fraudEvents.js'

const { values } = parseArgs({
  options: { minutes: { type: 'string', default: '10' }, rate: { type: 'string', default: '50000' } },
})
const minutes = Number(values.minutes)
const rate = Number(values.rate)
const dir = mkdtempSync(join(tmpdir(), 'modelgate-monitor-soak-'))
const baseline = join(dir, 'baseline.json')
writeFileSync(baseline, JSON.stringify(fraudBaseline()))
const bin = new URL('../packages/cli/bin/modelgate.js', import.meta.url).pathname
const child = spawn(
  process.execPath,
  [bin, 'monitor', 'serve', '--port', '0', '--baseline', baseline, '--window', '2s', '--lateness', '1s'],
  { stdio: ['ignore', 'ignore', 'pipe'] },
)
const url = await new Promise<string>((resolve) => {
  let err = ''
  child.stderr?.on('data', (d: Buffer) => {
    err += d.toString()
    const m = /listening on (http:\S+)/.exec(err)
    if (m?.[1] !== undefined) resolve(m[1])
  })
})
const metric = (text: string, name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? 0)
const scrape = async () => {
  const text = await (await fetch(`${url}/metrics`)).text()
  return {
    rssMiB: metric(text, 'modelgate_process_resident_memory_bytes') / 2 ** 20,
    cpuSeconds: metric(text, 'modelgate_process_cpu_seconds_total'),
  }
}

const random = seeded(9)
// Each event's text after its id and time: `,"model_version":…}`.
const tails = Array.from({ length: 20_000 }, () => {
  const { request_id: _id, timestamp: _t, ...rest } = fraudEvent(random, '', 0)
  return `,${JSON.stringify(rest).slice(1)}`
})
const tickMs = 50
const perTick = Math.max(1, Math.round((rate * tickMs) / 1000))
const start = Date.now()
const samples: { minute: number; rssMiB: number; eventsPerSecond: number; monitorCpu: number; load: number }[] = []
let sent = 0
let accepted = 0
let rejected = 0
let inFlight = 0
let skipped = 0
let lastSample = { at: start, accepted: 0, cpu: (await scrape()).cpuSeconds }
let nextSample = start + 10_000
let tick = 0
while (Date.now() - start < minutes * 60_000) {
  const due = start + tick * tickMs
  tick++
  const wait = due - Date.now()
  if (wait > 0) await new Promise((r) => setTimeout(r, wait))
  if (inFlight >= 4) {
    skipped += perTick
    continue
  }
  const now = Date.now()
  let body = ''
  for (let i = 0; i < perTick; i++) {
    body += `{"request_id":"s${sent}","timestamp":${now}${tails[sent % tails.length]}\n`
    sent++
  }
  inFlight++
  void fetch(`${url}/v1/events`, { method: 'POST', body, headers: { 'content-type': 'application/x-ndjson' } })
    .then(async (res) => {
      await res.arrayBuffer()
      if (res.status === 429) rejected += perTick
      else if (res.ok) accepted += perTick
      else throw new Error(`monitor answered ${res.status}`)
    })
    .finally(() => inFlight--)
  if (now >= nextSample) {
    const { rssMiB, cpuSeconds } = await scrape()
    const at = Date.now()
    samples.push({
      minute: (at - start) / 60_000,
      rssMiB: Math.round(rssMiB * 10) / 10,
      eventsPerSecond: Math.round(((accepted - lastSample.accepted) * 1000) / (at - lastSample.at)),
      monitorCpu: Math.round(((cpuSeconds - lastSample.cpu) * 1000 * 100) / (at - lastSample.at)) / 100,
      load: loadavg()[0] ?? 0,
    })
    lastSample = { at, accepted, cpu: cpuSeconds }
    process.stderr.write(`${JSON.stringify(samples.at(-1))}\n`)
    nextSample += 10_000
  }
}
while (inFlight > 0) await new Promise((r) => setTimeout(r, 20))
// Growth is judged from minute 1 (before it the heap and the de-duplication set are still filling): the mean RSS of
// the last third of the samples against the first third, so one sample at the top or bottom of the allocator's
// sawtooth does not decide it, and the least-squares slope over the same span as a percentage of the mean.
const steady = samples.filter((s) => s.minute >= 1)
const third = Math.max(1, Math.floor(steady.length / 3))
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length
const rss = steady.map((s) => s.rssMiB)
const firstThird = mean(rss.slice(0, third))
const lastThird = mean(rss.slice(-third))
const minutes1 = steady.map((s) => s.minute)
const mx = mean(minutes1)
const my = mean(rss)
const slope =
  minutes1.reduce((a, x, i) => a + (x - mx) * ((rss[i] as number) - my), 0) /
  minutes1.reduce((a, x) => a + (x - mx) ** 2, 0)
const round1 = (x: number) => Math.round(x * 10) / 10
process.stdout.write(
  `${JSON.stringify({
    name: `soak: RSS growth over ${minutes} min at ${rate}/s offered (last third vs first third, from minute 1)`,
    value: round1((lastThird / firstThird - 1) * 100),
    unit: '%',
    target: '< 5%',
    rssMiB: {
      firstThird: round1(firstThird),
      lastThird: round1(lastThird),
      min: Math.min(...rss),
      max: Math.max(...rss),
    },
    trendOverRunPercent: round1(((slope * ((minutes1.at(-1) ?? 0) - (minutes1[0] ?? 0))) / my) * 100),
    accepted,
    rejected429: rejected,
    notSentMonitorBehind: skipped,
    acceptedPerSecond: Math.round((accepted * 1000) / (minutes * 60_000)),
    monitorCpuMean: round1(mean(steady.map((s) => s.monitorCpu)) * 100) / 100,
  })}\n`,
)
child.kill('SIGTERM')
rmSync(dir, { recursive: true, force: true })
