import type { CategoricalColumnModel, CopulaParams, NumericColumnModel } from '../../modelFile.js'
import { continuousCdf } from '../continuous.js'
import { firstPrincipalAxis } from '../firstPrincipalAxis.js'
import { repairCorrelation } from '../linalg.js'
import type { ColumnProfile } from '../profileColumn.js'
import { normalPpf } from '../special.js'
import { bivariateNormalCdf } from './bivariateNormalCdf.js'
import type { PrivacyLedger } from './createPrivacyLedger.js'

export interface FitDpCopulaOptions {
  readonly ledger: PrivacyLedger
  /** The budget of all contingency tables together. */
  readonly epsilon: number
}

/** How one latent dimension splits the rows into ordered bins: several (a categorical's categories) or two. */
interface DimBins {
  readonly column: string
  readonly part: 'value' | 'null'
  kind: 'multi' | 'binary' | 'none'
  /** Number of bins (K for multi, 2 for binary). */
  count: number
  /** Bin of a row, −1 where the row has no value for this dimension. */
  binOf: (row: number) => number
  readonly profile: ColumnProfile
}

/**
 * The DP copula: correlations of the latent normal dimensions estimated from noisy contingency tables
 * (polychoric / tetrachoric correlation: Pearson 1900, Olsson 1979), the way marginal-based DP synthesizers measure
 * dependence (NIST-contest MST, McKenna et al. 2021) but fed to a Gaussian copula as DPCopula does (Li, Xiong &
 * Jiang 2014, which used Kendall's τ instead). Every dimension splits the rows into ordered bins: two at a cut
 * near the middle of its DP marginal (numeric values, booleans, null indicators, two-category columns), or one per
 * category for a categorical column with three or more. Each pair of dimensions of different columns gets one
 * table of counts of the rows where both have a value; one added row changes each table by at most 1 in one cell,
 * so T tables have L1 sensitivity T and each cell gets discrete Laplace noise of scale T/ε. Rows missing either
 * value are simply not in the table (pairwise-complete, with no private row count in any scale).
 * 1. Tables of each many-category column against the two-bin dimensions are released first; the categories are
 *    ordered along the first principal axis of their noisy shares above each cut (optimal scaling on noisy tables,
 *    not on the data), and the column then gets its own cut.
 * 2. The remaining pairs are released as 2×2 tables at the cuts.
 * 3. For each table, ρ is the correlation of a standard bivariate normal whose rectangle probabilities, with
 *    thresholds at the table's own noisy margins, best fit the noisy cells in least squares.
 * The matrix is then repaired to positive definite. Mutates the categorical profiles' category order and keys.
 */
export function fitDpCopula(profiles: ColumnProfile[], options: FitDpCopulaOptions): CopulaParams {
  const dims: DimBins[] = []
  for (const p of profiles) {
    if (p.keys !== null && p.model.nullRate < 1) dims.push(valueBins(p))
    if (p.model.nullRate > 0 && p.model.nullRate < 1) {
      const isNull = p.isNull
      dims.push({
        column: p.model.name,
        part: 'null',
        kind: 'binary',
        count: 2,
        binOf: (r) => isNull[r] as number,
        profile: p,
      })
    }
  }
  const d = dims.length
  const numRows = profiles[0]?.isNull.length ?? 0
  const pairs: [number, number][] = []
  for (let i = 0; i < d; i++)
    for (let j = i + 1; j < d; j++) {
      const a = dims[i] as DimBins
      const b = dims[j] as DimBins
      if (a.column !== b.column && a.kind !== 'none' && b.kind !== 'none') pairs.push([i, j])
    }
  const corr = new Float64Array(d * d)
  for (let i = 0; i < d; i++) corr[i * d + i] = 1
  if (pairs.length > 0 && options.epsilon > 0) {
    const total = pairs.length
    const isPhase1 = ([i, j]: [number, number]): boolean =>
      ((dims[i] as DimBins).kind === 'multi') !== ((dims[j] as DimBins).kind === 'multi')
    const phase1 = pairs.filter(isPhase1)
    const phase2 = pairs.filter((p) => !isPhase1(p))
    const tables = new Map<string, { rows: number; cols: number; cells: Float64Array; pair: [number, number] }>()
    const release = (batch: [number, number][], label: string): void => {
      if (batch.length === 0) return
      const shapes = batch.map(([i, j]) => ({ rows: (dims[i] as DimBins).count, cols: (dims[j] as DimBins).count }))
      const size = shapes.reduce((s, x) => s + x.rows * x.cols, 0)
      const counts = new Float64Array(size)
      let offset = 0
      batch.forEach(([i, j], t) => {
        const a = dims[i] as DimBins
        const b = dims[j] as DimBins
        const cols = (shapes[t] as { cols: number }).cols
        for (let r = 0; r < numRows; r++) {
          const x = a.binOf(r)
          if (x < 0) continue
          const y = b.binOf(r)
          if (y < 0) continue
          counts[offset + x * cols + y] = (counts[offset + x * cols + y] as number) + 1
        }
        offset += (shapes[t] as { rows: number }).rows * cols
      })
      const { counts: noisy } = options.ledger.noisyCounts(
        {
          column: null,
          quantity: `${label}: ${batch.length} contingency tables of pairs of columns (of ${total}, each scale ${total}/ε)`,
          epsilon: (options.epsilon * batch.length) / total,
          sensitivity: batch.length,
        },
        counts,
      )
      offset = 0
      batch.forEach((pair, t) => {
        const { rows, cols } = shapes[t] as { rows: number; cols: number }
        tables.set(`${pair[0]},${pair[1]}`, { rows, cols, cells: noisy.slice(offset, offset + rows * cols), pair })
        offset += rows * cols
      })
    }
    release(phase1, 'categories against cuts')
    // Order each many-category column from its noisy tables, then give it a cut.
    for (let c = 0; c < d; c++) {
      const dim = dims[c] as DimBins
      if (dim.kind !== 'multi') continue
      const own = phase1
        .filter(([i, j]) => i === c || j === c)
        .map(
          (pair) =>
            tables.get(`${pair[0]},${pair[1]}`) as {
              rows: number
              cols: number
              cells: Float64Array
              pair: [number, number]
            },
        )
      const scale = total / options.epsilon
      const order = orderFromTables(dim, own, c, scale)
      reorder(dim, order, own, c)
      toBinary(dim)
    }
    release(phase2, 'pairs at their cuts')
    for (const { rows, cols, cells, pair } of tables.values()) {
      const [i, j] = pair
      // Phase-1 tables keep the category axis; a table is oriented (first dimension = rows).
      const rho = fitLatentCorrelation(cells, rows, cols)
      corr[i * d + j] = rho
      corr[j * d + i] = rho
    }
  }
  const repaired = d > 0 ? repairCorrelation(corr, d) : corr
  const matrix: number[][] = []
  for (let i = 0; i < d; i++) {
    const row: number[] = []
    for (let j = 0; j < d; j++) row.push(i === j ? 1 : Math.round((repaired[i * d + j] as number) * 1e6) / 1e6)
    matrix.push(row)
  }
  return { dims: dims.map((x) => ({ column: x.column, part: x.part })), correlation: matrix }
}

function valueBins(p: ColumnProfile): DimBins {
  const model = p.model
  const keys = p.keys as Float64Array
  const base = { column: model.name, part: 'value' as const, profile: p }
  const keyBin = (r: number): number => {
    const k = keys[r] as number
    return Number.isNaN(k) ? -1 : k
  }
  switch (model.kind) {
    case 'categorical': {
      const count = model.categories.length + (model.rare.mode === 'other' ? 1 : 0)
      return { ...base, kind: count >= 3 ? 'multi' : count === 2 ? 'binary' : 'none', count, binOf: keyBin }
    }
    case 'boolean':
      return { ...base, kind: model.pTrue > 0 && model.pTrue < 1 ? 'binary' : 'none', count: 2, binOf: keyBin }
    case 'numeric':
    case 'integer':
    case 'datetime': {
      const cut = numericCut(model)
      if (cut === null) return { ...base, kind: 'none', count: 1, binOf: () => -1 }
      const { value, inclusive } = cut
      return {
        ...base,
        kind: 'binary',
        count: 2,
        binOf: (r) => {
          const x = keys[r] as number
          if (Number.isNaN(x)) return -1
          return (inclusive ? x <= value : x < value) ? 0 : 1
        },
      }
    }
    case 'pii':
    case 'text':
      return { ...base, kind: 'none', count: 1, binOf: () => -1 }
  }
}

/** The cut of a numeric DP marginal nearest its median: rows below are `x ≤ value` (inclusive) or `x < value`. */
function numericCut(model: NumericColumnModel): { value: number; inclusive: boolean } | null {
  const spikes = model.spikes
  const cont = model.continuous
  const cdf = (x: number, inclusive: boolean): number => {
    let f = 0
    for (const s of spikes) if (inclusive ? s.value <= x : s.value < x) f += s.p
    if (cont !== null) f += cont.weight * continuousCdf(cont, x)
    return f
  }
  const candidates: { value: number; inclusive: boolean; share: number }[] = []
  for (const s of spikes) {
    candidates.push({ value: s.value, inclusive: false, share: cdf(s.value, false) })
    candidates.push({ value: s.value, inclusive: true, share: cdf(s.value, true) })
  }
  if (cont !== null && model.min !== null && model.max !== null) {
    let lo = model.min
    let hi = model.max
    for (let it = 0; it < 100 && hi > lo; it++) {
      const mid = (lo + hi) / 2
      if (cdf(mid, true) < 0.5) lo = mid
      else hi = mid
    }
    candidates.push({ value: hi, inclusive: true, share: cdf(hi, true) })
  }
  let best: { value: number; inclusive: boolean; share: number } | null = null
  for (const c of candidates) {
    if (!(c.share > 1e-9 && c.share < 1 - 1e-9)) continue
    if (best === null || Math.abs(c.share - 0.5) < Math.abs(best.share - 0.5)) best = c
  }
  return best === null ? null : { value: best.value, inclusive: best.inclusive }
}

type Table2 = { rows: number; cols: number; cells: Float64Array; pair: [number, number] }

/**
 * The order of a many-category column's kept categories (the `other` bucket stays last): the first principal axis
 * of each category's shares of rows above every other dimension's cut, shrunk towards the overall share by about
 * two noise scales of rows and weighted by the categories' DP probabilities.
 */
function orderFromTables(dim: DimBins, tables: readonly Table2[], c: number, scale: number): number[] {
  const model = dim.profile.model as CategoricalColumnModel
  const kept = model.categories.length
  const identity = Array.from({ length: kept }, (_, i) => i)
  if (tables.length === 0 || kept < 3) return identity
  const features = tables.length
  const shares = new Float64Array(kept * features)
  const lambda = 2 * scale
  tables.forEach((t, f) => {
    const rowsAreCategories = t.pair[0] === c
    const cell = (cat: number, side: number): number =>
      Math.max(0, (rowsAreCategories ? t.cells[cat * t.cols + side] : t.cells[side * t.cols + cat]) as number)
    let above = 0
    let all = 0
    for (let k = 0; k < dim.count; k++) {
      above += cell(k, 1)
      all += cell(k, 0) + cell(k, 1)
    }
    const overall = all > 0 ? above / all : 0.5
    for (let k = 0; k < kept; k++) {
      const a = cell(k, 1)
      const n = cell(k, 0) + a
      shares[k * features + f] = (a + lambda * overall) / (n + lambda)
    }
  })
  const weight = Float64Array.from(model.categories, (x) => x.p)
  const axis = firstPrincipalAxis(shares, weight, kept, features)
  const coord = identity.map((k) => {
    let s = 0
    for (let f = 0; f < features; f++) s += (shares[k * features + f] as number) * (axis[f] as number)
    return s
  })
  return identity.sort((a, b) => (coord[a] as number) - (coord[b] as number) || a - b)
}

/** Applies a new category order to the model, the keys and the phase-1 tables' category axis. */
function reorder(dim: DimBins, order: readonly number[], tables: readonly Table2[], c: number): void {
  const model = dim.profile.model as CategoricalColumnModel
  const kept = model.categories.length
  if (order.every((k, i) => k === i)) return
  const newIndex = new Int32Array(dim.count)
  for (let i = 0; i < dim.count; i++) newIndex[i] = i
  order.forEach((old, i) => {
    newIndex[old] = i
  })
  const keys = dim.profile.keys as Float64Array
  for (let r = 0; r < keys.length; r++) {
    const k = keys[r] as number
    if (!Number.isNaN(k) && k < kept) keys[r] = newIndex[k] as number
  }
  ;(model as { categories: { value: string; p: number }[] }).categories = order.map(
    (k) => model.categories[k] as { value: string; p: number },
  )
  for (const t of tables) {
    const rowsAreCategories = t.pair[0] === c
    const old = t.cells.slice()
    for (let k = 0; k < dim.count; k++) {
      const to = newIndex[k] as number
      for (let s = 0; s < 2; s++) {
        if (rowsAreCategories) t.cells[to * t.cols + s] = old[k * t.cols + s] as number
        else t.cells[s * t.cols + to] = old[s * t.cols + k] as number
      }
    }
  }
}

/** Turns a many-category dimension into two bins at the category boundary nearest the middle of its DP marginal. */
function toBinary(dim: DimBins): void {
  const model = dim.profile.model as CategoricalColumnModel
  const probs = [...model.categories.map((x) => x.p), ...(model.rare.mode === 'other' ? [model.rare.p] : [])]
  const total = probs.reduce((a, b) => a + b, 0) || 1
  let cum = 0
  let best = 1
  let bestGap = Number.POSITIVE_INFINITY
  for (let b = 1; b < probs.length; b++) {
    cum += (probs[b - 1] as number) / total
    if (Math.abs(cum - 0.5) < bestGap) {
      bestGap = Math.abs(cum - 0.5)
      best = b
    }
  }
  const keyBin = dim.binOf
  dim.kind = 'binary'
  dim.count = 2
  dim.binOf = (r) => {
    const k = keyBin(r)
    return k < 0 ? -1 : k < best ? 0 : 1
  }
}

/**
 * The latent correlation behind a noisy rows × cols table of ordered bins: thresholds from the table's margins
 * (noisy cells clamped at zero), then the ρ whose bivariate normal rectangle probabilities fit the cells best in
 * least squares (a grid over [−0.995, 0.995], refined by golden-section search). 0 when a margin has a single bin.
 */
function fitLatentCorrelation(noisy: Float64Array, rows: number, cols: number): number {
  const cells = Float64Array.from(noisy, (x) => Math.max(0, x))
  let n = 0
  const rowSum = new Float64Array(rows)
  const colSum = new Float64Array(cols)
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < cols; j++) {
      const v = cells[i * cols + j] as number
      n += v
      rowSum[i] = (rowSum[i] as number) + v
      colSum[j] = (colSum[j] as number) + v
    }
  if (!(n > 0)) return 0
  const a = thresholds(rowSum, n)
  const b = thresholds(colSum, n)
  if (a === null || b === null) return 0
  const sse = (rho: number): number => {
    const g = new Float64Array((rows + 1) * (cols + 1))
    for (let i = 0; i <= rows; i++)
      for (let j = 0; j <= cols; j++) g[i * (cols + 1) + j] = bivariateNormalCdf(a[i] as number, b[j] as number, rho)
    let s = 0
    for (let i = 0; i < rows; i++)
      for (let j = 0; j < cols; j++) {
        const p =
          (g[(i + 1) * (cols + 1) + j + 1] as number) -
          (g[i * (cols + 1) + j + 1] as number) -
          (g[(i + 1) * (cols + 1) + j] as number) +
          (g[i * (cols + 1) + j] as number)
        const e = (cells[i * cols + j] as number) - n * p
        s += e * e
      }
    return s
  }
  let best = 0
  let bestValue = sse(0)
  for (let x = -0.995; x <= 0.995 + 1e-9; x += 0.05) {
    const v = sse(x)
    if (v < bestValue) {
      bestValue = v
      best = x
    }
  }
  let lo = Math.max(-0.995, best - 0.05)
  let hi = Math.min(0.995, best + 0.05)
  const phi = (Math.sqrt(5) - 1) / 2
  let x1 = hi - phi * (hi - lo)
  let x2 = lo + phi * (hi - lo)
  let f1 = sse(x1)
  let f2 = sse(x2)
  for (let it = 0; it < 40; it++) {
    if (f1 <= f2) {
      hi = x2
      x2 = x1
      f2 = f1
      x1 = hi - phi * (hi - lo)
      f1 = sse(x1)
    } else {
      lo = x1
      x1 = x2
      f1 = f2
      x2 = lo + phi * (hi - lo)
      f2 = sse(x2)
    }
  }
  const rho = (lo + hi) / 2
  return sse(rho) <= bestValue ? rho : best
}

/** Latent thresholds −∞ = t₀ ≤ t₁ ≤ … ≤ t_K = ∞ from bin totals; null when fewer than two bins hold anything. */
function thresholds(sums: Float64Array, n: number): Float64Array | null {
  let nonEmpty = 0
  for (const s of sums) if (s > 0) nonEmpty++
  if (nonEmpty < 2) return null
  const t = new Float64Array(sums.length + 1)
  t[0] = Number.NEGATIVE_INFINITY
  let cum = 0
  for (let i = 0; i < sums.length; i++) {
    cum += sums[i] as number
    const p = cum / n
    t[i + 1] =
      i === sums.length - 1 || p >= 1 ? Number.POSITIVE_INFINITY : p <= 0 ? Number.NEGATIVE_INFINITY : normalPpf(p)
  }
  return t
}
