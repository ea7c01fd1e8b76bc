// CTGAN epoch time, this checkout against another one, side by side: the #11 gate ("a refactor that slows a recorded
// figure by more than 10%, measured side by side with the commit before, same machine, same run, is not done").
//   node --import tsx bench/ctgan-ab.ts --old <checkout> [--pairs 15] [--epochs 4] [--threads 2]
// Each run is a fresh process (`--run <checkout>`) training CTGAN on Adult in that checkout's sources (its
// packages/*/src, loaded by tsx), so only the code under test differs. Pairs alternate which checkout goes first.
// Per steady epoch (the first is warm-up) it records wall and process CPU time and the CPU of the calling thread,
// the busiest other thread (the training replica with --threads 2) and the rest (V8's helpers, ONNX Runtime's pool),
// read from /proc/self/task/*/schedstat (Linux). The verdict is the geometric mean of the per-pair ratios new/old
// with a 95% percentile-bootstrap interval (Efron & Tibshirani 1993, ch. 13): the refactor passes when the
// interval's upper end is ≤ 1.10. Run it on a quiet machine; at load the same arm moves 2–4× between runs.
import { spawnSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { loadavg } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { createRandom } from '@modelgate/core'

interface EpochFigures {
  readonly wall: number
  readonly cpu: number
  readonly calling: number
  readonly replica: number
  readonly rest: number
}

const { values } = parseArgs({
  options: {
    old: { type: 'string' },
    run: { type: 'string' },
    pairs: { type: 'string', default: '15' },
    epochs: { type: 'string', default: '4' },
    threads: { type: 'string', default: '2' },
  },
})
const here = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

/** CPU seconds of each thread of this process so far. */
function threadCpu(): Map<string, number> {
  const times = new Map<string, number>()
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      times.set(tid, Number(readFileSync(`/proc/self/task/${tid}/schedstat`, 'utf8').split(' ')[0]) / 1e9)
    } catch {
      // The thread ended between the listing and the read: it has no share in this epoch.
    }
  }
  return times
}

/** One run in this process: train in `checkout`, print one JSON line per epoch. */
async function runOne(checkout: string): Promise<void> {
  const core = await import(path.join(checkout, 'packages/core/src/index.ts'))
  const synth = await import(path.join(checkout, 'packages/synth/src/index.ts'))
  const adult = await core.readTable(path.join(checkout, 'test/data/adult.csv'), { nullValues: ['', '?'] })
  let wall0 = performance.now()
  let cpu0 = process.cpuUsage()
  let threads0 = threadCpu()
  await synth.fitCtgan(adult, {
    epochs: Number(values.epochs),
    seed: 1,
    threads: Number(values.threads),
    onProgress: (p: { phase: string; epoch?: number }) => {
      if (p.phase !== 'transform' && p.phase !== 'epoch') return
      const threads = threadCpu()
      if (p.phase === 'epoch') {
        const c = process.cpuUsage(cpu0)
        const deltas = [...threads].map(([tid, t]) => ({ tid, cpu: t - (threads0.get(tid) ?? 0) }))
        const others = deltas.filter((d) => d.tid !== String(process.pid)).sort((a, b) => b.cpu - a.cpu)
        const figures: EpochFigures & { epoch: number } = {
          epoch: p.epoch ?? 0,
          wall: (performance.now() - wall0) / 1000,
          cpu: (c.user + c.system) / 1e6,
          calling: deltas.find((d) => d.tid === String(process.pid))?.cpu ?? 0,
          replica: others[0]?.cpu ?? 0,
          rest: others.slice(1).reduce((s, d) => s + d.cpu, 0),
        }
        process.stdout.write(`${JSON.stringify(figures)}\n`)
      }
      wall0 = performance.now()
      cpu0 = process.cpuUsage()
      threads0 = threads
    },
  })
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2
}

/** Steady epochs (after the first) of one run of `checkout` in a fresh process. */
function spawnRun(checkout: string): EpochFigures[] {
  const out = spawnSync(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(import.meta.url), '--run', checkout, ...forwarded()],
    {
      cwd: checkout,
      encoding: 'utf8',
      maxBuffer: 1 << 24,
    },
  )
  if (out.status !== 0) throw new Error(`the run in ${checkout} failed (exit ${out.status}):\n${out.stderr}`)
  const epochs = out.stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as EpochFigures & { epoch: number })
  return epochs.filter((e) => e.epoch > 1)
}
function forwarded(): string[] {
  return ['--epochs', String(values.epochs), '--threads', String(values.threads)]
}

/** Geometric mean of ratios with a 95% percentile-bootstrap interval (10,000 resamples, seeded). */
function geometricMeanInterval(ratios: readonly number[]): { mean: number; lower: number; upper: number } {
  const logs = ratios.map(Math.log)
  const mean = (xs: readonly number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length
  const rng = createRandom(7, 'ctgan-ab bootstrap')
  const means: number[] = []
  for (let b = 0; b < 10_000; b++) {
    let s = 0
    for (let i = 0; i < logs.length; i++) s += logs[rng.int(logs.length)]!
    means.push(s / logs.length)
  }
  means.sort((a, b) => a - b)
  return { mean: Math.exp(mean(logs)), lower: Math.exp(means[249]!), upper: Math.exp(means[9749]!) }
}

if (values.run !== undefined) {
  await runOne(path.resolve(values.run))
  process.exit(0)
}
if (values.old === undefined) {
  process.stderr.write(
    'usage: node --import tsx bench/ctgan-ab.ts --old <checkout> [--pairs 15] [--epochs 4] [--threads 2]\n',
  )
  process.exit(2)
}
const arms = { old: path.resolve(values.old), new: here }
const fields = ['wall', 'cpu', 'calling', 'replica', 'rest'] as const
const ratios: Record<(typeof fields)[number], number[]> = { wall: [], cpu: [], calling: [], replica: [], rest: [] }
const pairs = Number(values.pairs)
for (let pair = 1; pair <= pairs; pair++) {
  const order = pair % 2 === 1 ? (['old', 'new'] as const) : (['new', 'old'] as const)
  const medians: Record<string, Record<string, number>> = {}
  for (const arm of order) {
    const epochs = spawnRun(arms[arm])
    medians[arm] = Object.fromEntries(fields.map((f) => [f, median(epochs.map((e) => e[f]))]))
  }
  for (const f of fields) ratios[f].push(medians.new![f]! / medians.old![f]!)
  const show = (arm: string): string => fields.map((f) => `${f} ${medians[arm]![f]!.toFixed(2)}`).join(', ')
  process.stderr.write(
    `pair ${pair}/${pairs} (load ${loadavg()[0]!.toFixed(2)}): old ${show('old')}; new ${show('new')}\n`,
  )
}
for (const f of fields) {
  const g = geometricMeanInterval(ratios[f])
  process.stdout.write(
    `${JSON.stringify({ name: `ctgan ${values.threads}-thread steady epoch ${f}, new/old`, value: Number(g.mean.toFixed(3)), lower95: Number(g.lower.toFixed(3)), upper95: Number(g.upper.toFixed(3)), medianRatio: Number(median(ratios[f]).toFixed(3)), pairs, ...(f === 'wall' || f === 'cpu' ? { gate: g.upper <= 1.1 ? 'within 10%' : 'not shown within 10%' } : {}) })}\n`,
  )
}
