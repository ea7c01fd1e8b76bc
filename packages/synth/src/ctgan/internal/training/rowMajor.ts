/** Adds `v` to every row of the row-major [rows, v.length] array `x`, in place. */
export function addRowVector(x: Float32Array, rows: number, v: Float32Array): void {
  const n = v.length
  for (let r = 0; r < rows; r++) for (let j = 0; j < n; j++) x[r * n + j]! += v[j]!
}

/** The sum of each column of the row-major [rows, cols] array `x` (float64 sums, a float32 result). */
export function columnSums(x: Float32Array, rows: number, cols: number): Float32Array {
  const sums = new Float64Array(cols)
  for (let r = 0; r < rows; r++) for (let j = 0; j < cols; j++) sums[j]! += x[r * cols + j]!
  return Float32Array.from(sums)
}
