/** The cumulative distribution of non-negative weights (last entry exactly 1), for `pickFromCdf`. */
export function cumulativeWeights(weights: readonly number[]): Float64Array {
  const out = new Float64Array(weights.length)
  let total = 0
  for (const w of weights) total += w
  if (total === 0) total = 1
  let acc = 0
  for (let i = 0; i < weights.length; i++) {
    acc += weights[i]! / total
    out[i] = acc
  }
  if (weights.length > 0) out[weights.length - 1] = 1
  return out
}

/** The index whose cumulative interval holds `u` ∈ [0, 1) (binary search). */
export function pickFromCdf(cdf: Float64Array, u: number): number {
  let lo = 0
  let hi = cdf.length - 1
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (u < cdf[mid]!) hi = mid
    else lo = mid + 1
  }
  return lo
}
