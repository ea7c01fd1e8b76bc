import type { Random } from '@modelgate/core'
import { normalPpfFast } from './special.js'

/** One latent dimension of the copula over the rows a fit uses. */
export interface LatentDim {
  /** Initial latent values (normal scores; standard normal draws where missing). */
  readonly z: Float64Array
  /**
   * Per row, the interval its latent value is redrawn in (an index into `groupLo`/`groupHi`: its tie group, or the
   * last entry, (−∞, ∞), where missing), or −1 when the value is fixed (alone in its group). An index per row instead
   * of two bounds per row: a quarter of the memory the data augmentation reads every sweep.
   */
  readonly group: Int32Array
  /** Interval bounds on the normal scale, per tie group, the last entry for missing rows. */
  readonly groupLo: Float64Array
  readonly groupHi: Float64Array
  /** Whether any row is tied or missing, i.e. needs data augmentation. */
  readonly discrete: boolean
}

/**
 * The distinct present keys of the selected rows, sorted, with where each one's tie group starts in the sorted
 * order (`start[i]`, and `start[distinct]` = the count of present rows).
 */
interface TieGroups {
  readonly values: Float64Array
  readonly start: Float64Array
  readonly count: number
  /** The group of a present key. */
  groupOf(key: number): number
}

/**
 * Largest key counted directly (categories, booleans, numeric ranks) instead of sorted: DIRECT_MAX, or four times
 * the rows selected (counting costs the key range plus the rows; a sort costs rows · log rows).
 */
const DIRECT_MAX = 4096
const DIRECT_PER_ROW = 4

function tieGroups(keys: Float64Array, rows: Uint32Array): TieGroups {
  const count = presentCount(keys, rows)
  const max = directMaxKey(keys, rows, Math.max(DIRECT_MAX, DIRECT_PER_ROW * rows.length))
  if (max >= 0 && count > 0) return countedGroups(keys, rows, count, max)
  const sorted = new Float64Array(count)
  let c = 0
  for (let r = 0; r < rows.length; r++) {
    const key = keys[rows[r] as number] as number
    if (!Number.isNaN(key)) sorted[c++] = key
  }
  sorted.sort()
  let distinct = 0
  const start = new Float64Array(count + 1)
  for (let i = 0; i < count; i++) {
    if (i === 0 || sorted[i] !== sorted[distinct - 1]) {
      start[distinct] = i
      sorted[distinct++] = sorted[i] as number
    }
  }
  start[distinct] = count
  const values = sorted.subarray(0, distinct)
  return { values, start: start.subarray(0, distinct + 1), count, groupOf: (key) => searchGroup(values, key) }
}

// The loops over the rows are small functions of their own: a long loop is compiled while it runs (on-stack
// replacement) before the code after it has ever run, and Node 20's V8 then left that code on every later call at the
// loop's exit (hundreds of deoptimizations per fit, the rest of each call interpreted).

/** Rows whose key is present. */
function presentCount(keys: Float64Array, rows: Uint32Array): number {
  let count = 0
  for (let r = 0; r < rows.length; r++) if (!Number.isNaN(keys[rows[r] as number] as number)) count++
  return count
}

/** The largest present key when every present key is an integer in [0, limit] (0 when none is present), else −1. */
function directMaxKey(keys: Float64Array, rows: Uint32Array, limit: number): number {
  let max = 0
  for (let r = 0; r < rows.length; r++) {
    const key = keys[rows[r] as number] as number
    if (Number.isNaN(key)) continue
    if (key >= 0 && key <= limit && Math.floor(key) === key) max = Math.max(max, key)
    else return -1
  }
  return max
}

function countKeys(keys: Float64Array, rows: Uint32Array, counts: Int32Array): Int32Array {
  for (let r = 0; r < rows.length; r++) {
    const key = keys[rows[r] as number] as number
    if (!Number.isNaN(key)) counts[key] = (counts[key] as number) + 1
  }
  return counts
}

/** The tie groups of small non-negative integer keys by counting (the same groups a sort finds). */
function countedGroups(keys: Float64Array, rows: Uint32Array, count: number, max: number): TieGroups {
  const counts = countKeys(keys, rows, new Int32Array(max + 1))
  let distinct = 0
  for (let v = 0; v <= max; v++) if ((counts[v] as number) > 0) distinct++
  const values = new Float64Array(distinct)
  const start = new Float64Array(distinct + 1)
  const group = new Int32Array(max + 1)
  let g = 0
  let at = 0
  for (let v = 0; v <= max; v++) {
    const n = counts[v] as number
    if (n === 0) continue
    values[g] = v
    start[g] = at
    group[v] = g++
    at += n
  }
  start[distinct] = count
  return { values, start, count, groupOf: (key) => group[key] as number }
}

/** Index of `x` among the sorted distinct values (it is present). */
function searchGroup(values: Float64Array, x: number): number {
  let a = 0
  let b = values.length - 1
  while (a < b) {
    const mid = (a + b) >> 1
    if ((values[mid] as number) < x) a = mid + 1
    else b = mid
  }
  return a
}

/**
 * Latent normal scores of the selected rows with their intervals: Φ⁻¹ of the randomized rank (a uniform position
 * inside the row's tie group), and for tied rows the tie group's interval [Φ⁻¹(start/n), Φ⁻¹(end/n)] — computed
 * once per distinct value. Missing rows get a standard normal draw and the whole line.
 */
export function latentIntervals(keys: Float64Array, rows: Uint32Array, random: Random): LatentDim {
  const m = rows.length
  const z = new Float64Array(m)
  const group = new Int32Array(m)
  const groups = tieGroups(keys, rows)
  const { values, start, count } = groups
  const distinct = values.length
  const groupLo = new Float64Array(distinct + 1)
  const groupHi = new Float64Array(distinct + 1)
  let discrete = count < m
  for (let g = 0; g < distinct; g++) {
    groupLo[g] = normalPpfFast((start[g] as number) / count)
    groupHi[g] = normalPpfFast((start[g + 1] as number) / count)
  }
  groupLo[distinct] = Number.NEGATIVE_INFINITY
  groupHi[distinct] = Number.POSITIVE_INFINITY
  for (let r = 0; r < m; r++) {
    const key = keys[rows[r] as number] as number
    if (Number.isNaN(key)) {
      z[r] = random.normal()
      group[r] = distinct
      continue
    }
    const g = groups.groupOf(key)
    const s = start[g] as number
    const size = (start[g + 1] as number) - s
    z[r] = normalPpfFast((s + random.uniform() * size) / count)
    if (size > 1) discrete = true
    // A tie group whose bounds coincide (never in practice) holds its values fixed, as a group of one does.
    group[r] = size > 1 && groupLo[g] !== groupHi[g] ? g : -1
  }
  return { z, group, groupLo, groupHi, discrete }
}

/** Normal scores of the selected rows (randomized ranks: a uniform position inside each tie group); NaN where the key is missing. */
export function normalScores(keys: Float64Array, rows: Uint32Array, random: Random): Float64Array {
  const m = rows.length
  const out = new Float64Array(m)
  const groups = tieGroups(keys, rows)
  const { start, count } = groups
  for (let r = 0; r < m; r++) {
    const key = keys[rows[r] as number] as number
    if (Number.isNaN(key)) {
      out[r] = Number.NaN
      continue
    }
    const g = groups.groupOf(key)
    const s = start[g] as number
    out[r] = normalPpfFast((s + random.uniform() * ((start[g + 1] as number) - s)) / count)
  }
  return out
}
