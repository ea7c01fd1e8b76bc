// Wide feature tables (issue #13): the copula's scaling curve in columns, and what the factor structure costs in
// quality. Run: node --import tsx bench/synth-wide.bench.ts [columns…]   (or `pnpm bench synth-wide`)
// Each width runs in its own process (peak RSS per width): a table of 10,000 rows with a known factor structure
// (packages/synth/test/wideTable.ts), trained with trainSynthesizer, then 20,000 rows sampled in memory four times
// (the first run, and the median of the other three: the steady rate).
// Quality: Column Shapes and Column Pair Trends (evaluateSynthetic) over the first 50 columns, so widths compare;
// recovered latent correlation against the truth (RMS error over all pairs; categorical columns oriented first).
// Then the quality cost of the factor structure where a dense copula still runs: Adult, and 100/250 columns.
import { spawnSync } from 'node:child_process'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Column, Table } from '@modelgate/core'
import { readTable, tableFromColumns } from '@modelgate/core'
import type { CopulaParams } from '@modelgate/synth'
import { evaluateSynthetic, trainSynthesizer } from '@modelgate/synth'
import { fitGaussianCopula } from '../packages/synth/src/fitGaussianCopula.js'
import { createCopulaModel } from '../packages/synth/src/internal/createCopulaModel.js'
import { orderCategories } from '../packages/synth/src/internal/orderCategories.js'
import { modelFileOf, profileTrainingTable } from '../packages/synth/src/internal/profileTrainingTable.js'
import { wideTable } from '../packages/synth/test/wideTable.js'

const here = fileURLToPath(new URL('.', import.meta.url))
const ROWS = 10_000

function emit(name: string, value: number, unit: string, target?: string): void {
  const figure: Record<string, unknown> = { name, value: Number(value.toPrecision(4)), unit }
  if (target !== undefined) figure.target = target
  process.stdout.write(`${JSON.stringify(figure)}\n`)
}

const cpuSeconds = (): number => {
  const u = process.cpuUsage()
  return (u.user + u.system) / 1e6
}

function firstColumns(table: Table, count: number): Table {
  return tableFromColumns(table.columns.slice(0, count) as Column[])
}

/** RMS error of the copula's latent correlation against the table's true one (categoricals oriented first). */
function recoveryError(copula: CopulaParams, truth: (i: number, j: number) => number, d: number): number {
  const rho = (i: number, j: number): number => {
    if ('loadings' in copula) {
      const a = copula.loadings[i] as number[]
      const b = copula.loadings[j] as number[]
      return a.reduce((s, x, k) => s + x * (b[k] as number), 0)
    }
    return copula.correlation[i]?.[j] ?? 0
  }
  const sign = Array.from({ length: d }, (_, i) => {
    if (i % 5 !== 3) return 1
    let s = 0
    for (let j = 0; j < d; j++) if (j !== i) s += rho(i, j) * truth(i, j)
    return Math.sign(s) || 1
  })
  let squared = 0
  let pairs = 0
  for (let i = 0; i < d; i++)
    for (let j = i + 1; j < d; j++) {
      squared += ((sign[i] as number) * (sign[j] as number) * rho(i, j) - truth(i, j)) ** 2
      pairs++
    }
  return Math.sqrt(squared / Math.max(1, pairs))
}

/** A copula model file fitted with a chosen structure (the library picks by width; here both are forced). */
function fitWith(table: Table, structure: 'dense' | 'factor'): { file: ReturnType<typeof modelFileOf>; cpu: number } {
  const t = cpuSeconds()
  const profile = profileTrainingTable(table, { seed: 1 })
  orderCategories(profile.columns, profile.numRows, profile.random)
  const dims = profile.columns.flatMap((p) => [
    ...(p.keys !== null && p.model.nullRate < 1
      ? [{ column: p.model.name, part: 'value' as const, keys: p.keys }]
      : []),
    ...(p.model.nullRate > 0 && p.model.nullRate < 1
      ? [{ column: p.model.name, part: 'null' as const, keys: Float64Array.from(p.isNull) }]
      : []),
  ])
  const copula = fitGaussianCopula(dims, profile.numRows, { random: profile.random, structure })
  return { file: modelFileOf(profile, 'copula', copula), cpu: cpuSeconds() - t }
}

if (process.argv[2] === '--width') {
  // Child: one width.
  const d = Number(process.argv[3])
  const wide = wideTable({ columns: d, rows: ROWS, seed: 7 })
  const t = performance.now()
  const c = cpuSeconds()
  const model = await trainSynthesizer(wide.table, { seed: 1 })
  const fit = { wall: (performance.now() - t) / 1000, cpu: cpuSeconds() - c }
  model.sample(1000, { seed: 1 })
  // The first 20,000 rows (their output columns are fresh memory), then three more runs: the median of those is
  // the steady rate of a long generation, whose chunks reuse freed memory.
  const runs: { wall: number; cpu: number }[] = []
  let rows = wide.table
  for (let i = 0; i < 4; i++) {
    const s = performance.now()
    const sc = cpuSeconds()
    const drawn = model.sample(20_000, { seed: 2 + i })
    runs.push({ wall: (performance.now() - s) / 1000, cpu: cpuSeconds() - sc })
    if (i === 0) rows = drawn
  }
  const sample = runs[0] as { wall: number; cpu: number }
  const median = (xs: number[]): number => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number
  const steady = { wall: median(runs.slice(1).map((r) => r.wall)), cpu: median(runs.slice(1).map((r) => r.cpu)) }
  const file = model.toJSON()
  const quality = evaluateSynthetic({
    real: firstColumns(wide.table, 50),
    synthetic: firstColumns(rows, 50),
  }).quality
  const copula = file.copula as CopulaParams
  process.stdout.write(
    `${JSON.stringify({
      d,
      structure: 'loadings' in copula ? `factor k=${copula.loadings[0]?.length}` : 'dense',
      fitWall: fit.wall,
      fitCpu: fit.cpu,
      rowsPerSecondWall: 20_000 / sample.wall,
      rowsPerSecondCpu: 20_000 / sample.cpu,
      steadyRowsPerSecondWall: 20_000 / steady.wall,
      steadyRowsPerSecondCpu: 20_000 / steady.cpu,
      maxRssBytes: process.resourceUsage().maxRSS * 1024,
      columnShapes: quality.columnShapes,
      columnPairTrends: quality.columnPairTrends,
      recoveryRmse: recoveryError(copula, wide.correlation, d),
    })}\n`,
  )
  process.exit(0)
}

const widths = process.argv.length > 2 ? process.argv.slice(2).map(Number) : [50, 100, 250, 500, 1000, 2000]
for (const d of widths) {
  const child = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--width', String(d)], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const line = child.stdout.split('\n').find((l) => l.startsWith('{'))
  if (line === undefined) throw new Error(`width ${d}: no result (exit ${child.status})`)
  const r = JSON.parse(line) as Record<string, number | string>
  const tag = `${d} columns × ${ROWS.toLocaleString('en-US')} rows, ${r.structure}`
  emit(`synth wide fit ${tag} (wall)`, r.fitWall as number, 's', d === 1000 ? '≤ 10 s' : undefined)
  emit(`synth wide fit ${tag} (cpu)`, r.fitCpu as number, 's')
  emit(
    `synth wide sample rate ${tag} (wall)`,
    r.rowsPerSecondWall as number,
    'rows/s',
    d === 1000 ? '≥ 20k' : undefined,
  )
  emit(`synth wide sample rate ${tag} (cpu)`, r.rowsPerSecondCpu as number, 'rows/s')
  emit(
    `synth wide steady sample rate ${tag} (wall)`,
    r.steadyRowsPerSecondWall as number,
    'rows/s',
    d === 1000 ? '≥ 20k' : undefined,
  )
  emit(`synth wide steady sample rate ${tag} (cpu)`, r.steadyRowsPerSecondCpu as number, 'rows/s')
  emit(`synth wide peak RSS ${tag}`, (r.maxRssBytes as number) / 2 ** 20, 'MiB')
  emit(`synth wide Column Shapes ${tag} (first 50 columns)`, r.columnShapes as number, 'score')
  emit(`synth wide Column Pair Trends ${tag} (first 50 columns)`, r.columnPairTrends as number, 'score')
  emit(`synth wide latent correlation RMS error ${tag}`, r.recoveryRmse as number, '')
}

// The quality cost of the factor structure, where the dense copula still runs: Adult (half vs half) and the
// known-structure table at 100 and 250 columns.
if (process.argv.length <= 2) {
  const adult = await readTable(resolve(here, '../test/data/adult.csv'), { nullValues: ['?', ''] })
  const half = Math.floor(adult.numRows / 2)
  const take = (from: number, to: number): Table =>
    tableFromColumns(
      adult.columns.map((c): Column => {
        if (c.kind === 'categorical') return { ...c, codes: c.codes.slice(from, to) }
        if (c.kind === 'text' || c.kind === 'id') return { ...c, values: c.values.slice(from, to) }
        return {
          ...c,
          values: c.values.slice(from, to),
          valid: (c as { valid: Uint8Array | null }).valid?.slice(from, to) ?? null,
        } as Column
      }),
    )
  const train = take(0, half)
  const test = take(half, adult.numRows)
  for (const structure of ['dense', 'factor'] as const) {
    const { file, cpu } = fitWith(train, structure)
    const q = evaluateSynthetic({
      real: test,
      synthetic: createCopulaModel(file).sample(test.numRows, { seed: 9 }),
    }).quality
    const tag = `Adult half vs half, ${structure}${file.copula && 'loadings' in file.copula ? ` k=${file.copula.loadings[0]?.length}` : ''}`
    emit(`synth wide quality ${tag}: overall`, q.overall, 'score')
    emit(`synth wide quality ${tag}: Column Shapes`, q.columnShapes, 'score')
    emit(`synth wide quality ${tag}: Column Pair Trends`, q.columnPairTrends, 'score')
    emit(`synth wide fit ${tag} (cpu)`, cpu, 's')
  }
  for (const d of [100, 250]) {
    const wide = wideTable({ columns: d, rows: ROWS, seed: 7 })
    for (const structure of ['dense', 'factor'] as const) {
      const { file, cpu } = fitWith(wide.table, structure)
      const rows = createCopulaModel(file).sample(ROWS, { seed: 9 })
      const q = evaluateSynthetic({ real: firstColumns(wide.table, 50), synthetic: firstColumns(rows, 50) }).quality
      const tag = `${d} columns, ${structure}`
      emit(`synth wide quality ${tag}: Column Pair Trends (first 50 columns)`, q.columnPairTrends, 'score')
      emit(
        `synth wide quality ${tag}: latent correlation RMS error`,
        recoveryError(file.copula as CopulaParams, wide.correlation, d),
        '',
      )
      emit(`synth wide fit ${tag} (cpu)`, cpu, 's')
    }
  }
}
