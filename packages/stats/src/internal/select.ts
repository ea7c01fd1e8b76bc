// Multiple order statistics without a full sort: quickselect (Hoare 1961, "Algorithm 65: Find") with a
// median-of-three pivot, recursing on the requested positions left and right of each pivot.

/** Rearranges `a` so that a[k] is the k-th smallest, smaller-or-equal values before it, larger-or-equal after. */
function nthElement(a: Float64Array, k: number, lo0: number, hi0: number): void {
  let lo = lo0
  let hi = hi0
  while (hi > lo) {
    if (hi === lo + 1) {
      if ((a[hi] as number) < (a[lo] as number)) {
        const t = a[lo] as number
        a[lo] = a[hi] as number
        a[hi] = t
      }
      return
    }
    const mid = (lo + hi) >>> 1
    // median of three into a[mid]
    let x = a[lo] as number
    let y = a[mid] as number
    let z = a[hi] as number
    let t: number
    if (y < x) {
      t = x
      x = y
      y = t
    }
    if (z < y) {
      t = y
      y = z
      z = t
      if (y < x) {
        t = x
        x = y
        y = t
      }
    }
    a[lo] = x
    a[mid] = y
    a[hi] = z
    const pivot = y
    let i = lo
    let j = hi
    while (i <= j) {
      while ((a[i] as number) < pivot) i++
      while ((a[j] as number) > pivot) j--
      if (i <= j) {
        const t = a[i] as number
        a[i] = a[j] as number
        a[j] = t
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
 * Values of the given order statistics (0-based positions, ascending and distinct) of `a`, which is reordered.
 * Returns them in the same order as `positions`.
 */
function orderStatistics(a: Float64Array, positions: readonly number[]): Float64Array {
  const out = new Float64Array(positions.length)
  const recurse = (lo: number, hi: number, pLo: number, pHi: number): void => {
    if (pLo > pHi) return
    const pMid = (pLo + pHi) >>> 1
    const k = positions[pMid] as number
    nthElement(a, k, lo, hi)
    out[pMid] = a[k] as number
    recurse(lo, k - 1, pLo, pMid - 1)
    recurse(k + 1, hi, pMid + 1, pHi)
  }
  recurse(0, a.length - 1, 0, positions.length - 1)
  return out
}

/** numpy 'linear' quantiles of `a` at the given probabilities (ascending), via order statistics; reorders `a`. */
export function quantilesUnsorted(a: Float64Array, qs: readonly number[]): Float64Array {
  const n = a.length
  const needed = new Set<number>()
  for (const q of qs) {
    const pos = q * (n - 1)
    const lo = Math.floor(pos)
    needed.add(Math.min(lo, n - 1))
    if (lo + 1 <= n - 1) needed.add(lo + 1)
  }
  const positions = [...needed].sort((x, y) => x - y)
  const values = orderStatistics(a, positions)
  const at = new Map<number, number>()
  for (let i = 0; i < positions.length; i++) at.set(positions[i] as number, values[i] as number)
  return Float64Array.from(qs, (q) => {
    if (n === 1) return at.get(0) as number
    const pos = q * (n - 1)
    const lo = Math.floor(pos)
    if (lo >= n - 1) return at.get(n - 1) as number
    const t = pos - lo
    const x = at.get(lo) as number
    const y = at.get(lo + 1) as number
    return t >= 0.5 ? y - (y - x) * (1 - t) : x + (y - x) * t
  })
}
