// Differential privacy of the copula synthesizer (issue 12): quality on UCI Adult at ε = 0.5, 1, 2, 5, 10 (train on a
// random half, compare with the other half: SDMetrics-style overall / Column Shapes / Column Pair Trends, TSTR ROC
// AUC for income), without a schema and with a schema declaring Adult's published categories and round public bounds;
// then a larger empirical privacy audit than the test suite's (Clopper–Pearson lower bound on ε, one row added).
// Run: node --import tsx bench/dp.bench.ts   (or `pnpm bench dp`); BENCH_DP_SEEDS (3), BENCH_DP_AUDIT_TRIALS (10,000).
// Prints JSON lines { name, value, unit }.
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Table, TableSchema } from '@modelgate/core'
import { createRandom, readTable, takeRows } from '@modelgate/core'
import type { SynthModelFile } from '@modelgate/synth'
import { evaluateSynthetic, fitSynthModelFile, loadSynthModel } from '@modelgate/synth'
import { auditPrivacy } from '../packages/synth/test/privacyAudit.js'

const here = fileURLToPath(new URL('.', import.meta.url))
const adultPath = resolve(here, '../test/data/adult.csv')
const SEEDS = Number(process.env.BENCH_DP_SEEDS ?? 3)
const TRIALS = Number(process.env.BENCH_DP_AUDIT_TRIALS ?? 10_000)
const EPSILONS = [0.5, 1, 2, 5, 10]

function emit(name: string, value: number, unit: string): void {
  process.stdout.write(`${JSON.stringify({ name, value: Number(value.toPrecision(4)), unit })}\n`)
}

const adult = await readTable(adultPath, { nullValues: ['?', ''] })
const random = createRandom(2026)
const order = Array.from({ length: adult.numRows }, (_, i) => i)
for (let i = order.length - 1; i > 0; i--) {
  const j = random.int(i + 1)
  ;[order[i], order[j]] = [order[j] as number, order[i] as number]
}
const half = Math.floor(order.length / 2)
const train = takeRows(adult, order.slice(0, half))
const holdout = takeRows(adult, order.slice(half))

// Public knowledge about Adult: the categories listed in the dataset's documentation (adult.names, the same lists as
// the data's distinct values) and round bounds anyone would declare. Nothing here is learned from the rows' values.
const bounds: Record<string, [number, number]> = {
  age: [0, 100],
  fnlwgt: [0, 1_500_000],
  'education-num': [1, 16],
  'capital-gain': [0, 100_000],
  'capital-loss': [0, 5_000],
  'hours-per-week': [0, 100],
}
const schema: TableSchema = {
  version: 1,
  columns: adult.columns.map((c) =>
    c.kind === 'categorical'
      ? { name: c.name, kind: 'categorical', nullable: true, values: [...c.dictionary] }
      : { name: c.name, kind: c.kind, nullable: true, min: bounds[c.name]?.[0] ?? 0, max: bounds[c.name]?.[1] ?? 1 },
  ),
}

async function quality(
  label: string,
  fit: (seed: number) => SynthModelFile,
): Promise<{ overall: number; shapes: number; pairs: number; tstr: number; seconds: number }> {
  const sum = { overall: 0, shapes: 0, pairs: 0, tstr: 0, seconds: 0 }
  for (let seed = 1; seed <= SEEDS; seed++) {
    const t = performance.now()
    const file = fit(seed)
    sum.seconds += (performance.now() - t) / 1000
    const synthetic = (await loadSynthModel(file)).sample(train.numRows, { seed: 100 + seed })
    const q = evaluateSynthetic({ real: holdout, synthetic }).quality
    const u = evaluateSynthetic({ real: train, synthetic, holdout, target: 'income', seed: 3 }).report.summary
    sum.overall += q.overall
    sum.shapes += q.columnShapes
    sum.pairs += q.columnPairTrends
    sum.tstr += u.tstrAuc as number
  }
  const mean = {
    overall: sum.overall / SEEDS,
    shapes: sum.shapes / SEEDS,
    pairs: sum.pairs / SEEDS,
    tstr: sum.tstr / SEEDS,
    seconds: sum.seconds / SEEDS,
  }
  emit(`Adult ${label}: quality overall (mean of ${SEEDS} seeds)`, mean.overall, 'score')
  emit(`Adult ${label}: Column Shapes`, mean.shapes, 'score')
  emit(`Adult ${label}: Column Pair Trends`, mean.pairs, 'score')
  emit(`Adult ${label}: TSTR ROC AUC (income)`, mean.tstr, 'AUC')
  emit(`Adult ${label}: fit`, mean.seconds, 's')
  return mean
}

await quality('no DP', (seed) => fitSynthModelFile(train, { seed }))
for (const epsilon of EPSILONS) await quality(`ε = ${epsilon}`, (seed) => fitSynthModelFile(train, { seed, epsilon }))
for (const epsilon of EPSILONS)
  await quality(`ε = ${epsilon}, public schema`, (seed) => fitSynthModelFile(train, { seed, epsilon, schema }))

// The audit: a one-column table, a category held by τ − 1 rows and then τ (its selection threshold), ε = 1.
const repeat = <T>(value: T, times: number): T[] => Array.from({ length: times }, () => value)
const cities = (rare: number): Table => {
  const values = [...repeat('north', 150), ...repeat('south', 100), ...repeat('east', 50), ...repeat('Zanzibar', rare)]
  const dictionary = [...new Set(values)]
  const index = new Map(dictionary.map((v, i) => [v, i]))
  return {
    numRows: values.length,
    columns: [
      { kind: 'categorical', name: 'city', codes: Int32Array.from(values, (v) => index.get(v) as number), dictionary },
    ],
  }
}
const fitDp = (t: Table, seed: number): SynthModelFile => fitSynthModelFile(t, { seed, epsilon: 1, delta: 1e-6 })
const threshold = fitDp(cities(0), 0).privacy.dp?.mechanisms[0]?.threshold as number
const t0 = performance.now()
const outcome = auditPrivacy(
  fitDp,
  {
    name: 'category at its selection threshold',
    table: cities(threshold - 1),
    neighbour: cities(threshold),
    event: (f) => f.columns.some((c) => c.kind === 'categorical' && c.categories.some((x) => x.value === 'Zanzibar')),
  },
  { trials: TRIALS, delta: 1e-6 },
)
emit(
  `audit ε = 1, category seen ${threshold - 1} → ${threshold} times: stored in (of ${TRIALS})`,
  outcome.inTable,
  'models',
)
emit(`audit ε = 1, category seen ${threshold} times: stored in (of ${TRIALS})`, outcome.inNeighbour, 'models')
emit('audit ε = 1: lower bound on ε (95%)', outcome.epsilonLower, 'ε')
emit('audit: wall time', (performance.now() - t0) / 1000, 's')
