/** Index of the bin of x: bin i is [edges[i−1], edges[i]), bin 0 below edges[0], the last one from the last edge up. */
export function binIndex(edges: Float64Array, x: number): number {
  let lo = 0
  let hi = edges.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if ((edges[mid] as number) <= x) lo = mid + 1
    else hi = mid
  }
  return lo
}

/**
 * Groups fine bins into about `groups` coarse bins of equal reference mass (the reference deciles for 10), so
 * PSI-like methods see the bins they are calibrated for. Returns, per coarse bin, the index of its first fine bin.
 */
export function coarseBinStarts(referenceCounts: ArrayLike<number>, groups: number): number[] {
  let total = 0
  for (let i = 0; i < referenceCounts.length; i++) total += referenceCounts[i] as number
  const starts = [0]
  let cumulative = 0
  let next = 1
  for (let i = 0; i < referenceCounts.length - 1; i++) {
    cumulative += referenceCounts[i] as number
    if (next < groups && cumulative >= (next * total) / groups) {
      starts.push(i + 1)
      while (next < groups && cumulative >= (next * total) / groups) next++
    }
  }
  return starts
}

/**
 * The edges of `bins` bins of about equal mass: the quantiles at 1/bins … (bins − 1)/bins, read by `quantilesAt` (from
 * the values, or from a merged sketch), a quantile equal to the one before it dropped (ascending, distinct).
 */
export function quantileEdges(bins: number, quantilesAt: (probabilities: number[]) => ArrayLike<number>): Float64Array {
  const probabilities: number[] = []
  for (let j = 1; j < bins; j++) probabilities.push(j / bins)
  const q = quantilesAt(probabilities)
  const edges: number[] = []
  for (let i = 0; i < q.length; i++) {
    const e = q[i] as number
    if (edges.length === 0 || e > (edges[edges.length - 1] as number)) edges.push(e)
  }
  return Float64Array.from(edges)
}

/** Sums fine-bin counts into the coarse bins starting at `starts`. */
export function sumBins(counts: ArrayLike<number>, starts: readonly number[]): Float64Array {
  const out = new Float64Array(starts.length)
  let g = 0
  for (let i = 0; i < counts.length; i++) {
    while (g + 1 < starts.length && i >= (starts[g + 1] as number)) g++
    out[g] = (out[g] as number) + (counts[i] as number)
  }
  return out
}

/**
 * A lookup table over the edges' span: cell c of `cells` equal cells holds the number of edges ≤ the cell's lower
 * bound, so a value's bin is found by a short binary search inside its cell (usually 0–1 edges) instead of one over
 * every edge — the hot loop of baselines and window states.
 */
export interface BinLookup {
  readonly edges: Float64Array
  readonly table: Int32Array
  readonly lo: number
  readonly hi: number
  readonly scale: number
  readonly cells: number
}

export function createBinLookup(edges: Float64Array): BinLookup {
  const m = edges.length
  const cells = Math.max(16, Math.min(4096, 8 * m))
  const lo = m === 0 ? 0 : (edges[0] as number)
  const hi = m === 0 ? 0 : (edges[m - 1] as number)
  const scale = hi > lo ? cells / (hi - lo) : 0
  const table = new Int32Array(cells + 2)
  let k = 0
  for (let c = 0; c <= cells + 1; c++) {
    const bound = lo + c / scale
    while (k < m && (edges[k] as number) <= bound) k++
    table[c] = k
  }
  return { edges, table, lo, hi, scale, cells }
}

/** The bin of x (as binIndex) through a lookup table. */
export function lookupBin(b: BinLookup, x: number): number {
  const edges = b.edges
  if (!(x >= b.lo)) return 0
  if (x >= b.hi) return edges.length
  let c = Math.floor((x - b.lo) * b.scale)
  if (c > b.cells) c = b.cells
  // edges below table[c − 1] are ≤ x and edges from table[c + 2] on are > x, whatever the rounding of c
  let a = c > 0 ? (b.table[c - 1] as number) : 0
  let z = c + 2 <= b.cells + 1 ? (b.table[c + 2] as number) : edges.length
  while (a < z) {
    const mid = (a + z) >>> 1
    if ((edges[mid] as number) <= x) a = mid + 1
    else z = mid
  }
  return a
}
