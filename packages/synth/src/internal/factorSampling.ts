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
   * Draws `rows` unconditional rows block by block (d·(k + 1) multiply-adds per row) and hands each dimension's
   * values of each block to `sink` while they are in cache: `values[0 … size)` are rows r0 … r0 + size of
   * dimension j (the buffer is reused: read it before returning). No latent matrix of the whole run is formed.
   */
  drawBlocks(rows: number, random: Random, sink: LatentSink): void
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
  for (let j = 0; j < d; j++) {
    const row = loadings[j] as readonly number[]
    let communality = 0
    for (let a = 0; a < k; a++) {
      const x = row[a] as number
      lambda[j * k + a] = x
      communality += x * x
    }
    sd[j] = Math.sqrt(Math.max(0, 1 - communality))
  }
  const f = new Float64Array(k * BLOCK)
  const e = new Float64Array(BLOCK)
  const drawBlocks = (rows: number, random: Random, sink: LatentSink): void => {
    for (let r0 = 0; r0 < rows; r0 += BLOCK) {
      const size = Math.min(BLOCK, rows - r0)
      random.fillNormal(f, 0, k * BLOCK)
      for (let j = 0; j < d; j++) {
        // Accumulated in the block's buffer (in cache) and decoded from there.
        random.fillNormal(e, 0, size)
        const s = sd[j] as number
        for (let r = 0; r < size; r++) e[r] = s * (e[r] as number)
        for (let a = 0; a < k; a++) {
          const l = lambda[j * k + a] as number
          if (l === 0) continue
          const fa = a * BLOCK
          for (let r = 0; r < size; r++) e[r] = (e[r] as number) + l * (f[fa + r] as number)
        }
        sink(j, e, r0, size)
      }
    }
  }
  return { d, k, lambda, sd, drawBlocks }
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
