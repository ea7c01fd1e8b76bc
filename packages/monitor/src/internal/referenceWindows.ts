import type { Column, Random, Table } from '@modelgate/core'
import { tableFromColumns, takeRows } from '@modelgate/core'
import type { Baseline, ColumnBaseline } from '@modelgate/drift'

/**
 * Draws one window of `rows` rows as live traffic would look under no drift.
 *
 * Live windows come from the population and are compared with the reference, itself a sample of it; a window drawn
 * from the reference alone would miss the reference's own sampling noise, and thresholds set on such windows alarm
 * too often (bench/monitor-calibration.bench.ts, 1,000-event windows, 20,000 reference rows, 15 alarms budgeted over
 * 1,500 windows: 22 without the resample, 15 with it). So each
 * window is drawn from a fresh stand-in for the population: a resample of the reference of its own size (the double
 * bootstrap), then the window's rows from that resample, with replacement.
 */
export type WindowSampler = (rows: number, random: Random) => Table

/**
 * From the reference rows: the resample is N uniform draws from the reference, and each window row one uniform draw
 * from the resample — kept lazily, only for the positions the window touches — so the columns' joint structure is kept.
 */
export function rowSampler(reference: Table): WindowSampler {
  const n = reference.numRows
  return (rows, random) => {
    const resample = new Map<number, number>()
    const indices = new Uint32Array(rows)
    for (let i = 0; i < rows; i++) {
      const j = random.int(n)
      let row = resample.get(j)
      if (row === undefined) {
        row = random.int(n)
        resample.set(j, row)
      }
      indices[i] = row
    }
    return takeRows(reference, indices)
  }
}

/** Gamma(shape, 1) by Marsaglia & Tsang (ACM TOMS 2000), boosted for shape < 1. */
function gamma(shape: number, random: Random): number {
  if (shape <= 0) return 0
  if (shape === 1) return -Math.log(random.uniform()) // the exponential (a sketch's level-0 items)
  if (shape < 1) return gamma(shape + 1, random) * random.uniform() ** (1 / shape)
  const d = shape - 1 / 3
  const c = 1 / Math.sqrt(9 * d)
  for (;;) {
    const x = random.normal()
    const v = (1 + c * x) ** 3
    if (v > 0 && Math.log(random.uniform()) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v
  }
}

/**
 * Weighted atoms (a sketch's retained items, bins, categories) and a window's draws from them: the weights of a
 * resample of the reference are Poisson around the stored counts — Gamma(count) here, the continuous form with the
 * same mean and variance — then each row is an atom drawn by those weights.
 */
class Atoms {
  constructor(private readonly weights: Float64Array) {}

  /** The atom picker of one window (perturbed weights, cumulative, binary search). */
  forWindow(random: Random): (random: Random) => number {
    const cumulative = new Float64Array(this.weights.length)
    let total = 0
    for (let i = 0; i < cumulative.length; i++) {
      total += gamma(this.weights[i] as number, random)
      cumulative[i] = total
    }
    return (r) => {
      const u = r.uniform() * total
      let lo = 0
      let hi = cumulative.length - 1
      while (lo < hi) {
        const mid = (lo + hi) >>> 1
        if ((cumulative[mid] as number) <= u) lo = mid + 1
        else hi = mid
      }
      return lo
    }
  }
}

/** A numeric column's atoms: the KLL sketch's retained items (weight 2^level), else the quantile bins. */
function numericAtoms(column: Extract<ColumnBaseline, { kind: 'numeric' }>): {
  atoms: Atoms
  value: (atom: number, random: Random) => number
} {
  const items: [number, number][] = []
  column.sketch?.levels.forEach((level, h) => {
    for (const v of level) items.push([v, 2 ** h])
  })
  if (items.length > 0) {
    items.sort((a, b) => a[0] - b[0])
    const values = Float64Array.from(items, (i) => i[0])
    return { atoms: new Atoms(Float64Array.from(items, (i) => i[1])), value: (a) => values[a] as number }
  }
  // bins: uniform within a bin; the open tails end at the trimmed range
  const { edges, trimmedMin, trimmedMax } = column
  const bounds = [
    Math.min(trimmedMin, edges[0] ?? trimmedMin),
    ...edges,
    Math.max(trimmedMax, edges.at(-1) ?? trimmedMax),
  ]
  return {
    atoms: new Atoms(Float64Array.from(column.binCounts)),
    value: (a, random) => {
      const lo = bounds[a] as number
      return lo + ((bounds[a + 1] as number) - lo) * random.uniform()
    },
  }
}

/**
 * Windows drawn from the baseline alone (no reference rows): each column independently from its stored marginal —
 * numeric values from the reference's KLL sketch (its retained items by weight; the bins without a sketch),
 * categories by their counts (the folded rare ones as one unseen placeholder), nulls at the reference's rate — each
 * resampled per window as above. Columns are independent in these windows, which is what a per-feature statistic
 * sees; a rule over several features is calibrated as if their noise were independent. Identifier, PII and skipped
 * columns are left out (no drift test runs on them).
 */
export function baselineSampler(baseline: Baseline): WindowSampler {
  interface Plan {
    readonly column: ColumnBaseline
    readonly nulls: Atoms
    readonly atoms: Atoms
    readonly value: (atom: number, random: Random) => number
    /** Category keys (categorical columns), null for numeric ones. */
    readonly dictionary: readonly string[] | null
  }
  const plans = baseline.columns.flatMap((column): Plan[] => {
    const nulls = new Atoms(Float64Array.of(column.nulls, column.rows - column.nulls))
    if (column.kind === 'numeric') return [{ column, nulls, ...numericAtoms(column), dictionary: null }]
    if (column.kind === 'categorical') {
      return [
        {
          column,
          nulls,
          atoms: new Atoms(Float64Array.from([...column.categories.map(([, c]) => c), column.other])),
          value: (a: number) => a,
          dictionary: [...column.categories.map(([key]) => key), '\u0000other'],
        },
      ]
    }
    return []
  })
  return (rows, random) =>
    tableFromColumns(
      plans.map(({ column, nulls, atoms, value, dictionary }): Column => {
        const isNull = column.nulls === 0 ? null : nulls.forWindow(random)
        const pick = atoms.forWindow(random)
        if (dictionary === null) {
          const values = new Float64Array(rows)
          const valid = isNull === null ? null : new Uint8Array(rows)
          for (let i = 0; i < rows; i++) {
            if (valid !== null && isNull?.(random) === 0) continue
            values[i] = value(pick(random), random)
            if (valid !== null) valid[i] = 1
          }
          return { kind: 'numeric', name: column.name, values, valid }
        }
        const codes = new Int32Array(rows)
        for (let i = 0; i < rows; i++) codes[i] = isNull?.(random) === 0 ? -1 : pick(random)
        return { kind: 'categorical', name: column.name, codes, dictionary }
      }),
    )
}
