import type { Random } from '@modelgate/core'
import type { Constraint, Fixed } from './copulaConditions.js'
import { cholesky, invertSpd } from './linalg.js'
import { truncatedNormal } from './truncatedNormal.js'

/** Draws latent rows of a factor copula z = Λ f + √ψ ε (see `fitFactorCopula.ts`). */
export interface FactorSampler {
  readonly d: number
  readonly k: number
  /** Λ, d × k row-major. */
  readonly lambda: Float64Array
  /** √ψ per dimension. */
  readonly sd: Float64Array
  /**
   * Draws `rows` unconditional rows into `z`, dimension-major (`z[j·rows + r]`), block by block: d·(k + 1)
   * multiply-adds per row, each dimension's value formed in one pass over the block (its noise, then its nonzero
   * loadings times the block's factor draws, added in factor order).
   */
  drawRows(z: Float64Array, rows: number, random: Random): void
}

/** Receives dimension j's latent values of rows r0 … r0 + size (valid during the call only). */
export type LatentSink = (j: number, values: Float64Array, r0: number, size: number) => void

/** Rows drawn together: the block's factor draws (k × BLOCK) stay in cache while every dimension reads them. */
const BLOCK = 512

export function createFactorSampler(loadings: readonly (readonly number[])[]): FactorSampler {
  const d = loadings.length
  const k = loadings[0]?.length ?? 0
  const lambda = new Float64Array(d * k)
  const sd = new Float64Array(d)
  // Each dimension's nonzero loadings (factor index and value), in factor order: `nzStart[j] … nzStart[j + 1]`.
  const nzStart = new Int32Array(d + 1)
  const nzFactor: number[] = []
  const nzLoading: number[] = []
  for (let j = 0; j < d; j++) {
    const row = loadings[j] as readonly number[]
    let communality = 0
    for (let a = 0; a < k; a++) {
      const x = row[a] as number
      lambda[j * k + a] = x
      communality += x * x
      if (x !== 0) {
        nzFactor.push(a)
        nzLoading.push(x)
      }
    }
    sd[j] = Math.sqrt(Math.max(0, 1 - communality))
    nzStart[j + 1] = nzFactor.length
  }
  const factorOf = Int32Array.from(nzFactor)
  const loadingOf = Float64Array.from(nzLoading)
  const f = new Float64Array(k * BLOCK)
  const drawRows = (z: Float64Array, rows: number, random: Random): void => {
    for (let r0 = 0; r0 < rows; r0 += BLOCK) {
      const size = Math.min(BLOCK, rows - r0)
      random.fillNormal(f, 0, k * BLOCK)
      for (let j = 0; j < d; j++) {
        const at = j * rows + r0
        random.fillNormal(z, at, at + size)
        // z = (((√ψ·ε + λ₁f₁) + λ₂f₂) + …): the same additions in the same order as one pass per factor, but up
        // to four factors per pass over the block, in registers.
        let first = true
        for (let x = nzStart[j] as number, end = nzStart[j + 1] as number; x < end || first; x += 4) {
          const s = first ? (sd[j] as number) : 1
          const m = Math.min(4, end - x)
          const l0 = m > 0 ? (loadingOf[x] as number) : 0
          const l1 = m > 1 ? (loadingOf[x + 1] as number) : 0
          const l2 = m > 2 ? (loadingOf[x + 2] as number) : 0
          const l3 = m > 3 ? (loadingOf[x + 3] as number) : 0
          const f0 = m > 0 ? (factorOf[x] as number) * BLOCK : 0
          const f1 = m > 1 ? (factorOf[x + 1] as number) * BLOCK : 0
          const f2 = m > 2 ? (factorOf[x + 2] as number) * BLOCK : 0
          const f3 = m > 3 ? (factorOf[x + 3] as number) * BLOCK : 0
          if (m >= 4 && first) {
            for (let r = 0; r < size; r++) {
              const t = s * (z[at + r] as number) + l0 * (f[f0 + r] as number)
              z[at + r] = t + l1 * (f[f1 + r] as number) + l2 * (f[f2 + r] as number) + l3 * (f[f3 + r] as number)
            }
          } else if (m >= 4) {
            for (let r = 0; r < size; r++) {
              const t = (z[at + r] as number) + l0 * (f[f0 + r] as number)
              z[at + r] = t + l1 * (f[f1 + r] as number) + l2 * (f[f2 + r] as number) + l3 * (f[f3 + r] as number)
            }
          } else if (m === 3) {
            for (let r = 0; r < size; r++) {
              const t = s * (z[at + r] as number) + l0 * (f[f0 + r] as number)
              z[at + r] = t + l1 * (f[f1 + r] as number) + l2 * (f[f2 + r] as number)
            }
          } else if (m === 2) {
            for (let r = 0; r < size; r++)
              z[at + r] = s * (z[at + r] as number) + l0 * (f[f0 + r] as number) + l1 * (f[f1 + r] as number)
          } else if (m === 1) {
            for (let r = 0; r < size; r++) z[at + r] = s * (z[at + r] as number) + l0 * (f[f0 + r] as number)
          } else for (let r = 0; r < size; r++) z[at + r] = s * (z[at + r] as number)
          first = false
        }
      }
    }
  }
  return { d, k, lambda, sd, drawRows }
}

/** Conditional sampling of a factor copula given interval constraints on some dimensions. */
export interface FactorConditioner {
  readonly constrained: Int32Array
  readonly lo: Float64Array
  readonly hi: Float64Array
  /** f | z_c ~ N(Bᵀ z_c, V): B (c × k) and the Cholesky factor of V (k × k). */
  readonly b: Float64Array
  readonly vChol: Float64Array
  readonly free: Int32Array
  readonly sweeps: number
  readonly fixed: readonly Fixed[]
}

/**
 * Given constraints z_c ∈ [lo, hi], the factors f and the constrained values are drawn by Gibbs sampling of
 * (f, z_c): f | z_c is normal, N(V Λ_cᵀ Ψ_c⁻¹ z_c, V) with V = (I + Λ_cᵀ Ψ_c⁻¹ Λ_c)⁻¹, and each z_i | f is the
 * normal N(Λ_i f, ψ_i) truncated to its interval; the free dimensions then follow from f alone. With only point
 * constraints a single exact draw of f suffices. O(c·k²) to build, whatever d.
 */
export function buildFactorConditioner(
  sampler: FactorSampler,
  constraints: readonly Constraint[],
  fixed: readonly Fixed[],
): FactorConditioner {
  const { k, lambda, sd } = sampler
  const c = constraints.length
  const constrained = Int32Array.from(constraints, (x) => x.dim)
  const g = new Float64Array(k * k)
  for (let a = 0; a < k; a++) g[a * k + a] = 1
  for (const dim of constrained) {
    const w = 1 / (sd[dim] as number) ** 2
    for (let a = 0; a < k; a++)
      for (let x = 0; x < k; x++)
        g[a * k + x] = (g[a * k + x] as number) + w * (lambda[dim * k + a] as number) * (lambda[dim * k + x] as number)
  }
  const v = k > 0 ? invertSpd(g, k) : new Float64Array(0)
  const b = new Float64Array(c * k)
  for (let i = 0; i < c; i++) {
    const dim = constrained[i] as number
    const w = 1 / (sd[dim] as number) ** 2
    for (let a = 0; a < k; a++) {
      let s = 0
      for (let x = 0; x < k; x++) s += (lambda[dim * k + x] as number) * (v[x * k + a] as number)
      b[i * k + a] = s * w
    }
  }
  const set = new Set(constrained)
  const free = Int32Array.from(Array.from({ length: sampler.d }, (_, i) => i).filter((i) => !set.has(i)))
  const intervals = constraints.filter((x) => x.lo !== x.hi).length
  return {
    constrained,
    lo: Float64Array.from(constraints, (x) => x.lo),
    hi: Float64Array.from(constraints, (x) => x.hi),
    b,
    vChol: k > 0 ? cholesky(v, k) : new Float64Array(0),
    free,
    sweeps: intervals === 0 ? 0 : 30,
    fixed,
  }
}

export function drawFactorConditional(
  sampler: FactorSampler,
  z: Float64Array,
  rows: number,
  cond: FactorConditioner,
  random: Random,
): void {
  const { k, lambda, sd } = sampler
  const c = cond.constrained.length
  const zc = new Float64Array(c)
  const f = new Float64Array(k)
  const noise = new Float64Array(k)
  const drawFactors = (): void => {
    random.fillNormal(noise)
    for (let a = 0; a < k; a++) {
      let s = 0
      for (let i = 0; i < c; i++) s += (cond.b[i * k + a] as number) * (zc[i] as number)
      for (let x = 0; x <= a; x++) s += (cond.vChol[a * k + x] as number) * (noise[x] as number)
      f[a] = s
    }
  }
  const mean = (dim: number): number => {
    let s = 0
    for (let a = 0; a < k; a++) s += (lambda[dim * k + a] as number) * (f[a] as number)
    return s
  }
  for (let r = 0; r < rows; r++) {
    for (let i = 0; i < c; i++) zc[i] = truncatedNormal(0, 1, cond.lo[i] as number, cond.hi[i] as number, random)
    for (let sweep = 0; sweep < cond.sweeps; sweep++) {
      drawFactors()
      for (let i = 0; i < c; i++) {
        const dim = cond.constrained[i] as number
        zc[i] = truncatedNormal(mean(dim), sd[dim] as number, cond.lo[i] as number, cond.hi[i] as number, random)
      }
    }
    drawFactors()
    for (let i = 0; i < c; i++) z[(cond.constrained[i] as number) * rows + r] = zc[i] as number
    for (let x = 0; x < cond.free.length; x++) {
      const dim = cond.free[x] as number
      z[dim * rows + r] = mean(dim) + (sd[dim] as number) * random.normal()
    }
  }
}
