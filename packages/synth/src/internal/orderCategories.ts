import type { Random } from '@modelgate/core'
import type { CategoricalColumnModel } from '../modelFile.js'
import { firstPrincipalAxis } from './firstPrincipalAxis.js'
import { normalScores } from './latentScores.js'
import type { ColumnProfile } from './profileColumn.js'

/**
 * Chooses the latent order of each categorical column's categories. A Gaussian copula only carries
 * monotone dependence, so frequency order (SDV's choice) scrambles relationships such as education ↔
 * education-num. We order categories along the first principal axis of their per-category mean normal
 * scores on all other columns (the first dimension of a homogeneity / optimal-scaling analysis, Gifi 1990),
 * iterating a few times so categorical columns settle together. Mutates the profiles' keys and models.
 * On a wide table each category's means are taken over a seeded random subset of MAX_OTHERS other columns, and the
 * rows are bounded so rows × columns stays near 5 million: the ordering costs O(rows × MAX_OTHERS) per column
 * instead of O(rows × columns).
 */
export function orderCategories(
  profiles: ColumnProfile[],
  numRows: number,
  random: Random,
  maxRows = 10_000,
  iterations = 3,
): void {
  const valued = profiles.filter((p) => p.keys !== null && p.model.nullRate < 1)
  const wide = valued.length > MAX_OTHERS + 1
  const rowLimit = wide ? Math.min(maxRows, Math.max(1000, Math.floor(5_000_000 / valued.length))) : maxRows
  const rows = new Uint32Array(Math.min(numRows, rowLimit))
  if (numRows <= rowLimit) for (let i = 0; i < numRows; i++) rows[i] = i
  else for (let i = 0; i < rows.length; i++) rows[i] = random.int(numRows)
  const m = rows.length
  // Each column's keys at the sampled rows, gathered once (the rows are drawn at random over the whole table, so a
  // read through them misses the cache); the normal scores and the grouping read these instead, the same values.
  const sampled: (Float64Array | undefined)[] = new Array(valued.length)
  const sampledKeys = (j: number): Float64Array => {
    let s = sampled[j]
    if (s === undefined) {
      s = gather((valued[j] as ColumnProfile).keys as Float64Array, rows)
      sampled[j] = s
    }
    return s
  }
  const allRows = new Uint32Array(m)
  for (let r = 0; r < m; r++) allRows[r] = r
  const computed: (Float64Array | undefined)[] = wide
    ? new Array(valued.length)
    : valued.map((_, j) => normalScores(sampledKeys(j), allRows, random))
  const scoreOf = (j: number): Float64Array => {
    let s = computed[j]
    if (s === undefined) {
      s = normalScores(sampledKeys(j), allRows, random)
      computed[j] = s
    }
    return s
  }
  // On a wide table each categorical keeps one subset of other columns across iterations, so the order can settle.
  const subsets = new Map<number, number[]>()
  for (let it = 0; it < iterations; it++) {
    let changed = false
    valued.forEach((p, ci) => {
      const model = p.model
      if (model.kind !== 'categorical' || p.keys === null) return
      const kCount = model.categories.length + (model.rare.mode === 'other' ? 1 : 0)
      if (kCount < 3) return
      let subset = subsets.get(ci)
      if (wide && subset === undefined) {
        subset = sampleOthers(valued.length, ci, random)
        subsets.set(ci, subset)
      }
      const others = wide ? (subset as number[]).map(scoreOf) : (computed as Float64Array[]).filter((_, j) => j !== ci)
      const dim = others.length
      if (dim === 0) return
      const sums = new Float64Array(kCount * dim)
      const counts = new Float64Array(kCount * dim)
      const weight = new Float64Array(kCount)
      const keys = p.keys
      const own = sampledKeys(ci)
      categorySums(own, others, { sums, counts, weight })
      const means = new Float64Array(kCount * dim)
      for (let x = 0; x < kCount * dim; x++)
        means[x] = (counts[x] as number) > 0 ? (sums[x] as number) / (counts[x] as number) : 0
      const axis = firstPrincipalAxis(means, weight, kCount, dim)
      const coord = Array.from({ length: kCount }, (_, k) => {
        let s = 0
        for (let j = 0; j < dim; j++) s += (means[k * dim + j] as number) * (axis[j] as number)
        return s
      })
      const order = Array.from({ length: kCount }, (_, k) => k).sort(
        (a, b) => (coord[a] as number) - (coord[b] as number) || a - b,
      )
      if (order.every((k, i) => k === i)) return
      changed = true
      const newIndex = new Int32Array(kCount)
      order.forEach((old, i) => {
        newIndex[old] = i
      })
      remapKeys(keys, newIndex)
      applyOrder(p, order)
      sampled[ci] = gather(keys, rows)
      computed[ci] = wide ? undefined : normalScores(sampled[ci], allRows, random)
    })
    if (!changed) break
  }
}

/**
 * One pass over the sampled rows in row order, adding each row's other scores to its category's sums (so every sum
 * adds its rows in row order); the scores are read in sequence and the sums stay in the first-level cache. (The
 * row loops are functions of their own: see `latentScores.ts` on loops compiled while they run.)
 */
function categorySums(
  own: Float64Array,
  others: readonly Float64Array[],
  out: { sums: Float64Array; counts: Float64Array; weight: Float64Array },
): void {
  const { sums, counts, weight } = out
  const dim = others.length
  for (let r = 0; r < own.length; r++) {
    const key = own[r] as number
    if (Number.isNaN(key)) continue
    weight[key] = (weight[key] as number) + 1
    const base = key * dim
    for (let j = 0; j < dim; j++) {
      const s = (others[j] as Float64Array)[r] as number
      if (Number.isNaN(s)) continue
      sums[base + j] = (sums[base + j] as number) + s
      counts[base + j] = (counts[base + j] as number) + 1
    }
  }
}

function remapKeys(keys: Float64Array, newIndex: Int32Array): void {
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as number
    if (!Number.isNaN(key)) keys[i] = newIndex[key] as number
  }
}

function gather(keys: Float64Array, rows: Uint32Array): Float64Array {
  const out = new Float64Array(rows.length)
  for (let r = 0; r < rows.length; r++) out[r] = keys[rows[r] as number] as number
  return out
}

/** Other columns a category's means are taken over on a wide table. */
const MAX_OTHERS = 48

/** MAX_OTHERS distinct indices in [0, count) other than `self`, drawn at random (Floyd's algorithm). */
function sampleOthers(count: number, self: number, random: Random): number[] {
  const chosen = new Set<number>()
  const pool = count - 1
  for (let j = pool - MAX_OTHERS; j < pool; j++) {
    const t = random.int(j + 1)
    chosen.add(chosen.has(t) ? j : t)
  }
  return [...chosen].sort((a, b) => a - b).map((x) => (x >= self ? x + 1 : x))
}

function applyOrder(p: ColumnProfile, order: readonly number[]): void {
  const model = p.model as CategoricalColumnModel
  const hasOther = model.rare.mode === 'other'
  const kept = model.categories.length
  // The "other" bucket (index kept) always stays last so decoding keeps its label at the end.
  const entries = order.filter((k) => !(hasOther && k === kept))
  const reordered = entries.map((k) => model.categories[k] as { value: string; p: number })
  ;(model as { categories: { value: string; p: number }[] }).categories = reordered
  if (hasOther) {
    const keys = p.keys as Float64Array
    // Re-map so the bucket is last again.
    const pos = order.indexOf(kept)
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i] as number
      if (Number.isNaN(key)) continue
      if (key === pos) keys[i] = kept
      else if (key > pos) keys[i] = key - 1
    }
  }
}
