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
