import type { AttackColumn, AttackTable } from './encodeAttackTables.js'
import { scaled } from './encodeAttackTables.js'

/**
 * Rows laid out for the nearest-neighbour searches: row-major, the category codes first (a mismatch adds a whole
 * 1, so partial sums grow fast and candidates are abandoned early), then numbers as their place in the column's
 * range (see `scaled`).
 * `columns[p]` is the attack column at position p; `rows[i]` is the source row of matrix row i.
 */
export interface NeighborMatrix {
  readonly count: number
  readonly width: number
  /** Positions [0, categorical) hold codes, the rest scaled numbers. */
  readonly categorical: number
  readonly data: Float64Array
  readonly columns: Int32Array
  readonly rows: Uint32Array
}

/**
 * The distance of the Anonymeter paper (after Gower 1971): the sum over columns of |a − b| / range for numbers
 * and 0/1 for a mismatch otherwise. We count a null against a value as 1 and two nulls as 0 (a metric; Anonymeter
 * counts two nulls as 1). Every per-column term is in [0, 1].
 */
export function toNeighborMatrix(
  table: AttackTable,
  columns: readonly AttackColumn[],
  use: readonly number[],
  rows: Uint32Array,
): NeighborMatrix {
  const ordered = [
    ...use.filter((j) => columns[j]?.numeric !== true),
    ...use.filter((j) => columns[j]?.numeric === true),
  ]
  const width = ordered.length
  const data = new Float64Array(rows.length * width)
  ordered.forEach((j, p) => {
    const v = table.values[j] as Float64Array
    const column = columns[j] as AttackColumn
    for (let i = 0; i < rows.length; i++) {
      const x = v[rows[i] as number] as number
      data[i * width + p] = column.numeric ? scaled(x, column) : x
    }
  })
  const categorical = ordered.filter((j) => columns[j]?.numeric !== true).length
  return { count: rows.length, width, categorical, data, columns: Int32Array.from(ordered), rows }
}

/**
 * Distances closer than this are a tie (sums of the same terms in another order differ in the last bits): a
 * candidate must beat the best by more to replace it, so ties go to the earlier candidate whatever the order of
 * summation.
 */
export const TIE = 1e-9

function numericTerm(a: number, b: number): number {
  const d = Math.abs(a - b)
  if (!Number.isNaN(d)) return d
  return Number.isNaN(a) && Number.isNaN(b) ? 0 : 1
}

/**
 * For each query row, its k nearest candidate rows (as source row indices of the candidates) and their distances,
 * closest first. Exact: a brute-force scan that abandons a candidate as soon as its partial sum reaches the k-th
 * best distance. Ties (within `TIE`) keep the earlier candidate, so candidates laid out in a random order break ties
 * at random.
 */
export function nearestNeighbors(
  queries: NeighborMatrix,
  candidates: NeighborMatrix,
  k: number,
): { index: Int32Array; distance: Float64Array } {
  const { width, categorical } = candidates
  const q = queries.data
  const c = candidates.data
  const kk = Math.max(1, Math.min(k, candidates.count))
  const index = new Int32Array(queries.count * kk).fill(-1)
  const distance = new Float64Array(queries.count * kk).fill(Number.POSITIVE_INFINITY)
  const bestD = new Float64Array(kk)
  const bestI = new Int32Array(kk)
  for (let qi = 0; qi < queries.count; qi++) {
    bestD.fill(Number.POSITIVE_INFINITY)
    bestI.fill(-1)
    const qo = qi * width
    for (let ci = 0; ci < candidates.count; ci++) {
      const co = ci * width
      const worst = (bestD[kk - 1] as number) - TIE
      let d = 0
      let j = 0
      for (; j < categorical && d < worst; j++) if (q[qo + j] !== c[co + j]) d += 1
      for (; j < width && d < worst; j++) d += numericTerm(q[qo + j] as number, c[co + j] as number)
      if (d < worst) {
        let p = kk - 1
        while (p > 0 && (bestD[p - 1] as number) > d) {
          bestD[p] = bestD[p - 1] as number
          bestI[p] = bestI[p - 1] as number
          p--
        }
        bestD[p] = d
        bestI[p] = ci
      }
    }
    for (let p = 0; p < kk; p++) {
      const ci = bestI[p] as number
      index[qi * kk + p] = ci < 0 ? -1 : (candidates.rows[ci] as number)
      distance[qi * kk + p] = bestD[p] as number
    }
  }
  return { index, distance }
}

/**
 * For each query row and each position p of the matrix, the candidate nearest on every column except the one at
 * p (the attribute-inference attacker who knows all but the secret): its distance without p is its full distance
 * minus term p, so one pass per query serves every secret. Exact, with pruning: after the first t terms (partial
 * sum P), no secret can improve once P ≥ max over seen p of (term p + best p) and P ≥ the best of every unseen p
 * (each less `TIE`, as in `nearestNeighbors`).
 * Returns source row indices of the candidates, query-major (`queries.count × width`).
 */
export function nearestLeavingOneOut(queries: NeighborMatrix, candidates: NeighborMatrix): Int32Array {
  const { width, categorical } = candidates
  const q = queries.data
  const c = candidates.data
  const out = new Int32Array(queries.count * width).fill(-1)
  const best = new Float64Array(width)
  const bestI = new Int32Array(width)
  // suffix[t] = max of best[t..width): what an unseen secret still has to beat.
  const suffix = new Float64Array(width + 1)
  const terms = new Float64Array(width)
  for (let qi = 0; qi < queries.count; qi++) {
    best.fill(Number.POSITIVE_INFINITY)
    bestI.fill(-1)
    suffix.fill(Number.POSITIVE_INFINITY)
    suffix[width] = Number.NEGATIVE_INFINITY
    const qo = qi * width
    for (let ci = 0; ci < candidates.count; ci++) {
      const co = ci * width
      let d = 0
      let seen = Number.NEGATIVE_INFINITY
      let j = 0
      for (; j < width; j++) {
        const t =
          j < categorical ? (q[qo + j] === c[co + j] ? 0 : 1) : numericTerm(q[qo + j] as number, c[co + j] as number)
        terms[j] = t
        d += t
        const need = t + (best[j] as number) - TIE
        if (need > seen) seen = need
        if (d >= seen && d >= (suffix[j + 1] as number) - TIE) break
      }
      if (j < width) continue
      let changed = false
      for (let s = 0; s < width; s++) {
        const without = d - (terms[s] as number)
        if (without < (best[s] as number) - TIE) {
          best[s] = without
          bestI[s] = ci
          changed = true
        }
      }
      if (changed) for (let s = width - 1; s >= 0; s--) suffix[s] = Math.max(suffix[s + 1] as number, best[s] as number)
    }
    for (let s = 0; s < width; s++) {
      const ci = bestI[s] as number
      out[qi * width + s] = ci < 0 ? -1 : (candidates.rows[ci] as number)
    }
  }
  return out
}
