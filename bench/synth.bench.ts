// Benchmarks for @modelgate/synth against SDV 1.38.1 GaussianCopulaSynthesizer on UCI Adult (figures from issue 3,
// measured on the same 2-core machine type). Run: node --import tsx bench/synth.bench.ts   (or `pnpm bench synth`)
// Prints JSON lines { name, value, unit, target?, reference?, ratio? }; ratio = ours / SDV (< 1: faster or smaller;
// for quality scores > 1: better). Timings are the best of 3 runs after a warm-up (robust to load on a shared machine).
// The 10M-row streaming run (peak RSS) runs in a child process, only with BENCH_SYNTH_10M=1 (about a minute).
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Table } from '@modelgate/core'
import { readTable } from '@modelgate/core'
import { evaluateSynthetic, loadSynthModel, trainSynthesizer, writeSynthetic } from '@modelgate/synth'

const here = fileURLToPath(new URL('.', import.meta.url))
const adultPath = resolve(here, '../test/data/adult.csv')
const RUNS = 3

function emit(name: string, value: number, unit: string, target?: string, reference?: number): void {
  const figure: Record<string, unknown> = { name, value: Number(value.toPrecision(4)), unit }
  if (target !== undefined) figure.target = target
  if (reference !== undefined) {
    figure.reference = reference
    figure.ratio = Number((value / reference).toPrecision(3))
  }
  process.stdout.write(`${JSON.stringify(figure)}\n`)
}

/** Best of RUNS after a warm-up: wall seconds and CPU seconds (user + system, all threads of this process). */
async function best(run: () => Promise<unknown> | unknown): Promise<{ wall: number; cpu: number }> {
  await run()
  let wall = Number.POSITIVE_INFINITY
  let cpu = Number.POSITIVE_INFINITY
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now()
    const c = process.cpuUsage()
    await run()
    const used = process.cpuUsage(c)
    wall = Math.min(wall, (performance.now() - t) / 1000)
    cpu = Math.min(cpu, (used.user + used.system) / 1e6)
  }
  return { wall, cpu }
}

/** Emits a timing twice: wall clock, and CPU time (what the wall clock is on an idle core; the machine is shared). */
function emitTime(name: string, t: { wall: number; cpu: number }, target?: string, reference?: number): void {
  emit(`${name} (wall)`, t.wall, 's', target, reference)
  emit(`${name} (cpu)`, t.cpu, 's', target, reference)
}

if (process.argv[2] === '--stream') {
  // Child: stream N rows from a saved model to a file; report peak RSS.
  const [, , , modelPath, out, rows] = process.argv
  const model = await loadSynthModel(modelPath as string)
  const t = performance.now()
  const c = process.cpuUsage()
  await writeSynthetic(model, { rows: Number(rows), out: out as string, seed: 1 })
  const used = process.cpuUsage(c)
  process.stdout.write(
    `${JSON.stringify({ seconds: (performance.now() - t) / 1000, cpuSeconds: (used.user + used.system) / 1e6, maxRssBytes: process.resourceUsage().maxRSS * 1024 })}\n`,
  )
  process.exit(0)
}

const adult = await readTable(adultPath, { nullValues: ['?', ''] })
// SDV's fit: 3.86–4.18 s side by side in one run on this machine (issue #13; the 5.8 s of issue 3 was another run).
emitTime('synth fit Adult (32,561 × 15)', await best(() => trainSynthesizer(adult, { seed: 1 })), '≤ 0.4 s', 4.0)
const model = await trainSynthesizer(adult, { seed: 1 })
emitTime('synth sample 32,561 rows in memory', await best(() => model.sample(32_561, { seed: 2 })), '', 0.58)
const million = await best(() => model.sample(1_000_000, { seed: 2 }))
emitTime('synth sample 1M rows in memory', million, '≤ 1 s', 19.4)
emit('synth sample rate (cpu)', 1_000_000 / million.cpu, 'rows/s', '', 52_000)

const dir = mkdtempSync(join(tmpdir(), 'mg-synth-bench-'))
try {
  emitTime(
    'synth generate 1M rows → CSV',
    await best(() => writeSynthetic(model, { rows: 1_000_000, out: join(dir, 'a.csv'), seed: 2 })),
    '≤ 5 s',
    19.4,
  )
  emitTime(
    'synth generate 1M rows → Parquet',
    await best(() => writeSynthetic(model, { rows: 1_000_000, out: join(dir, 'a.parquet'), seed: 2 })),
    '≤ 5 s',
    19.4,
  )
  if (process.env.BENCH_SYNTH_10M === '1') {
    const modelPath = join(dir, 'model.json')
    const { writeFile } = await import('node:fs/promises')
    await writeFile(modelPath, JSON.stringify(model.toJSON()))
    const child = spawnSync(
      process.execPath,
      [...process.execArgv, fileURLToPath(import.meta.url), '--stream', modelPath, join(dir, 'ten.csv'), '10000000'],
      {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    )
    const line = child.stdout.split('\n').find((l) => l.startsWith('{'))
    if (line !== undefined) {
      const r = JSON.parse(line) as { seconds: number; cpuSeconds: number; maxRssBytes: number }
      emit('synth generate 10M rows → CSV, streamed (wall)', r.seconds, 's')
      emit('synth generate 10M rows → CSV, streamed (cpu)', r.cpuSeconds, 's')
      emit('synth generate 10M rows peak RSS', r.maxRssBytes / 2 ** 30, 'GB', '< 1 GB', 1.16)
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true })
}

// Quality: train on a random half, compare with the other half (SDMetrics formulas, all pairs, no thresholds).
const order = Array.from({ length: adult.numRows }, (_, i) => i)
let s = 2026
for (let i = order.length - 1; i > 0; i--) {
  s = (Math.imul(s, 1664525) + 1013904223) >>> 0
  const j = s % (i + 1)
  ;[order[i], order[j]] = [order[j] as number, order[i] as number]
}
const take = (rows: number[]): Table => {
  const { columns } = adult
  return {
    numRows: rows.length,
    columns: columns.map((c) => {
      if (c.kind === 'categorical') return { ...c, codes: Int32Array.from(rows, (r) => c.codes[r] as number) }
      if (c.kind === 'text' || c.kind === 'id') return { ...c, values: rows.map((r) => c.values[r] ?? null) }
      if (c.kind === 'boolean')
        return {
          ...c,
          values: Uint8Array.from(rows, (r) => c.values[r] as number),
          valid: c.valid === null ? null : Uint8Array.from(rows, (r) => c.valid?.[r] as number),
        }
      if (!('valid' in c)) return c
      return {
        ...c,
        values: Float64Array.from(rows, (r) => c.values[r] as number),
        valid: c.valid === null ? null : Uint8Array.from(rows, (r) => c.valid?.[r] as number),
      }
    }),
  } as Table
}
const half = Math.floor(order.length / 2)
const train = take(order.slice(0, half))
const holdout = take(order.slice(half))
const halfModel = await trainSynthesizer(train, { seed: 1 })
const synthetic = halfModel.sample(train.numRows, { seed: 2 })
const { quality } = evaluateSynthetic({ real: holdout, synthetic })
emit('synth quality overall (Adult, half vs half)', quality.overall, 'score', '≥ 0.95', 0.814)
emit('synth quality Column Shapes', quality.columnShapes, 'score', '', 0.876)
emit('synth quality Column Pair Trends (all pairs)', quality.columnPairTrends, 'score', '≥ 0.94', 0.753)
const shape = (name: string): number => quality.shapes.find((x) => x.column === name)?.score ?? 0
emit('synth quality capital-gain shape', shape('capital-gain'), 'score', '', 0.09)
emit('synth quality hours-per-week shape', shape('hours-per-week'), 'score', '', 0.76)
const { report } = evaluateSynthetic({ real: train, synthetic, holdout, target: 'income', seed: 3 })
emit('synth TSTR AUC income', report.summary.tstrAuc as number, 'AUC')
emit('synth TRTR AUC income', report.summary.trtrAuc as number, 'AUC')
emit('synth exact-match rate to training rows', report.summary.exactMatchRate as number, 'share')
emit('synth holdout exact-match rate to training rows', report.summary.holdoutExactMatchRate as number, 'share')
