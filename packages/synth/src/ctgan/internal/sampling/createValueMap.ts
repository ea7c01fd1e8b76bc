/**
 * The monotone map of a continuous column's value calibration (see ContinuousSpec.modeMaps): piecewise
 * linear through the knots (generated[i] → real[i]), continued beyond the end knots with the end segments'
 * slopes; a run of equal generated knots maps to the middle of its real knots. Null when the map is absent
 * or incomplete (a model trained without calibration).
 */
export function createValueMap(
  map: { readonly real: readonly number[]; readonly generated: readonly number[] } | undefined,
): ((x: number) => number) | null {
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
  // Segment lookup by a uniform grid over [g[0], g[n−1]]: cell c starts in segment start[c], and a value
  // walks forward from there (knots are few per cell), instead of a binary search per value.
  const cells = 4 * n
  const lo = g[0]!
  const width = (g[n - 1]! - lo) / cells
  const start = new Int32Array(cells + 1)
  for (let c = 0, i = 0; c <= cells; c++) {
    const x = lo + c * width
    while (i < n - 2 && g[i + 1]! <= x) i++
    start[c] = i
  }
  const slope = new Float64Array(n - 1)
  for (let i = 0; i < n - 1; i++) slope[i] = (r[i + 1]! - r[i]!) / (g[i + 1]! - g[i]!)
  return (x) => {
    let i: number
    if (x <= lo) i = 0
    else {
      const c = Math.floor((x - lo) / width)
      i = c >= cells ? n - 2 : start[c]!
      while (i < n - 2 && g[i + 1]! <= x) i++
    }
    return r[i]! + (x - g[i]!) * slope[i]!
  }
}
