/** Knots of a continuous column's value map. */
const VALUE_MAP_KNOTS = 64

/**
 * Quantiles of weighted values at the probabilities (i + ½)/k, i = 0…k−1 (inverse of the empirical CDF,
 * no interpolation): values only, taken from inside the distribution. Empty when there are fewer than 2k
 * observations (too few to say more than the Gaussian modes already do).
 */
export function midpointQuantiles(valueCounts: readonly (readonly [number, number])[], k: number): number[] {
  const sorted = [...valueCounts].sort((a, b) => a[0] - b[0])
  const total = sorted.reduce((sum, [, c]) => sum + c, 0)
  if (k < 2 || total < 2 * k) return []
  const out: number[] = []
  let i = 0
  let below = 0
  for (let q = 0; q < k; q++) {
    const target = ((q + 0.5) / k) * total
    while (i < sorted.length - 1 && below + sorted[i]![1] <= target) below += sorted[i++]![1]
    out.push(sorted[i]![0])
  }
  return out
}

/**
 * The real side of the per-mode value maps: each value's count is shared among the modes by their
 * responsibilities w·N(v; μ, σ) — as the encoding assigns it, sampling a mode from that posterior — and each
 * mode gets the midpoint quantiles of its share, every knot standing for at least max(2, k) rows so no
 * quantile is a near-individual value. Nothing when no mode has a knot.
 */
export function modeMapsOf(
  rest: readonly (readonly [number, number])[],
  modes: { weights: Float64Array; means: Float64Array; stds: Float64Array },
  minCount: number,
): { modeMaps?: { real: number[]; generated: number[] }[] } {
  const k = modes.weights.length
  if (k === 0) return {}
  const byMode: [number, number][][] = Array.from({ length: k }, () => [])
  const logs = new Float64Array(k)
  for (const [v, c] of rest) {
    let max = Number.NEGATIVE_INFINITY
    for (let m = 0; m < k; m++) {
      const sd = Math.max(modes.stds[m]!, 1e-12)
      const z = (v - modes.means[m]!) / sd
      logs[m] = Math.log(Math.max(modes.weights[m]!, 1e-300)) - Math.log(sd) - 0.5 * z * z
      if (logs[m]! > max) max = logs[m]!
    }
    let total = 0
    for (let m = 0; m < k; m++) total += Math.exp(logs[m]! - max)
    for (let m = 0; m < k; m++) {
      const share = (c * Math.exp(logs[m]! - max)) / total
      if (share > 1e-9 * c) byMode[m]!.push([v, share])
    }
  }
  const maps = byMode.map((values, m) => {
    const total = values.reduce((sum, [, c]) => sum + c, 0)
    const real = midpointQuantiles(values, Math.min(VALUE_MAP_KNOTS, Math.floor(total / Math.max(2, minCount))))
    // The generator draws a mode's values within μ ± 4σ (α is clipped to ±0.99). A mode whose share of the data
    // reaches beyond that range (a far cluster the mixture did not separate, e.g. Adult's capital-gain of 99,999
    // inside a mode at 5,500 ± 3,900) is not modelled there, and a map would throw its upper values into that
    // cluster: such a mode keeps its values as drawn.
    const reach = 4 * modes.stds[m]!
    const inside = real.every((q) => Math.abs(q - modes.means[m]!) <= reach)
    return { real: inside ? real : [], generated: [] as number[] }
  })
  return maps.some((m) => m.real.length > 0) ? { modeMaps: maps } : {}
}
