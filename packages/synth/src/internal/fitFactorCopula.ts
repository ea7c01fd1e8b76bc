import type { Random } from '@modelgate/core'
import { jacobiEigen } from '@modelgate/stats'
import type { LatentDim } from './latentScores.js'
import { cholesky, invertSpd, symmetrize } from './linalg.js'
import { redrawTruncatedNormal } from './truncatedNormal.js'

/** A low-rank-plus-diagonal latent correlation: R = Λ Λᵀ + diag(ψ), unit diagonal. */
export interface FactorStructure {
  /** d × k, row-major. */
  readonly loadings: Float64Array
  readonly uniqueness: Float64Array
  readonly factors: number
}

export interface FitFactorOptions {
  readonly random: Random
  /** Most factors considered. Default 16. */
  readonly maxFactors?: number
  /** Stochastic EM sweeps (half burn-in, half averaged). Default 6. */
  readonly sweeps?: number
}

/** Smallest uniqueness kept (a column never explained entirely by the factors: keeps R positive definite). */
const MIN_UNIQUENESS = 0.005
/** Rows used to choose the number of factors and start the loadings. */
const START_ROWS = 2000

/**
 * Fits a Gaussian factor copula: the latent normal scores z = Λ f + ε, f ~ N(0, I_k), ε ~ N(0, diag ψ), so the
 * correlation costs d·k numbers to store and d·k multiply-adds per sampled row instead of d² (and no O(d³)
 * factorization). The steps are the ones of the literature, written here from the papers:
 * - the number of factors k: eigenvalues of the sample correlation above the Marchenko–Pastur edge (1 + √(d/n))²,
 *   the largest eigenvalue pure noise would reach (Marchenko & Pastur 1967; its use to pick factors: Onatski 2009,
 *   Kritchman & Nadler 2008), from a randomized subspace iteration on the data (Halko, Martinsson & Tropp 2011)
 *   that never forms the d × d matrix;
 * - the loadings start from the principal components (principal-factor start, Harman 1976) and are refined by
 *   the EM algorithm for maximum-likelihood factor analysis (Rubin & Thayer 1982), run as a stochastic EM in which
 *   the latent values of tied, categorical and missing entries are redrawn each sweep from their truncated normal
 *   given the factors — the data augmentation of the extended rank likelihood for Gaussian copula factor models
 *   (Hoff 2007; Murray, Dunson, Carin & Lucas 2013, "Bayesian Gaussian copula factor models for mixed data").
 * Each sweep costs O(n·d·k). The result is rescaled to unit diagonal.
 */
export function fitFactorCopula(latent: readonly LatentDim[], m: number, options: FitFactorOptions): FactorStructure {
  const d = latent.length
  const random = options.random
  const z = latent.map((l) => l.z)
  const start = startingLoadings(z, m, Math.min(options.maxFactors ?? 16, d - 1), random)
  const k = start.factors
  let lambda = start.loadings
  let psi = start.uniqueness
  const sweeps = options.sweeps ?? 6
  const burnIn = Math.floor(sweeps / 2)
  const sumLambda = new Float64Array(d * k)
  const sumPsi = new Float64Array(d)
  let kept = 0
  const ef = new Float64Array(m * k)
  const f = new Float64Array(m * k)
  const noise = new Float64Array(k)
  for (let sweep = 0; sweep < sweeps; sweep++) {
    // E-step: f | z ~ N(V Λᵀ Ψ⁻¹ z, V), V = (I + Λᵀ Ψ⁻¹ Λ)⁻¹.
    const g = new Float64Array(k * k)
    for (let a = 0; a < k; a++) g[a * k + a] = 1
    for (let j = 0; j < d; j++) {
      const w = 1 / (psi[j] as number)
      for (let a = 0; a < k; a++) {
        const la = (lambda[j * k + a] as number) * w
        for (let b = 0; b < k; b++) g[a * k + b] = (g[a * k + b] as number) + la * (lambda[j * k + b] as number)
      }
    }
    const v = invertSpd(g, k)
    const vChol = cholesky(v, k)
    // B = Ψ⁻¹ Λ V (d × k): E[f_r] = Bᵀ z_r.
    const b = new Float64Array(d * k)
    for (let j = 0; j < d; j++) {
      const w = 1 / (psi[j] as number)
      for (let a = 0; a < k; a++) {
        let s = 0
        for (let c = 0; c < k; c++) s += (lambda[j * k + c] as number) * (v[c * k + a] as number)
        b[j * k + a] = s * w
      }
    }
    ef.fill(0)
    addOuters(ef, z, b, m, k)
    // Draw the factors, then redraw every tied or missing latent value given them.
    for (let r = 0; r < m; r++) {
      random.fillNormal(noise)
      for (let a = 0; a < k; a++) {
        let s = ef[r * k + a] as number
        for (let c = 0; c <= a; c++) s += (vChol[a * k + c] as number) * (noise[c] as number)
        f[r * k + a] = s
      }
    }
    for (let j = 0; j < d; j++) {
      const l = latent[j] as LatentDim
      if (!l.discrete) continue
      const { z: zj, group, groupLo, groupHi } = l
      const sd = Math.sqrt(psi[j] as number)
      for (let r = 0; r < m; r++) {
        const g = group[r] as number
        if (g < 0) continue
        let mean = 0
        for (let a = 0; a < k; a++) mean += (lambda[j * k + a] as number) * (f[r * k + a] as number)
        zj[r] = redrawTruncatedNormal(mean, sd, groupLo[g] as number, groupHi[g] as number, random)
      }
    }
    // M-step: Λ = (Σ z E[f]ᵀ)(Σ E[f fᵀ])⁻¹, ψ = diag(Σ z zᵀ − Λ Σ E[f] zᵀ)/n, E[f fᵀ] = V + E[f]E[f]ᵀ.
    const sff = new Float64Array(k * k)
    for (let r = 0; r < m; r++)
      for (let a = 0; a < k; a++) {
        const x = ef[r * k + a] as number
        for (let c = 0; c < k; c++) sff[a * k + c] = (sff[a * k + c] as number) + x * (ef[r * k + c] as number)
      }
    for (let x = 0; x < k * k; x++) sff[x] = (sff[x] as number) + m * (v[x] as number)
    const sffInv = invertSpd(sff, k)
    const nextLambda = new Float64Array(d * k)
    const nextPsi = new Float64Array(d)
    const szf = new Float64Array(k)
    for (let j = 0; j < d; j++) {
      const zj = z[j] as Float64Array
      szf.fill(0)
      let szz = 0
      for (let r = 0; r < m; r++) {
        const x = zj[r] as number
        szz += x * x
        const row = r * k
        for (let a = 0; a < k; a++) szf[a] = (szf[a] as number) + x * (ef[row + a] as number)
      }
      let explained = 0
      let communality = 0
      for (let a = 0; a < k; a++) {
        let s = 0
        for (let c = 0; c < k; c++) s += (szf[c] as number) * (sffInv[c * k + a] as number)
        nextLambda[j * k + a] = s
        explained += s * (szf[a] as number)
        communality += s * s
      }
      // Rescaled to unit diagonal: the latent scores are standard normal by construction.
      const variance = szz / m
      const unique = Math.max(MIN_UNIQUENESS * variance, variance - explained / m)
      const scale = 1 / Math.sqrt(communality + unique)
      for (let a = 0; a < k; a++) nextLambda[j * k + a] = (nextLambda[j * k + a] as number) * scale
      nextPsi[j] = unique * scale * scale
    }
    lambda = nextLambda
    psi = nextPsi
    if (sweep >= burnIn) {
      for (let x = 0; x < d * k; x++) sumLambda[x] = (sumLambda[x] as number) + (lambda[x] as number)
      for (let j = 0; j < d; j++) sumPsi[j] = (sumPsi[j] as number) + (psi[j] as number)
      kept++
    }
  }
  if (kept > 0) {
    lambda = sumLambda.map((x) => x / kept)
    psi = sumPsi.map((x) => x / kept)
  }
  return normalized(lambda, psi, d, k)
}

/**
 * out[r, :] += x_j[r] · b[j, :] for every row and every column x_j in turn (out is n × k, row-major), four columns per
 * pass over `out` — each entry still adds the columns' terms one by one in column order (a zero x adds nothing).
 */
function addOuters(out: Float64Array, xs: readonly Float64Array[], b: Float64Array, m: number, k: number): void {
  const d = xs.length
  let j = 0
  for (; j + 3 < d; j += 4) {
    const x0 = xs[j] as Float64Array
    const x1 = xs[j + 1] as Float64Array
    const x2 = xs[j + 2] as Float64Array
    const x3 = xs[j + 3] as Float64Array
    const b0 = j * k
    const b1 = b0 + k
    const b2 = b1 + k
    const b3 = b2 + k
    for (let r = 0; r < m; r++) {
      const v0 = x0[r] as number
      const v1 = x1[r] as number
      const v2 = x2[r] as number
      const v3 = x3[r] as number
      const row = r * k
      for (let a = 0; a < k; a++) {
        let t = out[row + a] as number
        if (v0 !== 0) t += v0 * (b[b0 + a] as number)
        if (v1 !== 0) t += v1 * (b[b1 + a] as number)
        if (v2 !== 0) t += v2 * (b[b2 + a] as number)
        if (v3 !== 0) t += v3 * (b[b3 + a] as number)
        out[row + a] = t
      }
    }
  }
  for (; j < d; j++) {
    const x = xs[j] as Float64Array
    const base = j * k
    for (let r = 0; r < m; r++) {
      const xr = x[r] as number
      if (xr === 0) continue
      const row = r * k
      for (let a = 0; a < k; a++) out[row + a] = (out[row + a] as number) + xr * (b[base + a] as number)
    }
  }
}

/** Loadings rescaled so every row of Λ Λᵀ + ψ has unit diagonal. */
function normalized(lambda: Float64Array, psi: Float64Array, d: number, k: number): FactorStructure {
  const loadings = new Float64Array(d * k)
  const uniqueness = new Float64Array(d)
  for (let j = 0; j < d; j++) {
    let communality = 0
    for (let a = 0; a < k; a++) communality += (lambda[j * k + a] as number) ** 2
    const total = communality + Math.max(MIN_UNIQUENESS, psi[j] as number)
    const scale = 1 / Math.sqrt(total)
    let kept = 0
    for (let a = 0; a < k; a++) {
      const x = (lambda[j * k + a] as number) * scale
      loadings[j * k + a] = x
      kept += x * x
    }
    uniqueness[j] = 1 - kept
  }
  return { loadings, uniqueness, factors: k }
}

/**
 * The number of factors and starting loadings: the top eigenpairs of the sample correlation of (at most
 * START_ROWS of) the rows by randomized subspace iteration (Halko, Martinsson & Tropp 2011, algorithm 4.4 with
 * q = 2), the factors kept being those whose eigenvalue passes the Marchenko–Pastur edge; loadings u·√λ.
 */
function startingLoadings(z: readonly Float64Array[], m: number, maxFactors: number, random: Random): FactorStructure {
  const d = z.length
  const n = Math.min(m, START_ROWS)
  // Standardized columns of the first n rows (they are a uniform sample already: row selection is random).
  const cols = z.map((col) => {
    let s = 0
    for (let r = 0; r < n; r++) s += col[r] as number
    const mu = s / n
    let ss = 0
    const out = new Float64Array(n)
    for (let r = 0; r < n; r++) {
      const x = (col[r] as number) - mu
      out[r] = x
      ss += x * x
    }
    const scale = ss > 0 ? 1 / Math.sqrt(ss / n) : 0
    for (let r = 0; r < n; r++) out[r] = (out[r] as number) * scale
    return out
  })
  const p = Math.max(1, Math.min(d, maxFactors + 8))
  let q: Float64Array = new Float64Array(d * p)
  random.fillNormal(q)
  orthonormalize(q, d, p)
  for (let it = 0; it < 3; it++) {
    q = multiplyCorrelation(cols, q, n, d, p)
    orthonormalize(q, d, p)
  }
  // Rayleigh–Ritz: B = Qᵀ R Q (p × p), R = XᵀX / n never formed.
  const rq = multiplyCorrelation(cols, q, n, d, p)
  const small = new Float64Array(p * p)
  for (let a = 0; a < p; a++)
    for (let c = 0; c < p; c++) {
      let s = 0
      for (let j = 0; j < d; j++) s += (q[j * p + a] as number) * (rq[j * p + c] as number)
      small[a * p + c] = s
    }
  symmetrize(small, p)
  const { values, vectors } = jacobiEigen(small, p)
  const order = Array.from({ length: p }, (_, i) => i).sort((a, c) => (values[c] as number) - (values[a] as number))
  const edge = (1 + Math.sqrt(d / n)) ** 2
  let k = 0
  while (k < Math.min(maxFactors, p) && (values[order[k] as number] as number) > edge) k++
  k = Math.max(1, k)
  const loadings = new Float64Array(d * k)
  for (let a = 0; a < k; a++) {
    const e = order[a] as number
    const scale = Math.sqrt(Math.max(0, values[e] as number))
    for (let j = 0; j < d; j++) {
      let s = 0
      for (let c = 0; c < p; c++) s += (q[j * p + c] as number) * (vectors[c * p + e] as number)
      loadings[j * k + a] = s * scale
    }
  }
  const uniqueness = new Float64Array(d)
  for (let j = 0; j < d; j++) {
    let communality = 0
    for (let a = 0; a < k; a++) communality += (loadings[j * k + a] as number) ** 2
    if (communality > 0.95) {
      const shrink = Math.sqrt(0.95 / communality)
      for (let a = 0; a < k; a++) loadings[j * k + a] = (loadings[j * k + a] as number) * shrink
      communality = 0.95
    }
    uniqueness[j] = 1 - communality
  }
  return { loadings, uniqueness, factors: k }
}

/** R Q for R = XᵀX / n with X's columns `cols` (n rows): Xᵀ (X Q) / n, O(n·d·p). Q and the result are d × p. */
function multiplyCorrelation(
  cols: readonly Float64Array[],
  q: Float64Array,
  n: number,
  d: number,
  p: number,
): Float64Array {
  const xq = new Float64Array(n * p)
  addOuters(xq, cols, q, n, p)
  // out[j, :] = Σ_r x_j[r] · xq[r, :] / n, four columns j per pass over xq (each sum still in row order).
  const out = new Float64Array(d * p)
  let j = 0
  for (; j + 3 < d; j += 4) {
    const c0 = cols[j] as Float64Array
    const c1 = cols[j + 1] as Float64Array
    const c2 = cols[j + 2] as Float64Array
    const c3 = cols[j + 3] as Float64Array
    const o0 = j * p
    for (let r = 0; r < n; r++) {
      const v0 = c0[r] as number
      const v1 = c1[r] as number
      const v2 = c2[r] as number
      const v3 = c3[r] as number
      const row = r * p
      for (let a = 0; a < p; a++) {
        const y = xq[row + a] as number
        if (v0 !== 0) out[o0 + a] = (out[o0 + a] as number) + v0 * y
        if (v1 !== 0) out[o0 + p + a] = (out[o0 + p + a] as number) + v1 * y
        if (v2 !== 0) out[o0 + 2 * p + a] = (out[o0 + 2 * p + a] as number) + v2 * y
        if (v3 !== 0) out[o0 + 3 * p + a] = (out[o0 + 3 * p + a] as number) + v3 * y
      }
    }
  }
  for (; j < d; j++) {
    const col = cols[j] as Float64Array
    const o = j * p
    for (let r = 0; r < n; r++) {
      const x = col[r] as number
      if (x === 0) continue
      const row = r * p
      for (let a = 0; a < p; a++) out[o + a] = (out[o + a] as number) + x * (xq[row + a] as number)
    }
  }
  for (let x = 0; x < d * p; x++) out[x] = (out[x] as number) / n
  return out
}

/** Modified Gram–Schmidt on the p columns of a d × p row-major matrix (a zero column is replaced by a unit one). */
function orthonormalize(q: Float64Array, d: number, p: number): void {
  for (let a = 0; a < p; a++) {
    for (let c = 0; c < a; c++) {
      let dot = 0
      for (let j = 0; j < d; j++) dot += (q[j * p + a] as number) * (q[j * p + c] as number)
      for (let j = 0; j < d; j++) q[j * p + a] = (q[j * p + a] as number) - dot * (q[j * p + c] as number)
    }
    let norm = 0
    for (let j = 0; j < d; j++) norm += (q[j * p + a] as number) ** 2
    norm = Math.sqrt(norm)
    if (norm < 1e-12) {
      for (let j = 0; j < d; j++) q[j * p + a] = j === a % d ? 1 : 0
      norm = 1
    }
    for (let j = 0; j < d; j++) q[j * p + a] = (q[j * p + a] as number) / norm
  }
}
