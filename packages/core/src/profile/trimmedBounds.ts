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
