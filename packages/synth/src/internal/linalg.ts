import { jacobiEigen } from '@modelgate/stats'
import { SynthError } from '../errors.js'

/** Small dense linear algebra on row-major Float64Arrays (d × d). */

/** Makes a d × d matrix exactly symmetric in place: each pair of off-diagonal entries becomes their mean. */
export function symmetrize(a: Float64Array, d: number): void {
  for (let i = 0; i < d; i++)
    for (let j = 0; j < i; j++) {
      const avg = ((a[i * d + j] as number) + (a[j * d + i] as number)) / 2
      a[i * d + j] = avg
      a[j * d + i] = avg
    }
}

/**
 * Repairs a symmetric matrix with unit diagonal into a positive definite correlation matrix: eigenvalues
 * clipped at `floor`, reassembled, rescaled to unit diagonal (Rousseeuw & Molenberghs 1993, the first
 * step of Higham's 2002 alternating projections).
 */
export function repairCorrelation(a: Float64Array, d: number, floor = 1e-4): Float64Array {
  // Every eigenvalue is ≥ floor exactly when A − floor·I has a Cholesky factor: an O(d³/6) test that spares the
  // O(d³)-per-sweep Jacobi decomposition in the common case (the matrix needs no repair).
  const shifted = Float64Array.from(a)
  for (let i = 0; i < d; i++) shifted[i * d + i] = (shifted[i * d + i] as number) - floor
  if (choleskyOrNull(shifted, d) !== null) return Float64Array.from(a)
  const { values, vectors } = jacobiEigen(a, d)
  const out = new Float64Array(d * d)
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) {
      let s = 0
      for (let k = 0; k < d; k++)
        s += (vectors[i * d + k] as number) * Math.max(floor, values[k] as number) * (vectors[j * d + k] as number)
      out[i * d + j] = s
    }
  }
  const diag = new Float64Array(d)
  for (let i = 0; i < d; i++) diag[i] = out[i * d + i] as number
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++)
      out[i * d + j] = (out[i * d + j] as number) / Math.sqrt((diag[i] as number) * (diag[j] as number) || 1)
  }
  for (let i = 0; i < d; i++) out[i * d + i] = 1
  return out
}

/** Lower Cholesky factor of A + jitter·I, or null when that is not positive definite. */
function choleskyOrNull(a: Float64Array, d: number, jitter = 0): Float64Array | null {
  const l = new Float64Array(d * d)
  for (let i = 0; i < d; i++) {
    const ri = i * d
    for (let j = 0; j <= i; j++) {
      const rj = j * d
      let s = (a[ri + j] as number) + (i === j ? jitter : 0)
      for (let k = 0; k < j; k++) s -= (l[ri + k] as number) * (l[rj + k] as number)
      if (i === j) {
        if (!(s > 0)) return null
        l[ri + i] = Math.sqrt(s)
      } else l[ri + j] = s / (l[rj + j] as number)
    }
  }
  return l
}

/** Lower Cholesky factor; adds diagonal jitter (growing ×10) when the matrix is numerically not PD. */
export function cholesky(a: Float64Array, d: number): Float64Array {
  for (let jitter = 0; jitter < 1; jitter = jitter === 0 ? 1e-10 : jitter * 10) {
    const l = choleskyOrNull(a, d, jitter)
    if (l !== null) return l
  }
  throw new SynthError(
    'MG_SYNTH_MODEL_CORRUPT',
    `A ${d}×${d} correlation matrix is not positive definite, even with 1 added to its diagonal (NaN or out-of-range entries).`,
  )
}

/** Solves A x = b for symmetric positive definite A (via Cholesky). */
function _solveSpd(a: Float64Array, d: number, b: Float64Array): Float64Array {
  return solveCholesky(cholesky(a, d), d, b)
}

/** Solves L Lᵀ x = b given the lower Cholesky factor L. */
function solveCholesky(l: Float64Array, d: number, b: Float64Array): Float64Array {
  const y = new Float64Array(d)
  for (let i = 0; i < d; i++) {
    let s = b[i] as number
    for (let k = 0; k < i; k++) s -= (l[i * d + k] as number) * (y[k] as number)
    y[i] = s / (l[i * d + i] as number)
  }
  const x = new Float64Array(d)
  for (let i = d - 1; i >= 0; i--) {
    let s = y[i] as number
    for (let k = i + 1; k < d; k++) s -= (l[k * d + i] as number) * (x[k] as number)
    x[i] = s / (l[i * d + i] as number)
  }
  return x
}

/** Inverse of a symmetric positive definite matrix (one Cholesky factorization, then d solves: O(d³)). */
export function invertSpd(a: Float64Array, d: number): Float64Array {
  const l = cholesky(a, d)
  const inv = new Float64Array(d * d)
  const e = new Float64Array(d)
  for (let j = 0; j < d; j++) {
    e.fill(0)
    e[j] = 1
    const col = solveCholesky(l, d, e)
    for (let i = 0; i < d; i++) inv[i * d + j] = col[i] as number
  }
  return inv
}
