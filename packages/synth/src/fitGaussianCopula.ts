import type { ArgumentShape, Random } from '@modelgate/core'
import { checkArgument } from '@modelgate/core'
import { z } from 'zod'
import { COPULA_HINT, copulaDimShape, copulaOptionsShape } from './internal/arguments.js'
import { invertSpd, repairCorrelation } from './internal/linalg.js'
import { normalPpfFast } from './internal/special.js'
import { truncatedNormal } from './internal/truncatedNormal.js'
import type { CopulaParams } from './modelFile.js'

export interface CopulaDimInput {
  readonly column: string
  readonly part: 'value' | 'null'
  /** Ordinal key per row; NaN = missing for this dimension. */
  readonly keys: Float64Array
}

export interface FitGaussianCopulaOptions {
  readonly random: Random
  /** Rows used to estimate the correlation (a seeded subsample when the table is larger). Default 20,000. */
  readonly maxRows?: number
  /** Gibbs data-augmentation sweeps (half burn-in, half averaged). Default 8; 0 keeps random tie-breaking. */
  readonly gibbsSweeps?: number
}

const numRowsArgument = z.number().int().nonnegative()
const dimsArgument = z.array(z.object(copulaDimShape satisfies ArgumentShape<CopulaDimInput>))
const optionsArgument = z.object(copulaOptionsShape satisfies ArgumentShape<FitGaussianCopulaOptions>)

/**
 * Fits the correlation of a Gaussian copula on normal scores (Φ⁻¹ of randomized-rank pseudo-observations,
 * Genest, Ghoudi & Rivest 1995). Discrete dimensions (categories, point masses, null indicators) only tell
 * which interval of the latent normal a row lies in, so the latent values are then refined by Gibbs data
 * augmentation under the extended rank likelihood (Hoff 2007, "Extending the rank likelihood for
 * semiparametric copula estimation"): each tied or missing latent value is redrawn from its conditional normal
 * given the row's other latents, truncated to its interval, and the correlation re-estimated (a stochastic EM).
 * This recovers dependence that random tie-breaking blurs (a null indicator that depends on a threshold,
 * education ↔ education-num). The matrix is repaired to the nearest positive definite correlation matrix.
 * Not differentially private: with `epsilon`, training uses the DP copula (`internal/dp/fitDpCopula.ts`) instead.
 */
export function fitGaussianCopula(
  dims: readonly CopulaDimInput[],
  numRows: number,
  options: FitGaussianCopulaOptions,
): CopulaParams {
  const call = { call: 'fitGaussianCopula(dims, numRows, options)', hint: COPULA_HINT }
  checkArgument(dimsArgument, dims, { ...call, name: 'dims' })
  checkArgument(numRowsArgument, numRows, { ...call, name: 'numRows' })
  checkArgument(optionsArgument, options, { ...call, name: 'options' })
  const d = dims.length
  const maxRows = options.maxRows ?? 20_000
  const rows = selectRows(numRows, maxRows, options.random)
  const m = rows.length
  const sameColumn = (i: number, j: number): boolean =>
    (dims[i] as CopulaDimInput).column === (dims[j] as CopulaDimInput).column
  const latent = dims.map((dim) => latentIntervals(dim.keys, rows, options.random))
  const z = latent.map((l) => l.z)
  let corr = repairCorrelation(correlationOf(z, m, d, sameColumn), d)
  const sweeps = options.gibbsSweeps ?? 8
  const burnIn = Math.floor(sweeps / 2)
  const average = new Float64Array(d * d)
  let kept = 0
  for (let sweep = 0; sweep < sweeps && d > 1; sweep++) {
    const precision = invertSpd(corr, d)
    const mean = new Float64Array(m)
    for (let j = 0; j < d; j++) {
      const l = latent[j] as LatentDim
      if (!l.discrete) continue
      const pjj = precision[j * d + j] as number
      const sd = Math.sqrt(1 / pjj)
      mean.fill(0)
      for (let k = 0; k < d; k++) {
        if (k === j) continue
        const coef = -(precision[j * d + k] as number) / pjj
        if (coef === 0) continue
        const zk = z[k] as Float64Array
        for (let r = 0; r < m; r++) mean[r] = (mean[r] as number) + coef * (zk[r] as number)
      }
      const zj = z[j] as Float64Array
      for (let r = 0; r < m; r++)
        zj[r] = truncatedNormal(mean[r] as number, sd, l.lo[r] as number, l.hi[r] as number, options.random)
    }
    corr = repairCorrelation(correlationOf(z, m, d, sameColumn), d)
    if (sweep >= burnIn) {
      for (let x = 0; x < d * d; x++) average[x] = (average[x] as number) + (corr[x] as number)
      kept++
    }
  }
  if (kept > 0)
    corr = repairCorrelation(
      average.map((x) => x / kept),
      d,
    )
  const matrix: number[][] = []
  for (let i = 0; i < d; i++) {
    const row: number[] = []
    for (let j = 0; j < d; j++) row.push(i === j ? 1 : Math.round((corr[i * d + j] as number) * 1e6) / 1e6)
    matrix.push(row)
  }
  return { dims: dims.map((x) => ({ column: x.column, part: x.part })), correlation: matrix }
}

interface LatentDim {
  /** Initial latent values (normal scores; standard normal draws where missing). */
  readonly z: Float64Array
  /** Interval of each row's latent value on the normal scale (−∞, ∞ where missing). */
  readonly lo: Float64Array
  readonly hi: Float64Array
  /** Whether any row is tied or missing, i.e. needs data augmentation. */
  readonly discrete: boolean
}

function latentIntervals(keys: Float64Array, rows: Uint32Array, random: Random): LatentDim {
  const m = rows.length
  const z = new Float64Array(m)
  const lo = new Float64Array(m).fill(Number.NEGATIVE_INFINITY)
  const hi = new Float64Array(m).fill(Number.POSITIVE_INFINITY)
  const sorted = presentSorted(keys, rows)
  const count = sorted.length
  let discrete = count < m
  for (let r = 0; r < m; r++) {
    const key = keys[rows[r] as number] as number
    if (Number.isNaN(key)) {
      z[r] = random.normal()
      continue
    }
    const start = lowerBound(sorted, key)
    const end = upperBound(sorted, key)
    // A uniform position inside the tie group: the randomized rank.
    z[r] = normalPpfFast((start + random.uniform() * (end - start)) / count)
    if (end - start > 1) {
      discrete = true
      lo[r] = normalPpfFast(start / count)
      hi[r] = normalPpfFast(end / count)
    } else {
      lo[r] = z[r] as number
      hi[r] = z[r] as number
    }
  }
  return { z, lo, hi, discrete }
}

function presentSorted(keys: Float64Array, rows: Uint32Array): Float64Array {
  let count = 0
  for (let r = 0; r < rows.length; r++) if (!Number.isNaN(keys[rows[r] as number] as number)) count++
  const sorted = new Float64Array(count)
  let c = 0
  for (let r = 0; r < rows.length; r++) {
    const key = keys[rows[r] as number] as number
    if (!Number.isNaN(key)) sorted[c++] = key
  }
  return sorted.sort()
}

function lowerBound(sorted: Float64Array, x: number): number {
  let a = 0
  let b = sorted.length
  while (a < b) {
    const mid = (a + b) >> 1
    if ((sorted[mid] as number) < x) a = mid + 1
    else b = mid
  }
  return a
}

function upperBound(sorted: Float64Array, x: number): number {
  let a = 0
  let b = sorted.length
  while (a < b) {
    const mid = (a + b) >> 1
    if ((sorted[mid] as number) <= x) a = mid + 1
    else b = mid
  }
  return a
}

/** Pearson correlation of complete latent columns; 0 between the value and null dimensions of one column. */
function correlationOf(
  z: readonly Float64Array[],
  m: number,
  d: number,
  sameColumn: (i: number, j: number) => boolean,
): Float64Array {
  const centered = z.map((col) => {
    let s = 0
    for (let r = 0; r < m; r++) s += col[r] as number
    const mu = s / m
    let ss = 0
    const out = new Float64Array(m)
    for (let r = 0; r < m; r++) {
      const v = (col[r] as number) - mu
      out[r] = v
      ss += v * v
    }
    const scale = ss > 0 ? 1 / Math.sqrt(ss) : 0
    for (let r = 0; r < m; r++) out[r] = (out[r] as number) * scale
    return out
  })
  const corr = new Float64Array(d * d)
  for (let i = 0; i < d; i++) {
    corr[i * d + i] = 1
    const a = centered[i] as Float64Array
    for (let j = i + 1; j < d; j++) {
      let r = 0
      if (!sameColumn(i, j)) {
        const b = centered[j] as Float64Array
        for (let x = 0; x < m; x++) r += (a[x] as number) * (b[x] as number)
        r = Math.max(-0.999, Math.min(0.999, r))
      }
      corr[i * d + j] = r
      corr[j * d + i] = r
    }
  }
  return corr
}

function selectRows(n: number, max: number, random: Random): Uint32Array {
  if (n <= max) {
    const all = new Uint32Array(n)
    for (let i = 0; i < n; i++) all[i] = i
    return all
  }
  // Selection sampling (Knuth's Algorithm S): a sorted uniform subset of size max.
  const out = new Uint32Array(max)
  let chosen = 0
  for (let i = 0; i < n && chosen < max; i++) {
    if ((n - i) * random.uniform() < max - chosen) out[chosen++] = i
  }
  return out
}

/** Normal scores of the selected rows (randomized ranks: a uniform position inside each tie group); NaN where the key is missing. */
export function normalScores(keys: Float64Array, rows: Uint32Array, random: Random): Float64Array {
  const m = rows.length
  const out = new Float64Array(m)
  const sorted = presentSorted(keys, rows)
  const count = sorted.length
  for (let r = 0; r < m; r++) {
    const key = keys[rows[r] as number] as number
    if (Number.isNaN(key)) {
      out[r] = Number.NaN
      continue
    }
    const start = lowerBound(sorted, key)
    const end = upperBound(sorted, key)
    out[r] = normalPpfFast((start + random.uniform() * (end - start)) / count)
  }
  return out
}
