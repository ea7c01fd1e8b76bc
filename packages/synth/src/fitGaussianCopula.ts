import type { ArgumentShape, Random } from '@modelgate/core'
import { checkArgument } from '@modelgate/core'
import { z } from 'zod'
import { COPULA_HINT, copulaDimShape, copulaOptionsShape } from './internal/arguments.js'
import { fitFactorCopula } from './internal/fitFactorCopula.js'
import type { LatentDim } from './internal/latentScores.js'
import { latentIntervals } from './internal/latentScores.js'
import { invertSpd, repairCorrelation } from './internal/linalg.js'
import { redrawTruncatedNormal } from './internal/truncatedNormal.js'
import type { CopulaParams } from './modelFile.js'

/**
 * Latent dimensions up to which the copula keeps a dense correlation matrix; above, a factor (low-rank plus
 * diagonal) correlation, whose fit and sampling cost grow linearly in the dimensions instead of as d² and d³.
 */
export const DENSE_COPULA_MAX_DIMS = 128
/** Cells (rows × dimensions) a factor fit reads at most: wide tables are fitted on a seeded subsample of rows. */
const FACTOR_FIT_CELLS = 5_000_000
/** The fewest rows a factor fit reads, however wide the table (up to the table's rows). */
const FACTOR_FIT_MIN_ROWS = 1000
const DEFAULT_MAX_ROWS = 10_000
/** Rows a dense Gibbs sweep updates together. */
const GIBBS_BLOCK = 256

export interface CopulaDimInput {
  readonly column: string
  readonly part: 'value' | 'null'
  /** Ordinal key per row; NaN = missing for this dimension. */
  readonly keys: Float64Array
}

export interface FitGaussianCopulaOptions {
  readonly random: Random
  /**
   * Rows used to estimate the correlation (a seeded subsample when the table is larger). Default 10,000: a
   * correlation's sampling error is then about 0.01 (it was 20,000; on Adult halving it moved Column Pair Trends by
   * under 0.001 and the fit's time by half — bench/RESULTS.md).
   */
  readonly maxRows?: number
  /** Gibbs data-augmentation sweeps (half burn-in, half averaged). Default 6; 0 keeps random tie-breaking. */
  readonly gibbsSweeps?: number
  /**
   * Dense correlation or factor structure. Default `auto`: dense up to DENSE_COPULA_MAX_DIMS (128) latent
   * dimensions, factor above.
   */
  readonly structure?: 'auto' | 'dense' | 'factor'
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
 * Above DENSE_COPULA_MAX_DIMS dimensions the correlation is a factor structure (`internal/fitFactorCopula.ts`),
 * fitted on at most 5 million cells (a seeded subsample of at least 1,000 rows).
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
  const structure = options.structure ?? 'auto'
  const factor = structure === 'factor' || (structure === 'auto' && d > DENSE_COPULA_MAX_DIMS)
  const maxRows = factor
    ? Math.min(
        options.maxRows ?? DEFAULT_MAX_ROWS,
        Math.max(FACTOR_FIT_MIN_ROWS, Math.floor(FACTOR_FIT_CELLS / Math.max(1, d))),
      )
    : (options.maxRows ?? DEFAULT_MAX_ROWS)
  const rows = selectRows(numRows, maxRows, options.random)
  const m = rows.length
  const latent: LatentDim[] = []
  for (let j = 0; j < d; j++) {
    latent.push(latentIntervals((dims[j] as CopulaDimInput).keys, rows, options.random))
  }
  const dimsOut = dims.map((x) => ({ column: x.column, part: x.part }))
  if (factor && d > 1) {
    const fit = fitFactorCopula(latent, m, {
      random: options.random,
      sweeps: Math.max(2, options.gibbsSweeps ?? 6),
    })
    const k = fit.factors
    const round = (x: number): number => Math.round(x * 1e6) / 1e6
    return {
      version: 2,
      structure: 'factor',
      dims: dimsOut,
      loadings: Array.from({ length: d }, (_, j) => Array.from(fit.loadings.subarray(j * k, (j + 1) * k), round)),
    }
  }
  const sameColumn = (i: number, j: number): boolean =>
    (dims[i] as CopulaDimInput).column === (dims[j] as CopulaDimInput).column
  const z = latent.map((l) => l.z)
  const scratch: Float64Array[] = []
  let corr = repairCorrelation(correlationOf(z, m, d, sameColumn, scratch), d)
  const sweeps = options.gibbsSweeps ?? 6
  const burnIn = Math.floor(sweeps / 2)
  const average = new Float64Array(d * d)
  let kept = 0
  const discrete = latent.flatMap((l, j) => (l.discrete ? [j] : []))
  const mean = new Float64Array(GIBBS_BLOCK)
  // Per discrete dimension, the other dimensions with a nonzero regression coefficient and the coefficients.
  const others = discrete.map(() => ({ dims: [] as Float64Array[], coefs: [] as number[], sd: 1 }))
  for (let sweep = 0; sweep < sweeps && d > 1; sweep++) {
    const precision = invertSpd(corr, d)
    discrete.forEach((j, t) => {
      const o = others[t] as (typeof others)[number]
      const pjj = precision[j * d + j] as number
      o.sd = Math.sqrt(1 / pjj)
      o.dims.length = 0
      o.coefs.length = 0
      for (let k = 0; k < d; k++) {
        if (k === j) continue
        const coef = -(precision[j * d + k] as number) / pjj
        if (coef === 0) continue
        o.dims.push(z[k] as Float64Array)
        o.coefs.push(coef)
      }
    })
    // Rows are independent given the correlation, so each block of rows takes its sweep over the dimensions in turn:
    // the block's latent values stay in cache while every dimension reads them.
    for (let r0 = 0; r0 < m; r0 += GIBBS_BLOCK) {
      const size = Math.min(GIBBS_BLOCK, m - r0)
      for (let t = 0; t < discrete.length; t++) {
        const j = discrete[t] as number
        const l = latent[j] as LatentDim
        const o = others[t] as (typeof others)[number]
        const sd = o.sd
        conditionalMean(mean, size, r0, o.dims, o.coefs)
        redrawBlock(z[j] as Float64Array, l, r0, size, mean, sd, options.random)
      }
    }
    corr = repairCorrelation(correlationOf(z, m, d, sameColumn, scratch), d)
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
  return { dims: dimsOut, correlation: matrix }
}

/**
 * Redraws the block's tied and missing latent values of one dimension from their conditional normals truncated to
 * their intervals. A function of its own, small enough for the compiler to inline the draw into the loop, so no
 * drawn value is boxed on the way.
 */
function redrawBlock(
  zj: Float64Array,
  l: LatentDim,
  r0: number,
  size: number,
  mean: Float64Array,
  sd: number,
  random: Random,
): void {
  const { group, groupLo, groupHi } = l
  for (let r = 0; r < size; r++) {
    const g = group[r0 + r] as number
    if (g >= 0)
      zj[r0 + r] = redrawTruncatedNormal(mean[r] as number, sd, groupLo[g] as number, groupHi[g] as number, random)
  }
}

/**
 * mean[r] = Σ_k coefs[k] · dims[k][r0 + r] for the block's rows, summed in k order from 0 — four terms per pass in a
 * register (the same additions in the same order as one pass per term, so the same values; a quarter of the loads
 * and stores of the running sums).
 */
function conditionalMean(
  mean: Float64Array,
  size: number,
  r0: number,
  dims: readonly Float64Array[],
  coefs: readonly number[],
): void {
  mean.fill(0, 0, size)
  const n = dims.length
  let k = 0
  for (; k + 4 <= n; k += 4) {
    const a = dims[k] as Float64Array
    const b = dims[k + 1] as Float64Array
    const c = dims[k + 2] as Float64Array
    const e = dims[k + 3] as Float64Array
    const ca = coefs[k] as number
    const cb = coefs[k + 1] as number
    const cc = coefs[k + 2] as number
    const ce = coefs[k + 3] as number
    for (let r = 0; r < size; r++) {
      const x = r0 + r
      let s = mean[r] as number
      s = s + ca * (a[x] as number)
      s = s + cb * (b[x] as number)
      s = s + cc * (c[x] as number)
      s = s + ce * (e[x] as number)
      mean[r] = s
    }
  }
  for (; k < n; k++) {
    const a = dims[k] as Float64Array
    const ca = coefs[k] as number
    for (let r = 0; r < size; r++) mean[r] = (mean[r] as number) + ca * (a[r0 + r] as number)
  }
}

/** Pearson correlation of complete latent columns; 0 between the value and null dimensions of one column. */
function correlationOf(
  z: readonly Float64Array[],
  m: number,
  d: number,
  sameColumn: (i: number, j: number) => boolean,
  scratch: Float64Array[] = [],
): Float64Array {
  const centered = z.map((col, j) => {
    let out = scratch[j]
    if (out === undefined) {
      out = new Float64Array(m)
      scratch[j] = out
    }
    return standardize(col, out, m)
  })
  const corr = new Float64Array(d * d)
  const set = (i: number, j: number, dot: number): void => {
    const r = sameColumn(i, j) ? 0 : Math.max(-0.999, Math.min(0.999, dot))
    corr[i * d + j] = r
    corr[j * d + i] = r
  }
  for (let i = 0; i < d; i++) {
    corr[i * d + i] = 1
    const a = centered[i] as Float64Array
    let j = i + 1
    // Four dot products per pass over column i, each summed in row order (the same values as one at a time).
    for (; j + 4 <= d; j += 4) {
      const b = centered[j] as Float64Array
      const c = centered[j + 1] as Float64Array
      const e = centered[j + 2] as Float64Array
      const f = centered[j + 3] as Float64Array
      let sb = 0
      let sc = 0
      let se = 0
      let sf = 0
      for (let x = 0; x < m; x++) {
        const ax = a[x] as number
        sb += ax * (b[x] as number)
        sc += ax * (c[x] as number)
        se += ax * (e[x] as number)
        sf += ax * (f[x] as number)
      }
      set(i, j, sb)
      set(i, j + 1, sc)
      set(i, j + 2, se)
      set(i, j + 3, sf)
    }
    for (; j < d; j++) {
      const b = centered[j] as Float64Array
      let sb = 0
      for (let x = 0; x < m; x++) sb += (a[x] as number) * (b[x] as number)
      set(i, j, sb)
    }
  }
  return corr
}

/** `out` = the column centered and scaled to unit length (all zeros when constant). */
function standardize(col: Float64Array, out: Float64Array, m: number): Float64Array {
  let s = 0
  for (let r = 0; r < m; r++) s += col[r] as number
  const mu = s / m
  let ss = 0
  for (let r = 0; r < m; r++) {
    const v = (col[r] as number) - mu
    out[r] = v
    ss += v * v
  }
  const scale = ss > 0 ? 1 / Math.sqrt(ss) : 0
  for (let r = 0; r < m; r++) out[r] = (out[r] as number) * scale
  return out
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
