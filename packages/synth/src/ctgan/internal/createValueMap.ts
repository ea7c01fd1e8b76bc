/**
 * The monotone map of a continuous column's value calibration (see ContinuousSpec.valueMap): piecewise
 * linear through the knots (generated[i] → real[i]), continued beyond the end knots with the end segments'
 * slopes; a run of equal generated knots maps to the middle of its real knots. Null when the map is absent
 * or incomplete (a model trained without calibration).
 */
export function createValueMap(map: { readonly real: readonly number[]; readonly generated: readonly number[] } | undefined): ((x: number) => number) | null {
  if (map === undefined || map.real.length < 2 || map.generated.length !== map.real.length) return null
  // Collapse runs of equal generated knots.
  const gen: number[] = []
  const real: number[] = []
  for (let i = 0; i < map.generated.length; ) {
    let j = i
    while (j + 1 < map.generated.length && map.generated[j + 1] === map.generated[i]) j++
    gen.push(map.generated[i]!)
    real.push((map.real[i]! + map.real[j]!) / 2)
    i = j + 1
  }
  const n = gen.length
  if (n < 2) {
    const shift = real[0]! - gen[0]!
    return (x) => x + shift
  }
  const g = Float64Array.from(gen)
  const r = Float64Array.from(real)
  return (x) => {
    let i: number
    if (x <= g[0]!) i = 0
    else if (x >= g[n - 1]!) i = n - 2
    else {
      // The segment [g[i], g[i+1]] holding x.
      let lo = 0
      let hi = n - 1
      while (hi - lo > 1) {
        const mid = (lo + hi) >> 1
        if (g[mid]! <= x) lo = mid
        else hi = mid
      }
      i = lo
    }
    return r[i]! + ((x - g[i]!) * (r[i + 1]! - r[i]!)) / (g[i + 1]! - g[i]!)
  }
}
