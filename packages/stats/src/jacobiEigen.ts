/**
 * Eigen-decomposition of a symmetric d × d matrix (row-major) by cyclic Jacobi rotations (Golub & Van Loan §8.5),
 * until the off-diagonal sum of squares falls below 1e-22 (at most 100 sweeps): the eigenvalues, unsorted, and the
 * eigenvectors as the columns of `vectors` (row-major, so vector k is vectors[i·d + k] over i).
 */
export function jacobiEigen(a: Float64Array, d: number): { values: Float64Array; vectors: Float64Array } {
  const m = Float64Array.from(a)
  const v = new Float64Array(d * d)
  for (let i = 0; i < d; i++) v[i * d + i] = 1
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0
    for (let p = 0; p < d; p++) for (let q = p + 1; q < d; q++) off += (m[p * d + q] as number) ** 2
    if (off < 1e-22) break
    for (let p = 0; p < d; p++) {
      for (let q = p + 1; q < d; q++) {
        const apq = m[p * d + q] as number
        if (Math.abs(apq) < 1e-300) continue
        const app = m[p * d + p] as number
        const aqq = m[q * d + q] as number
        const theta = (aqq - app) / (2 * apq)
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1))
        const c = 1 / Math.sqrt(t * t + 1)
        const s = t * c
        for (let k = 0; k < d; k++) {
          const mkp = m[k * d + p] as number
          const mkq = m[k * d + q] as number
          m[k * d + p] = c * mkp - s * mkq
          m[k * d + q] = s * mkp + c * mkq
        }
        for (let k = 0; k < d; k++) {
          const mpk = m[p * d + k] as number
          const mqk = m[q * d + k] as number
          m[p * d + k] = c * mpk - s * mqk
          m[q * d + k] = s * mpk + c * mqk
        }
        for (let k = 0; k < d; k++) {
          const vkp = v[k * d + p] as number
          const vkq = v[k * d + q] as number
          v[k * d + p] = c * vkp - s * vkq
          v[k * d + q] = s * vkp + c * vkq
        }
      }
    }
  }
  const values = new Float64Array(d)
  for (let i = 0; i < d; i++) values[i] = m[i * d + i] as number
  return { values, vectors: v }
}
