// The privacy attacks of `synth evaluate` (packages/synth/src/evaluate) on UCI Adult: 80% of the rows to train a
// copula, 20% held out as control, 26,049 synthetic rows. Run: node --import tsx bench/privacy.bench.ts (or
// `pnpm bench privacy`). Prints JSON lines { name, value, unit, target?, reference?, ratio? }.
// The Python reference (anonymeter) cannot be installed here; instead the exact search is compared, interleaved
// (pruned, plain, pruned, plain…), with a plain scan that computes every distance, as a brute-force search does.
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Table } from '@modelgate/core'
import { readTable } from '@modelgate/core'
import { evaluatePrivacyRisks, evaluateSynthetic, splitHoldout, trainSynthesizer } from '@modelgate/synth'
import { encodeAttackTables } from '../packages/synth/src/evaluate/encodeAttackTables.js'
import type { NeighborMatrix } from '../packages/synth/src/evaluate/nearestNeighbors.js'
import { nearestLeavingOneOut, TIE, toNeighborMatrix } from '../packages/synth/src/evaluate/nearestNeighbors.js'

const here = fileURLToPath(new URL('.', import.meta.url))
const adult = await readTable(resolve(here, '../test/data/adult.csv'), { nullValues: ['?', ''] })
const RUNS = 3

function emit(name: string, value: number, unit: string, target?: string, reference?: number): void {
  const figure: Record<string, unknown> = { name, value: Number(value.toPrecision(4)), unit }
  if (target !== undefined) figure.target = target
  if (reference !== undefined) {
    figure.reference = Number(reference.toPrecision(4))
    figure.ratio = Number((value / reference).toPrecision(3))
  }
  process.stdout.write(`${JSON.stringify(figure)}\n`)
}

function timed<T>(run: () => T): { result: T; wall: number; cpu: number } {
  const t = performance.now()
  const c = process.cpuUsage()
  const result = run()
  const used = process.cpuUsage(c)
  return { result, wall: (performance.now() - t) / 1000, cpu: (used.user + used.system) / 1e6 }
}

const { train, holdout } = splitHoldout(adult, { fraction: 0.2, seed: 1 })
const model = await trainSynthesizer(train, { seed: 1 })
const copula = model.sample(train.numRows, { seed: 2 })
let s = 11
const memorized: Table = (() => {
  const rows = Array.from({ length: train.numRows }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    return s % train.numRows
  })
  return {
    numRows: rows.length,
    columns: train.columns.map((c) => {
      switch (c.kind) {
        case 'categorical':
          return { ...c, codes: Int32Array.from(rows, (r) => c.codes[r] as number) }
        case 'text':
        case 'id':
          return { ...c, values: rows.map((r) => c.values[r] ?? null) }
        case 'boolean':
          return { ...c, values: Uint8Array.from(rows, (r) => c.values[r] as number), valid: null }
        default:
          return {
            ...c,
            values: Float64Array.from(rows, (r) => c.values[r] as number),
            valid: c.valid === null ? null : Uint8Array.from(rows, (r) => c.valid?.[r] as number),
          }
      }
    }),
  } as Table
})()

for (const [label, synthetic] of [
  ['copula', copula],
  ['memorized', memorized],
] as const) {
  let best = { wall: Number.POSITIVE_INFINITY, cpu: Number.POSITIVE_INFINITY }
  let last: ReturnType<typeof evaluatePrivacyRisks> | undefined
  for (let i = 0; i < RUNS; i++) {
    const r = timed(() => evaluatePrivacyRisks({ train, control: holdout, synthetic, seed: 1 }))
    last = r.result
    if (r.wall < best.wall) best = { wall: r.wall, cpu: r.cpu }
  }
  if (last === undefined) continue
  const name = `privacy attacks, Adult 26,049 train / 6,512 control / 26,049 ${label} rows, 500 attacks`
  emit(`${name} (wall)`, best.wall, 's', '≤ 10 s')
  emit(`${name} (cpu)`, best.cpu, 's')
  for (const [attack, ms] of Object.entries(last.timings))
    emit(`  ${label}: ${attack} (wall, last run)`, ms / 1000, 's')
  emit(`  ${label}: singling-out risk (max of 1 and 3 columns)`, last.summary.singlingOutRisk ?? 0, 'risk')
  emit(`  ${label}: linkability risk`, last.summary.linkabilityRisk ?? 0, 'risk')
  emit(`  ${label}: highest inference risk`, last.summary.inferenceRisk ?? 0, 'risk')
  emit(`  ${label}: membership-inference AUC`, last.summary.membershipAuc ?? 0, 'AUC')
  for (const c of last.checks) process.stderr.write(`  ${label} ${c.verdict} ${c.name}: ${c.message.slice(0, 160)}\n`)
}

const full = timed(() => evaluateSynthetic({ real: train, synthetic: copula, holdout, seed: 1 }))
emit('synth evaluate (quality + privacy, no target), Adult copula (wall)', full.wall, 's')
emit('synth evaluate (quality + privacy, no target), Adult copula (cpu)', full.cpu, 's')

// Ablation: the inference attack's search (every column the secret, 500 training targets) with the pruned
// leave-one-out pass against a plain scan computing every distance for every secret. Same neighbours required.
const names = train.columns.map((c) => c.name)
const encoded = encodeAttackTables(names, [train, holdout, copula])
const all = names.map((_, j) => j)
const targets = Uint32Array.from({ length: 500 }, (_, i) => i * 52)
const order = Uint32Array.from({ length: copula.numRows }, (_, i) => i)
const queries = toNeighborMatrix(encoded.tables[0] as never, encoded.columns, all, targets)
const candidates = toNeighborMatrix(encoded.tables[2] as never, encoded.columns, all, order)
const plain = (q: NeighborMatrix, c: NeighborMatrix): Int32Array => {
  const { width, categorical } = c
  const out = new Int32Array(q.count * width)
  const d = new Float64Array(c.count)
  for (let qi = 0; qi < q.count; qi++) {
    for (let secret = 0; secret < width; secret++) {
      for (let ci = 0; ci < c.count; ci++) {
        let sum = 0
        for (let j = 0; j < width; j++) {
          if (j === secret) continue
          const a = q.data[qi * width + j] as number
          const b = c.data[ci * width + j] as number
          if (j < categorical) sum += a === b ? 0 : 1
          else {
            const t = Math.abs(a - b)
            sum += Number.isNaN(t) ? (Number.isNaN(a) && Number.isNaN(b) ? 0 : 1) : t
          }
        }
        d[ci] = sum
      }
      let best = 0
      for (let ci = 1; ci < c.count; ci++) if ((d[ci] as number) < (d[best] as number) - TIE) best = ci
      out[qi * width + secret] = c.rows[best] as number
    }
  }
  return out
}
let pruned = Number.POSITIVE_INFINITY
let scan = Number.POSITIVE_INFINITY
for (let i = 0; i < RUNS; i++) {
  const a = timed(() => nearestLeavingOneOut(queries, candidates))
  const b = timed(() => plain(queries, candidates))
  if (a.result.some((x, k) => x !== b.result[k])) throw new Error('pruned and plain searches disagree')
  pruned = Math.min(pruned, a.cpu)
  scan = Math.min(scan, b.cpu)
}
emit('inference search, 500 targets × 15 secrets × 26,049 rows: pruned pass vs plain scan (cpu)', pruned, 's', '', scan)
