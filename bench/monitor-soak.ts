// RSS soak: `modelgate monitor serve` (2 s windows, baseline of the monitor tests) fed live traffic at a steady rate
// for a while; RSS sampled from /metrics every 30 s. Not part of `pnpm bench` (it takes minutes):
//   node --import tsx bench/monitor-soak.ts [--minutes 10] [--rate 2000]
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { seeded } from '../packages/monitor/test/support/events.js'
import { fraudBaseline, fraudEvent } from '../packages/monitor/test/support/fraudEvents.js'

const { values } = parseArgs({
  options: { minutes: { type: 'string', default: '10' }, rate: { type: 'string', default: '2000' } },
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
  {
    stdio: ['ignore', 'ignore', 'pipe'],
  },
)
const url = await new Promise<string>((resolve) => {
  let err = ''
  child.stderr?.on('data', (d: Buffer) => {
    err += d.toString()
    const m = /listening on (http:\S+)/.exec(err)
    if (m?.[1] !== undefined) resolve(m[1])
  })
})
const rss = async () =>
  Number(/modelgate_process_resident_memory_bytes (\d+)/.exec(await (await fetch(`${url}/metrics`)).text())?.[1] ?? 0) /
  2 ** 20
const random = seeded(9)
const start = Date.now()
const samples: { minute: number; rssMiB: number; load: number }[] = []
let sent = 0
let nextSample = start
while (Date.now() - start < minutes * 60_000) {
  const batch = Array.from({ length: rate / 10 }, () =>
    JSON.stringify(fraudEvent(random, `s${sent++}`, Date.now())),
  ).join('\n')
  await fetch(`${url}/v1/events`, { method: 'POST', body: batch })
  if (Date.now() >= nextSample) {
    samples.push({ minute: (Date.now() - start) / 60_000, rssMiB: await rss(), load: loadavg()[0] ?? 0 })
    process.stderr.write(`${JSON.stringify(samples.at(-1))}\n`)
    nextSample += 30_000
  }
  await new Promise((r) => setTimeout(r, 100))
}
const first = samples.find((s) => s.minute >= 1) ?? samples[0]
const last = samples.at(-1)
process.stdout.write(
  `${JSON.stringify({ name: `soak: RSS growth over ${minutes} min at ${rate}/s (from minute 1)`, value: first && last ? (last.rssMiB / first.rssMiB - 1) * 100 : 0, unit: '%', target: '< 5%', first, last, sent })}\n`,
)
child.kill('SIGTERM')
rmSync(dir, { recursive: true, force: true })
