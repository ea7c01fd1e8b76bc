// The drift engine against issue #14's targets. Run: `pnpm bench drift` (builds first; the CLI figure runs the built
// bin). Prints JSON lines { name, value, unit, target?, reference?, ratio? }; ratio = ours / reference (< 1: faster).
// Evidently does not run on this machine (no pip, no network besides npm and Debian): the reference figures are the
// ones quoted in issue #14 (Evidently 0.7.21, default DataDriftPreset, compute only, data in memory, this machine
// type: 52.9 s legacy API, 80.2 s new API, 1.1–1.4 GB peak RSS for 1M × 1M × 20 columns).
// Every timing is the best of RUNS after a warm-up and is printed with the 1-minute load average: the machine has
// 2 cores shared with other jobs, so a loaded figure is an upper bound.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Report, Table } from '@modelgate/core'
import { createRandom, tableFromColumns, takeRows, writeTable } from '@modelgate/core'
import { baselineFromJSON, buildBaseline, checkDrift } from '@modelgate/drift'
import { driftData, SHIFTED_COLUMNS } from './driftData.js'

const ROWS = 1_000_000
const RUNS = 3
const EVIDENTLY_LEGACY_S = 52.9

function emit(name: string, value: number, unit: string, extra: Record<string, unknown> = {}): void {
  process.stdout.write(
    `${JSON.stringify({ name, value: Number(value.toPrecision(4)), unit, load: Number(loadavg()[0]?.toFixed(2)), ...extra })}\n`,
  )
}

function best(fn: () => unknown): number {
  fn()
  let min = Number.POSITIVE_INFINITY
  for (let r = 0; r < RUNS; r++) {
    const t0 = performance.now()
    fn()
    min = Math.min(min, performance.now() - t0)
  }
  return min / 1000
}

const drifted = (report: Report): string[] =>
  report.checks
    .filter(
      (c) => c.id.startsWith('drift.column.') && (c.details as { drifted?: boolean } | undefined)?.drifted === true,
    )
    .map((c) => c.name)
const failed = (report: Report): string[] => report.checks.filter((c) => c.verdict === 'fail').map((c) => c.id)

process.stderr.write(`generating ${ROWS.toLocaleString('en-US')} × 2 rows × 20 columns…\n`)
const reference = driftData({ rows: ROWS, seed: 1 })
const current = driftData({ rows: ROWS, seed: 2, shift: true })

// 1. in memory, raw reference vs raw current (Evidently's setting)
let report = checkDrift(reference, current)
const flagged = drifted(report)
const inMemory = best(() => checkDrift(reference, current))
emit('drift 1M × 1M × 20 columns, raw reference in memory', inMemory, 's', {
  target: '≤ 2 s',
  reference: EVIDENTLY_LEGACY_S,
  ratio: inMemory / EVIDENTLY_LEGACY_S,
  flagged: flagged.join(','),
  exact:
    flagged.join(',') === [...SHIFTED_COLUMNS].sort().join(',') ||
    flagged.sort().join(',') === [...SHIFTED_COLUMNS].sort().join(','),
})
emit('drift in memory: peak RSS (both tables resident)', process.memoryUsage().rss / 2 ** 20, 'MiB', {
  target: '≤ 500 MB',
  reference: 1100,
})

// 2. from a baseline file
const baselineText = JSON.stringify(buildBaseline(reference))
emit('drift baseline file size (20 columns)', baselineText.length / 1024, 'KiB')
const buildSeconds = best(() => buildBaseline(reference))
emit('drift baseline build, 1M rows × 20 columns (with sketches)', buildSeconds, 's')
const fromBaseline = best(() => checkDrift(baselineFromJSON(baselineText), current))
emit('drift 1M current rows against a baseline file (parse + check)', fromBaseline, 's', {
  target: '≤ 1 s',
  reference: EVIDENTLY_LEGACY_S,
  ratio: fromBaseline / EVIDENTLY_LEGACY_S,
})

// 3. the CLI end to end from two 1M-row Parquet files
const dir = mkdtempSync(join(tmpdir(), 'modelgate-drift-bench-'))
try {
  await writeTable(join(dir, 'reference.parquet'), reference)
  await writeTable(join(dir, 'current.parquet'), current)
  const cli = (): number => {
    const t0 = performance.now()
    const r = spawnSync(
      process.execPath,
      [
        'packages/cli/bin/modelgate.js',
        'drift',
        '--reference',
        join(dir, 'reference.parquet'),
        '--current',
        join(dir, 'current.parquet'),
        '--json',
      ],
      { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
    )
    if (r.status !== 1) throw new Error(`modelgate drift exited ${r.status}: ${r.stderr}`)
    return (performance.now() - t0) / 1000
  }
  cli()
  const cliSeconds = Math.min(cli(), cli())
  emit('modelgate drift CLI, two 1M-row Parquet files, end to end', cliSeconds, 's', {
    target: '≤ 6 s',
    reference: EVIDENTLY_LEGACY_S,
    ratio: cliSeconds / EVIDENTLY_LEGACY_S,
  })
} finally {
  rmSync(dir, { recursive: true, force: true })
}

// 4. detection on 100k-row windows against the 1M baseline
const baseline = baselineFromJSON(baselineText)
const window = driftData({ rows: 100_000, seed: 3 })
const withColumn = (t: Table, name: string, f: (c: Table['columns'][number]) => Table['columns'][number]): Table =>
  tableFromColumns(t.columns.map((c) => (c.name === name ? f(c) : c)))
const rng = createRandom(4)
const nulled = withColumn(window, 'lognormal', (c) => {
  if (c.kind !== 'numeric') return c
  const valid = new Uint8Array(c.values.length).fill(1)
  for (let i = 0; i < valid.length; i++) if (rng.uniform() < 0.4) valid[i] = 0
  return { ...c, valid }
})
report = checkDrift(baseline, nulled)
emit(
  'detection: lognormal 0% → 40% null',
  failed(report).includes('drift.quality.null_rate.lognormal') ? 1 : 0,
  'caught',
  {
    failing: failed(report).join(','),
  },
)
const shifted = withColumn(window, 'laplace', (c) => {
  if (c.kind !== 'numeric') return c
  const sd = Math.SQRT2 // Laplace(0, 1)
  return { ...c, values: c.values.map((v) => v + 0.5 * sd) }
})
report = checkDrift(baseline, shifted)
emit('detection: laplace +0.5σ mean shift', drifted(report).join(',') === 'laplace' ? 1 : 0, 'caught', {
  drifted: drifted(report).join(','),
})

const shuffled = withColumn(window, 'lognormal', (c) => {
  if (c.kind !== 'numeric') return c
  const values = Float64Array.from(c.values)
  for (let i = values.length - 1; i > 0; i--) {
    const j = rng.int(i + 1)
    const t = values[i] as number
    values[i] = values[j] as number
    values[j] = t
  }
  return { ...c, values }
})
report = checkDrift(baseline, shuffled)
const mv = report.checks.find((c) => c.id === 'drift.multivariate')
emit(
  'detection: lognormal shuffled against the others (marginals unchanged)',
  mv?.verdict === 'fail' && (mv.details as { named: string[] }).named.includes('lognormal') ? 1 : 0,
  'caught',
  { marginalDrift: drifted(report).join(',') || 'none', multivariate: mv?.message },
)

// 5. false alarms: 100 seeded random splits of one table, default gate
for (const [label, rows] of [
  ['large (10k vs 10k: Wasserstein / Jensen–Shannon)', 20_000],
  ['small (1k vs 1k: KS / chi-square / z, Holm)', 2_000],
] as const) {
  const table = driftData({ rows, seed: 5 })
  let alarms = 0
  for (let split = 0; split < 100; split++) {
    const r = createRandom(1000 + split, 'split')
    const order = Array.from({ length: rows }, (_, i) => i)
    for (let i = rows - 1; i > 0; i--) {
      const j = r.int(i + 1)
      ;[order[i], order[j]] = [order[j] as number, order[i] as number]
    }
    const a = takeRows(table, order.slice(0, rows / 2))
    const b = takeRows(table, order.slice(rows / 2))
    if (checkDrift(a, b).verdict === 'fail') alarms++
  }
  emit(`false alarms over 100 random splits, ${label}`, alarms / 100, 'share', { target: '≤ 0.05' })
}

// 6. small windows: 1,000-row windows against a 19,000-row reference, fixed thresholds vs learned (mean + 3σ)
{
  const rows = 20_000
  const table = driftData({ rows, seed: 6 })
  let fixedAlarms = 0
  let learnedAlarms = 0
  for (let split = 0; split < 100; split++) {
    const r = createRandom(2000 + split, 'split')
    const order = Array.from({ length: rows }, (_, i) => i)
    for (let i = rows - 1; i > 0; i--) {
      const j = r.int(i + 1)
      ;[order[i], order[j]] = [order[j] as number, order[i] as number]
    }
    const ref = takeRows(table, order.slice(0, 19_000))
    const cur = takeRows(table, order.slice(19_000))
    const b = buildBaseline(ref, { windowRows: [1000] })
    if (checkDrift(b, cur).verdict === 'fail') fixedAlarms++
    if (checkDrift(b, cur, { thresholds: 'learned' }).verdict === 'fail') learnedAlarms++
  }
  emit(
    'false alarms over 100 random splits, 1k-row windows vs 19k reference, fixed thresholds',
    fixedAlarms / 100,
    'share',
    {
      target: '≤ 0.05',
    },
  )
  emit(
    'false alarms over 100 random splits, 1k-row windows vs 19k reference, learned thresholds',
    learnedAlarms / 100,
    'share',
    {
      target: '≤ 0.01',
    },
  )
}
writeFileSync(join(tmpdir(), 'modelgate-drift-bench.done'), new Date().toISOString())
