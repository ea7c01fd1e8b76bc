import { StatsError } from './errors.js'
import { assertSameLength } from './internal/validate.js'

/**
 * Cramér's V (bias-uncorrected), √(χ² / (n·(min(r, c) − 1))) with χ² without continuity correction — as
 * scipy.stats.contingency.association(table, method='cramer'). Pass a contingency table (rows of counts), or two
 * aligned arrays of integer category codes (negative codes are missing and the pair is skipped).
 * Empty rows and columns are dropped; returns NaN when fewer than two rows or columns remain.
 */
export function cramersV(table: ReadonlyArray<ArrayLike<number>>): number
export function cramersV(codesA: ArrayLike<number>, codesB: ArrayLike<number>): number
export function cramersV(
  first: ReadonlyArray<ArrayLike<number>> | ArrayLike<number>,
  second?: ArrayLike<number>,
): number {
  if (second === undefined) return cramersVOfTable(first as ReadonlyArray<ArrayLike<number>>)
  const a = first as ArrayLike<number>
  assertSameLength(a, second, 'cramersV: codesA and codesB')
  const ia = new Map<number, number>()
  const ib = new Map<number, number>()
  const pairs = new Int32Array(a.length * 2)
  let m = 0
  for (let i = 0; i < a.length; i++) {
    const ca = a[i] as number
    const cb = second[i] as number
    if (!Number.isInteger(ca) || !Number.isInteger(cb)) {
      throw new StatsError(
        'MG_STATS_BAD_COUNTS',
        `cramersV: codes at index ${i} are ${String(ca)} and ${String(cb)}; expected integer category codes.`,
      )
    }
    if (ca < 0 || cb < 0) continue
    let ra = ia.get(ca)
    if (ra === undefined) {
      ra = ia.size
      ia.set(ca, ra)
    }
    let rb = ib.get(cb)
    if (rb === undefined) {
      rb = ib.size
      ib.set(cb, rb)
    }
    pairs[2 * m] = ra
    pairs[2 * m + 1] = rb
    m++
  }
  const rows = ia.size
  const cols = ib.size
  const counts = new Float64Array(rows * cols)
  for (let i = 0; i < m; i++) {
    const idx = (pairs[2 * i] as number) * cols + (pairs[2 * i + 1] as number)
    counts[idx] = (counts[idx] as number) + 1
  }
  return cramersVOfDense(counts, rows, cols)
}

function cramersVOfTable(table: ReadonlyArray<ArrayLike<number>>): number {
  const rows = table.length
  const cols = rows === 0 ? 0 : (table[0] as ArrayLike<number>).length
  const counts = new Float64Array(rows * cols)
  for (let r = 0; r < rows; r++) {
    const row = table[r] as ArrayLike<number>
    if (row.length !== cols) {
      throw new StatsError(
        'MG_STATS_LENGTH_MISMATCH',
        `cramersV: row ${r} of the table has ${row.length} columns, row 0 has ${cols}.`,
      )
    }
    for (let c = 0; c < cols; c++) {
      const v = row[c] as number
      if (!(Number.isFinite(v) && v >= 0)) {
        throw new StatsError(
          'MG_STATS_BAD_COUNTS',
          `cramersV: table[${r}][${c}] is ${String(v)}; expected a count ≥ 0.`,
        )
      }
      counts[r * cols + c] = v
    }
  }
  return cramersVOfDense(counts, rows, cols)
}

function cramersVOfDense(counts: Float64Array, rows: number, cols: number): number {
  const rowSum = new Float64Array(rows)
  const colSum = new Float64Array(cols)
  let n = 0
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const v = counts[r * cols + c] as number
      rowSum[r] = (rowSum[r] as number) + v
      colSum[c] = (colSum[c] as number) + v
      n += v
    }
  }
  let keptRows = 0
  let keptCols = 0
  for (let r = 0; r < rows; r++) if ((rowSum[r] as number) > 0) keptRows++
  for (let c = 0; c < cols; c++) if ((colSum[c] as number) > 0) keptCols++
  const k = Math.min(keptRows, keptCols)
  if (k < 2) return Number.NaN
  let chi2 = 0
  for (let r = 0; r < rows; r++) {
    const rs = rowSum[r] as number
    if (rs === 0) continue
    for (let c = 0; c < cols; c++) {
      const cs = colSum[c] as number
      if (cs === 0) continue
      const expected = (rs * cs) / n
      const diff = (counts[r * cols + c] as number) - expected
      chi2 += (diff * diff) / expected
    }
  }
  return Math.min(1, Math.sqrt(chi2 / (n * (k - 1))))
}
