import { ksTest, pearson as pearsonR } from '@modelgate/stats'
import type { EvalColumn } from './evalColumn.js'

interface ShapeScore {
  readonly column: string
  readonly metric: 'KSComplement' | 'TVComplement'
  readonly score: number
}

interface PairScore {
  readonly columns: readonly [string, string]
  readonly metric: 'CorrelationSimilarity' | 'ContingencySimilarity'
  readonly score: number
  /** Pearson correlations, for numeric pairs. */
  readonly real?: number
  readonly synthetic?: number
}

export interface QualityScores {
  readonly shapes: readonly ShapeScore[]
  readonly pairs: readonly PairScore[]
  readonly columnShapes: number
  readonly columnPairTrends: number
  readonly overall: number
}

/**
 * Quality as SDMetrics' Quality Report defines it (documented formulas, our implementation): Column Shapes
 * = 1 − KS statistic (numeric, datetime) or 1 − total variation distance (categorical); Column Pair Trends
 * = 1 − |ρ_real − ρ_synth| / 2 for numeric pairs (Pearson) and 1 − TV distance of the joint distribution
 * for other pairs (numeric binned into 10 equal-width bins of the real range); overall = their mean.
 */
export function computeQuality(columns: readonly EvalColumn[]): QualityScores {
  const shapes: ShapeScore[] = columns.map((c) =>
    c.type === 'numeric'
      ? { column: c.name, metric: 'KSComplement', score: 1 - ksTwoSample(c.real, c.synthetic) }
      : { column: c.name, metric: 'TVComplement', score: 1 - tvDistance(c.real, c.synthetic, c.dictionary.length) },
  )
  const binned = columns.map((c) =>
    c.type === 'numeric'
      ? binNumeric(c.real, c.synthetic, 10)
      : { real: c.real, synthetic: c.synthetic, size: c.dictionary.length },
  )
  const pairs: PairScore[] = []
  for (let i = 0; i < columns.length; i++) {
    for (let j = i + 1; j < columns.length; j++) {
      const a = columns[i] as EvalColumn
      const b = columns[j] as EvalColumn
      if (a.type === 'numeric' && b.type === 'numeric') {
        const real = pearson(a.real, b.real)
        const synthetic = pearson(a.synthetic, b.synthetic)
        pairs.push({
          columns: [a.name, b.name],
          metric: 'CorrelationSimilarity',
          score: 1 - Math.abs(real - synthetic) / 2,
          real,
          synthetic,
        })
      } else {
        const ba = binned[i] as Binned
        const bb = binned[j] as Binned
        pairs.push({ columns: [a.name, b.name], metric: 'ContingencySimilarity', score: 1 - jointTv(ba, bb) })
      }
    }
  }
  const columnShapes = mean(shapes.map((s) => s.score))
  const columnPairTrends = pairs.length === 0 ? columnShapes : mean(pairs.map((p) => p.score))
  return { shapes, pairs, columnShapes, columnPairTrends, overall: (columnShapes + columnPairTrends) / 2 }
}

interface Binned {
  readonly real: Int32Array
  readonly synthetic: Int32Array
  readonly size: number
}

function binNumeric(real: Float64Array, synthetic: Float64Array, bins: number): Binned {
  let lo = Number.POSITIVE_INFINITY
  let hi = Number.NEGATIVE_INFINITY
  for (const v of real)
    if (!Number.isNaN(v)) {
      if (v < lo) lo = v
      if (v > hi) hi = v
    }
  const width = hi > lo ? (hi - lo) / bins : 1
  const bin = (v: number): number =>
    Number.isNaN(v)
      ? -1
      : Math.min(bins - 1, Math.max(0, Math.floor((v - (lo === Number.POSITIVE_INFINITY ? 0 : lo)) / width)))
  return { real: Int32Array.from(real, bin), synthetic: Int32Array.from(synthetic, bin), size: bins }
}

/** Total variation between the real and synthetic joint distributions of two binned columns (rows null in either left out). */
function jointTv(a: Binned, b: Binned): number {
  const cells = (x: Int32Array, y: Int32Array): Int32Array => {
    const out = new Int32Array(x.length)
    for (let i = 0; i < x.length; i++) {
      const xi = x[i] as number
      const yi = y[i] as number
      out[i] = xi >= 0 && yi >= 0 ? xi * b.size + yi : -1
    }
    return out
  }
  return tvDistance(cells(a.real, b.real), cells(a.synthetic, b.synthetic), a.size * b.size)
}

function tvDistance(real: Int32Array, synthetic: Int32Array, size: number): number {
  const pr = new Float64Array(size)
  const ps = new Float64Array(size)
  let nr = 0
  let ns = 0
  for (const c of real)
    if (c >= 0) {
      pr[c] = (pr[c] as number) + 1
      nr++
    }
  for (const c of synthetic)
    if (c >= 0) {
      ps[c] = (ps[c] as number) + 1
      ns++
    }
  if (nr === 0 || ns === 0) return nr === ns ? 0 : 1
  let tv = 0
  for (let k = 0; k < size; k++) tv += Math.abs((pr[k] as number) / nr - (ps[k] as number) / ns)
  return tv / 2
}

/** Two-sample Kolmogorov–Smirnov statistic over non-null values (@modelgate/stats, checked against scipy). */
function ksTwoSample(a: Float64Array, b: Float64Array): number {
  const x = a.filter((v) => !Number.isNaN(v))
  const y = b.filter((v) => !Number.isNaN(v))
  if (x.length === 0 || y.length === 0) return x.length === y.length ? 0 : 1
  return ksTest(x, y, { method: 'asymptotic' }).statistic
}

/** Pearson's r over the rows where both values are present (NaN = missing); 0 when undefined (n < 2 or constant). */
export function pearson(a: Float64Array, b: Float64Array): number {
  const x = new Float64Array(a.length)
  const y = new Float64Array(a.length)
  let n = 0
  for (let i = 0; i < a.length; i++) {
    const u = a[i] as number
    const v = b[i] as number
    if (Number.isNaN(u) || Number.isNaN(v)) continue
    x[n] = u
    y[n] = v
    n++
  }
  if (n < 2) return 0
  const r = pearsonR(x.subarray(0, n), y.subarray(0, n))
  return Number.isNaN(r) ? 0 : r
}

function mean(xs: readonly number[]): number {
  return xs.length === 0 ? 1 : xs.reduce((a, b) => a + b, 0) / xs.length
}
