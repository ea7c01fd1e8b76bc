import { argsortFloat64 } from './radixSort.js'

/** Quantile of ascending `s` with linear interpolation between order statistics (numpy's default 'linear'). */
export function quantileSorted(s: Float64Array, q: number): number {
  const n = s.length
  if (n === 1) return s[0] as number
  const pos = q * (n - 1)
  const lo = Math.floor(pos)
  if (lo >= n - 1) return s[n - 1] as number
  const t = pos - lo
  const a = s[lo] as number
  const b = s[lo + 1] as number
  // numpy's _lerp: exact at both ends
  return t >= 0.5 ? b - (b - a) * (1 - t) : a + (b - a) * t
}

/** Average ranks (1-based, ties share the mean of their positions), as scipy.stats.rankdata(method='average'). */
export function averageRanks(values: Float64Array): Float64Array {
  return rankWithTies(values).ranks
}

/** Average ranks plus Σ (t³ − t) over tie groups (for tie corrections), from one argsort. */
export function rankWithTies(values: Float64Array): { readonly ranks: Float64Array; readonly tieSum: number } {
  const order = argsortFloat64(values)
  const n = values.length
  const ranks = new Float64Array(n)
  let tieSum = 0
  let i = 0
  while (i < n) {
    const v = values[order[i] as number] as number
    let j = i + 1
    while (j < n && values[order[j] as number] === v) j++
    const avg = (i + 1 + j) / 2
    for (let t = i; t < j; t++) ranks[order[t] as number] = avg
    const size = j - i
    if (size > 1) tieSum += size * size * size - size
    i = j
  }
  return { ranks, tieSum }
}
