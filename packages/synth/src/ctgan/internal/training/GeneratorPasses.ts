import type { MatrixEngine } from '../engine/MatrixEngine.js'
import type { Architecture, Networks } from '../networks.js'
import { BATCH_NORM_EPSILON, BATCH_NORM_MOMENTUM } from '../networks.js'
import type { Replicas } from './Replicas.js'
import { soloReplicas } from './Replicas.js'
import { addRowVector, columnSums } from './rowMajor.js'

/** What the backward pass needs of one residual block's forward pass. */
interface BlockCache {
  readonly input: Float32Array
  readonly inputWidth: number
  readonly xhat: Float32Array
  readonly inv: Float32Array
  /** Batch-normalised pre-activation (ReLU passes where it is positive). */
  readonly y: Float32Array
}

/** A forward pass of the generator: the raw output [rows, dataDim] and what the backward pass needs. */
export interface GeneratorPass {
  readonly blocks: readonly BlockCache[]
  readonly last: Float32Array
  readonly lastWidth: number
  readonly raw: Float32Array
}

export interface GeneratorForwardOptions {
  /** Keep the block caches (x̂) for a backward pass (the generator step); the discriminator step's pass does not. */
  readonly keepCaches: boolean
  /** Batch-norm momentum of the running statistics. Default 0.1, as PyTorch. */
  readonly momentum?: number
  /**
   * Batch statistics over the rows of every replica that shares them (sync batch norm), as one batch would give.
   * Default true; false: this replica's rows alone (the standing statistics of the weight average).
   */
  readonly shareStatistics?: boolean
}

export interface GeneratorPassesOptions {
  readonly engine: MatrixEngine
  readonly arch: Architecture
  /** The trainer's replica group (its rank decides who contributes γ's and β's shared gradients). */
  readonly replicas: Replicas
  /** The replicas that share batch-norm statistics: all of them, or this one alone (ghost batch norm). */
  readonly normReplicas: Replicas
}

/**
 * Forward and backward passes of the CTGAN generator (Xu et al. 2019, §4.4: residual blocks Linear → BatchNorm →
 * ReLU, each output concatenated with its input, then a Linear output layer) over host arrays. The products go to
 * the MatrixEngine; batch norm, ReLU and the residual concatenation are host loops.
 */
export class GeneratorPasses {
  private readonly engine: MatrixEngine
  private readonly arch: Architecture
  private readonly replicas: Replicas
  private readonly normReplicas: Replicas
  /**
   * Block output buffers reused from step to step: one set for passes whose caches the backward pass reads (the
   * generator step's), one for passes only read forward (the discriminator step's, standing statistics).
   */
  private readonly outputs: { readonly kept: Float32Array[]; readonly scratch: Float32Array[] } = {
    kept: [],
    scratch: [],
  }

  constructor(options: GeneratorPassesOptions) {
    this.engine = options.engine
    this.arch = options.arch
    this.replicas = options.replicas
    this.normReplicas = options.normReplicas
  }

  /**
   * Training-mode forward pass of `input` [rows, embeddingDim + condDim]: batch statistics, the running statistics
   * updated as PyTorch does (momentum, unbiased variance).
   */
  forward(nets: Networks, input: Float32Array, rows: number, options: GeneratorForwardOptions): GeneratorPass {
    const keep = options.keepCaches
    const momentum = options.momentum ?? BATCH_NORM_MOMENTUM
    const replicas = (options.shareStatistics ?? true) ? this.normReplicas : soloReplicas
    const engine = this.engine
    const blocks: BlockCache[] = []
    let h = input
    let width = this.arch.embeddingDim + this.arch.condDim
    for (const [index, block] of nets.blocks.entries()) {
      const units = block.gamma.values.length
      const pre = engine.gemm(h, block.w.values, rows, width, units)
      const { mean, inv } = batchStatistics(
        pre,
        rows,
        units,
        block.runMean.values,
        block.runVar.values,
        momentum,
        replicas,
      )
      // x̂ = (pre − mean)·inv, y = γ·x̂ + β (written over `pre`) and the ReLU output, in one pass.
      const xhat = keep ? new Float32Array(rows * units) : EMPTY
      const y = pre
      const gamma = block.gamma.values
      const beta = block.beta.values
      const nextWidth = units + width
      const next = this.blockOutput(keep, index, rows * nextWidth)
      for (let r = 0; r < rows; r++) {
        const o = r * units
        const n = r * nextWidth
        for (let j = 0; j < units; j++) {
          const x = (pre[o + j]! - mean[j]!) * inv[j]!
          if (keep) xhat[o + j] = x
          const v = x * gamma[j]! + beta[j]!
          y[o + j] = v
          next[n + j] = Math.max(v, 0)
        }
        next.set(h.subarray(r * width, (r + 1) * width), n + units)
      }
      blocks.push({ input: h, inputWidth: width, xhat, inv, y })
      h = next
      width = nextWidth
    }
    const raw = engine.gemm(h, nets.outW.values, rows, width, this.arch.dataDim)
    addRowVector(raw, rows, nets.outB.values)
    return { blocks, last: h, lastWidth: width, raw }
  }

  /** Backward through the generator from ∂L/∂raw; returns gradients in generatorVariables order. */
  backward(nets: Networks, pass: GeneratorPass, dRaw: Float32Array, rows: number): Float32Array[] {
    const engine = this.engine
    const dataDim = this.arch.dataDim
    const dOutW = engine.gemm(pass.last, dRaw, pass.lastWidth, rows, dataDim, true)
    const dOutB = columnSums(dRaw, rows, dataDim)
    let dh = engine.gemm(dRaw, nets.outW.values, rows, dataDim, pass.lastWidth, false, true)
    let dhWidth = pass.lastWidth
    const grads: Float32Array[][] = []
    for (let i = nets.blocks.length - 1; i >= 0; i--) {
      const block = nets.blocks[i]!
      const cache = pass.blocks[i]!
      const units = block.gamma.values.length
      const gamma = block.gamma.values
      const dy = new Float32Array(rows * units)
      const sums = new Float64Array(2 * units)
      for (let r = 0; r < rows; r++) {
        const o = r * units
        const s = r * dhWidth
        for (let j = 0; j < units; j++) {
          const d = cache.y[o + j]! > 0 ? dh[s + j]! : 0
          dy[o + j] = d
          sums[j]! += d * cache.xhat[o + j]!
          sums[units + j]! += d
        }
      }
      // Σ(dy·x̂) and Σdy over the whole batch: they are γ's and β's gradients, and ∂L/∂pre needs them.
      this.normReplicas.sum(sums)
      const dGamma = sums.subarray(0, units)
      const dBeta = sums.subarray(units)
      // ∂L/∂pre = γ·inv/n · (n·dy − Σdy − x̂·Σ(dy·x̂)) over the n rows of the whole batch, written over dy.
      const n = rows * this.normReplicas.count
      const dPre = dy
      for (let r = 0; r < rows; r++) {
        const o = r * units
        for (let j = 0; j < units; j++) {
          dPre[o + j] =
            ((gamma[j]! * cache.inv[j]!) / n) * (n * dy[o + j]! - dBeta[j]! - cache.xhat[o + j]! * dGamma[j]!)
        }
      }
      // With shared statistics, γ's and β's gradients are already whole-batch sums: only the first replica
      // contributes them to the exchange.
      const own = this.normReplicas.count === 1 || this.replicas.rank === 0
      grads.unshift([
        engine.gemm(cache.input, dPre, cache.inputWidth, rows, units, true),
        own ? Float32Array.from(dGamma) : new Float32Array(units),
        own ? Float32Array.from(dBeta) : new Float32Array(units),
      ])
      if (i > 0) {
        // The block input's gradient: its pass-through share of dh plus dPre·Wᵀ.
        const back = engine.gemm(dPre, block.w.values, rows, units, cache.inputWidth, false, true)
        for (let r = 0; r < rows; r++) {
          const s = r * dhWidth + units
          const o = r * cache.inputWidth
          for (let c = 0; c < cache.inputWidth; c++) back[o + c]! += dh[s + c]!
        }
        dh = back
        dhWidth = cache.inputWidth
      }
    }
    return [...grads.flat(), dOutW, dOutB]
  }

  private blockOutput(keep: boolean, block: number, size: number): Float32Array {
    const set = keep ? this.outputs.kept : this.outputs.scratch
    let buffer = set[block]
    if (buffer === undefined || buffer.length !== size) {
      buffer = new Float32Array(size)
      set[block] = buffer
    }
    return buffer
  }
}

const EMPTY = new Float32Array(0)

/**
 * Batch statistics per column of `pre` [rows, units] over the rows of every replica: the mean and
 * 1/√(var + ε) with the biased variance, as BatchNorm normalises; the running statistics move by the momentum
 * with the unbiased variance. One pass of float64 sums (Σx, Σx²) and one exchange between replicas: the
 * pre-activations are O(1), so E[x²] − E[x]² loses nothing that matters in float64.
 */
function batchStatistics(
  pre: Float32Array,
  rows: number,
  units: number,
  runMean: Float32Array,
  runVar: Float32Array,
  momentum: number,
  replicas: Replicas,
): { mean: Float64Array; inv: Float32Array } {
  const n = rows * replicas.count
  const sums = new Float64Array(2 * units)
  for (let r = 0; r < rows; r++) {
    const o = r * units
    for (let j = 0; j < units; j++) {
      const x = pre[o + j]!
      sums[j]! += x
      sums[units + j]! += x * x
    }
  }
  replicas.sum(sums)
  const mean = sums.subarray(0, units)
  const inv = new Float32Array(units)
  const m = momentum
  for (let j = 0; j < units; j++) {
    mean[j]! /= n
    const variance = Math.max(0, sums[units + j]! / n - mean[j]! * mean[j]!)
    inv[j] = 1 / Math.sqrt(variance + BATCH_NORM_EPSILON)
    runMean[j] = (1 - m) * runMean[j]! + m * mean[j]!
    runVar[j] = (1 - m) * runVar[j]! + (m * variance * n) / Math.max(1, n - 1)
  }
  return { mean, inv }
}
