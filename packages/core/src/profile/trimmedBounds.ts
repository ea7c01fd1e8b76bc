/**
 * The bounds ModelGate stores and shows for a numeric column instead of its exact extremes: the k-th smallest and
 * the k-th largest value (both the median when there are fewer than 2k values), so that no single record's extreme
 * value (one person's salary, the oldest birth date) ever reaches a schema, profile or model file. `sorted` holds the
 * non-null values in ascending order; k is the rare-category threshold (5 by default everywhere).
 */
export function trimmedBounds(sorted: ArrayLike<number>, k: number): { readonly min: number; readonly max: number } {
  const n = sorted.length
  if (n === 0) return { min: Number.NaN, max: Number.NaN }
  return { min: sorted[trimmedIndex(n, k, 'low')] as number, max: sorted[trimmedIndex(n, k, 'high')] as number }
}

/** The index of the k-th smallest (`low`) or k-th largest (`high`) of n sorted values, never past the median. */
export function trimmedIndex(n: number, k: number, side: 'low' | 'high'): number {
  const depth = Math.max(1, Math.floor(k))
  return side === 'low' ? Math.min(depth - 1, Math.floor((n - 1) / 2)) : Math.max(n - depth, Math.ceil((n - 1) / 2))
}

/**
 * `trimmedBounds` of values in any order, without sorting them all: the k smallest and k largest are kept in two
 * small sorted buffers (O(n·k)); with fewer than 2k values they are sorted (the bounds meet at the median).
 */
export function trimmedBoundsUnsorted(
  values: ArrayLike<number>,
  k: number,
): { readonly min: number; readonly max: number } {
  const n = values.length
  const depth = Math.max(1, Math.floor(k))
  if (n < 2 * depth) return trimmedBounds(Float64Array.from(values).sort(), k)
  const low = new Float64Array(depth).fill(Number.POSITIVE_INFINITY) // ascending: low[depth - 1] is the k-th smallest
  const high = new Float64Array(depth).fill(Number.NEGATIVE_INFINITY) // descending: high[depth - 1] is the k-th largest
  for (let i = 0; i < n; i++) {
    const v = values[i] as number
    if (v < (low[depth - 1] as number)) {
      let j = depth - 1
      while (j > 0 && (low[j - 1] as number) > v) {
        low[j] = low[j - 1] as number
        j--
      }
      low[j] = v
    }
    if (v > (high[depth - 1] as number)) {
      let j = depth - 1
      while (j > 0 && (high[j - 1] as number) < v) {
        high[j] = high[j - 1] as number
        j--
      }
      high[j] = v
    }
  }
  return { min: low[depth - 1] as number, max: high[depth - 1] as number }
}
