/** Swaps a[i] and a[j]. */
function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i] as number
  a[i] = a[j] as number
  a[j] = t
}

/**
 * Rearranges a[left..right] so that a[k] holds the value it would have if sorted, with everything left of
 * k no greater and everything right of it no smaller (Hoare's FIND / quickselect, median-of-three pivot).
 */
function select(a: Float64Array, k: number, left: number, right: number): void {
  let lo = left
  let hi = right
  while (hi > lo) {
    const mid = (lo + hi) >>> 1
    if ((a[mid] as number) < (a[lo] as number)) swap(a, mid, lo)
    if ((a[hi] as number) < (a[lo] as number)) swap(a, hi, lo)
    if ((a[hi] as number) < (a[mid] as number)) swap(a, hi, mid)
    const pivot = a[mid] as number
    let i = lo
    let j = hi
    while (i <= j) {
      while ((a[i] as number) < pivot) i++
      while ((a[j] as number) > pivot) j--
      if (i <= j) {
        swap(a, i, j)
        i++
        j--
      }
    }
    if (k <= j) hi = j
    else if (k >= i) lo = i
    else return
  }
}

/**
 * Places every rank of ranks[rLo..rHi] (sorted) within a[left..right]: the middle rank first, then the ranks
 * below it in the part left of it and those above it in the part right of it — O(n log q) for q ranks.
 */
function multiSelect(a: Float64Array, ranks: readonly number[], rLo: number, rHi: number, left: number, right: number): void {
  if (rLo > rHi || left > right) return
  const mid = (rLo + rHi) >>> 1
  const k = ranks[mid] as number
  select(a, k, left, right)
  multiSelect(a, ranks, rLo, mid - 1, left, k - 1)
  multiSelect(a, ranks, mid + 1, rHi, k + 1, right)
}

/**
 * Type-7 quantiles (linear interpolation between order statistics, numpy's default) of `values`, without a
 * full sort: the needed order statistics are placed by recursive multiple selection. `values` is reordered in place; NaN must not occur.
 */
export function selectQuantiles(values: Float64Array, ps: readonly number[]): number[] {
  const n = values.length
  if (n === 0) return ps.map(() => Number.NaN)
  const ranks = new Set<number>()
  for (const p of ps) {
    const h = (n - 1) * p
    ranks.add(Math.floor(h))
    ranks.add(Math.min(n - 1, Math.floor(h) + 1))
  }
  multiSelect(values, [...ranks].sort((x, y) => x - y), 0, ranks.size - 1, 0, n - 1)
  return ps.map((p) => {
    const h = (n - 1) * p
    const lo = Math.floor(h)
    const a = values[lo] as number
    const b = values[Math.min(n - 1, lo + 1)] as number
    return a + (h - lo) * (b - a)
  })
}
