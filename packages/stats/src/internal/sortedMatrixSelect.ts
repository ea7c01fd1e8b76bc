// Order statistics of all pairwise differences or Walsh averages without listing them (n² values for n = 10⁶ would
// not fit): selection in a matrix whose rows and columns are sorted (G. N. Frederickson & D. B. Johnson, "The
// complexity of selection and ranking in X + Y and matrices with sorted columns", J. Comput. Syst. Sci. 24, 1982;
// for the Hodges–Lehmann estimator J. F. Monahan, "Algorithm 616", ACM TOMS 10, 1984). Each row keeps a window of
// candidates. A pivot is ranked by one staircase walk over all rows, O(rows + columns), and the windows shrink to the
// side that holds the wanted rank. Pivots are weighted quantiles, around the wanted rank's fraction, of each window's
// element at that fraction, so they land near the answer: two of them bracket it and a round keeps only the
// candidates between (Floyd & Rivest's idea for selection, 1975). Once few candidates are left they are listed and
// sorted. Values are computed exactly as listing them would (a_i − b_j,
// (x_i + x_j)/2), and rounding keeps the rows and columns sorted, so the result is the listed order statistic.

/** Pairwise differences a_i − b_j (a, b ascending) or Walsh averages (x_i + x_j)/2, i ≤ j (x ascending). */
export type SortedMatrix =
  | { readonly kind: 'differences'; readonly a: Float64Array; readonly b: Float64Array }
  | { readonly kind: 'walsh'; readonly x: Float64Array }

export function differenceMatrix(a: Float64Array, b: Float64Array): SortedMatrix {
  return { kind: 'differences', a, b }
}

export function walshMatrix(x: Float64Array): SortedMatrix {
  return { kind: 'walsh', x }
}

export function matrixSize(m: SortedMatrix): number {
  return m.kind === 'differences' ? m.a.length * m.b.length : (m.x.length * (m.x.length + 1)) / 2
}

const LIST_BELOW = 100_000
const PIVOT_ROWS = 2048

/** The k-th smallest element (1-based). */
export function selectInSortedMatrix(m: SortedMatrix, k: number): number {
  const walsh = m.kind === 'walsh'
  const u = m.kind === 'walsh' ? m.x : m.a // row values
  const v = m.kind === 'walsh' ? m.x : m.b
  const rows = u.length
  const columns = v.length
  const last = columns - 1
  // value(i, j): columns of the difference matrix run through b backwards so that they ascend
  const value = walsh
    ? (i: number, j: number): number => ((u[i] as number) + (v[j] as number)) / 2
    : (i: number, j: number): number => (u[i] as number) - (v[last - j] as number)
  const start = (i: number): number => (walsh ? i : 0)
  const lo = new Float64Array(rows)
  const hi = new Float64Array(rows).fill(columns)
  let remaining = 0
  for (let i = 0; i < rows; i++) {
    lo[i] = start(i)
    remaining += columns - (lo[i] as number)
  }
  if (!(k >= 1 && k <= remaining)) throw new RangeError(`rank ${k} outside 1..${remaining}`)
  let below = 0 // candidates removed from the left: all smaller than the answer
  const pv = new Float64Array(Math.min(rows, 2 * PIVOT_ROWS))
  const pw = new Float64Array(Math.min(rows, 2 * PIVOT_ROWS))
  const cut = [new Float64Array(rows), new Float64Array(rows), new Float64Array(rows), new Float64Array(rows)] as const

  /**
   * Pivot: weighted quantile at fraction f of each window's element at fraction f, over at most PIVOT_ROWS rows
   * spread evenly (the pivot need only be near the answer; the ranking walk is exact).
   */
  const pivotAt = (f: number): number => {
    const step = Math.max(1, Math.floor(rows / PIVOT_ROWS))
    let r = 0
    let total = 0
    for (let i = 0; i < rows; i += step) {
      const w = (hi[i] as number) - (lo[i] as number)
      if (w <= 0) continue
      pv[r] = value(i, (lo[i] as number) + Math.min(w - 1, Math.floor(f * w)))
      pw[r++] = w
      total += w
    }
    if (r === 0) {
      // every sampled row is empty: take the first non-empty window's element
      for (let i = 0; i < rows; i++) if ((hi[i] as number) > (lo[i] as number)) return value(i, lo[i] as number)
    }
    return weightedQuantile(pv, pw, r, f * total)
  }
  /** Per row, the column where elements stop being < p (or ≤ p); one walk, the boundary never moves right. */
  const rank = (p: number, inclusive: boolean, out: Float64Array): number => {
    let col = columns
    let sum = 0
    for (let i = 0; i < rows; i++) {
      const s0 = walsh ? i : 0
      if (col < s0) col = s0
      const ui = u[i] as number
      if (walsh) {
        while (col > s0) {
          const x = (ui + (v[col - 1] as number)) / 2
          if (x < p || (inclusive && x === p)) break
          col--
        }
      } else {
        while (col > 0) {
          const x = ui - (v[last - col + 1] as number)
          if (x < p || (inclusive && x === p)) break
          col--
        }
      }
      out[i] = col
      sum += col - s0
    }
    return sum
  }
  const keep = (from: Float64Array | null, to: Float64Array | null): void => {
    remaining = 0
    below = 0
    for (let i = 0; i < rows; i++) {
      if (from !== null) lo[i] = Math.max(lo[i] as number, from[i] as number)
      if (to !== null) hi[i] = Math.min(hi[i] as number, to[i] as number)
      if ((hi[i] as number) < (lo[i] as number)) hi[i] = lo[i] as number
      below += (lo[i] as number) - start(i)
      remaining += (hi[i] as number) - (lo[i] as number)
    }
  }

  // Floyd–Rivest-style rounds: two pivots around the wanted fraction; when they bracket it only the candidates
  // between them stay (a fraction ~2δ), else the side beyond the nearer one goes and δ widens.
  let delta = 0.02
  while (remaining > LIST_BELOW) {
    const before = remaining
    const f = (k - below - 0.5) / remaining
    const pLo = pivotAt(Math.max(0, f - delta))
    const pHi = pivotAt(Math.min(1 - 1e-12, f + delta))
    const ltLo = rank(pLo, false, cut[0])
    if (k <= ltLo) {
      keep(null, cut[0])
    } else {
      const leLo = rank(pLo, true, cut[1])
      if (k <= leLo) return pLo
      const ltHi = rank(pHi, false, cut[2])
      if (k <= ltHi) {
        keep(cut[1], cut[2])
      } else {
        const leHi = rank(pHi, true, cut[3])
        if (k <= leHi) return pHi
        keep(cut[3], null)
      }
    }
    delta = remaining > 0.5 * before ? Math.min(0.25, delta * 2) : Math.max(1e-4, delta / 2)
  }
  const candidates = new Float64Array(remaining)
  let o = 0
  for (let i = 0; i < rows; i++) for (let j = lo[i] as number; j < (hi[i] as number); j++) candidates[o++] = value(i, j)
  candidates.sort()
  return candidates[k - below - 1] as number
}

/**
 * The value where the cumulative weight of the ascending values first reaches `target` (clamped to the total), by
 * quickselect on the first r entries of `values`/`weights` (reordered).
 */
function weightedQuantile(values: Float64Array, weights: Float64Array, r: number, target: number): number {
  let lo = 0
  let hi = r - 1
  let want = Math.max(target, Number.MIN_VALUE)
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    const pivot = median3(values[lo] as number, values[mid] as number, values[hi] as number)
    // three-way partition: [lo, lt) < pivot, [lt, gt] = pivot, (gt, hi] > pivot
    let lt = lo
    let gt = hi
    let i = lo
    while (i <= gt) {
      const x = values[i] as number
      if (x < pivot) swap(values, weights, lt++, i++)
      else if (x > pivot) swap(values, weights, i, gt--)
      else i++
    }
    let wLess = 0
    for (let j = lo; j < lt; j++) wLess += weights[j] as number
    let wEqual = 0
    for (let j = lt; j <= gt; j++) wEqual += weights[j] as number
    if (want <= wLess) hi = lt - 1
    else if (want <= wLess + wEqual) return pivot
    else {
      want -= wLess + wEqual
      lo = gt + 1
    }
  }
  return values[lo] as number
}

function median3(a: number, b: number, c: number): number {
  return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c))
}

function swap(values: Float64Array, weights: Float64Array, i: number, j: number): void {
  const v = values[i] as number
  values[i] = values[j] as number
  values[j] = v
  const w = weights[i] as number
  weights[i] = weights[j] as number
  weights[j] = w
}
