import type { Architecture } from '../networks.js'
import type { Rng } from '../Rng.js'
import type { DiscreteSpec } from '../transformer/TransformerSpec.js'

/** Half of 2⁻³²: added to a 32-bit uniform in [0, 1) it lies in (0, 1), as Rng.uniformOpen() gives. */
const HALF_ULP = 0.5 / 4294967296

export interface GeneratorOutputOptions {
  readonly arch: Architecture
  /** The discrete columns (their spans are the conditional vector). */
  readonly discrete: readonly DiscreteSpec[]
  /** Rows of this trainer's share of a batch. */
  readonly rows: number
  /** Gumbel-softmax temperature τ. */
  readonly tau: number
}

/**
 * The generator's output layer in training (Xu et al. 2019, §4.4): tanh on each α, Gumbel-softmax (τ) on each
 * span, and, backwards, the gradient through those activations plus the condition loss — the cross-entropy
 * between each row's conditional vector and the logits of the span it names.
 */
export class GeneratorOutput {
  private readonly arch: Architecture
  private readonly rows: number
  private readonly invTau: number
  /** For each conditional-vector position, the (start, size) of its column's span in row coordinates. */
  private readonly condSpan: Int32Array
  /** Float64 scratch of one span: E^(−1/τ) reaches ~1e50 at τ = 0.2. */
  private readonly spanScratch: Float64Array
  /** Bulk uniforms (the Rng's `uniform()` sequence, drawn in one loop). */
  private readonly uniforms: Float64Array
  private readonly dRaw: Float32Array

  constructor(options: GeneratorOutputOptions) {
    const { arch, rows } = options
    this.arch = arch
    this.rows = rows
    this.invTau = 1 / options.tau
    this.condSpan = new Int32Array(arch.condDim * 2)
    for (const c of options.discrete) {
      for (let j = 0; j < c.spanSize; j++) {
        this.condSpan[2 * (c.condStart + j)] = c.spanStart
        this.condSpan[2 * (c.condStart + j) + 1] = c.spanSize
      }
    }
    this.spanScratch = new Float64Array(Math.max(1, ...arch.spans.map(([, n]) => n)))
    this.uniforms = new Float64Array(rows * (arch.dataDim - arch.numContinuous))
    this.dRaw = new Float32Array(rows * arch.dataDim)
  }

  /**
   * Activates the raw output [rows, dataDim] and writes each row with its conditional vector as [fake | cond] at
   * `into[offset…]` (the packed discriminator layout). Draws one uniform per span entry.
   */
  activate(rng: Rng, raw: Float32Array, cond: Float32Array, into: Float32Array, offset: number): void {
    const b = this.rows
    const { dataDim, condDim, numContinuous, spans } = this.arch
    const width = dataDim + condDim
    const invTau = this.invTau
    const fifth = invTau === 5
    const scratch = this.spanScratch
    // One uniform per span entry, in row order: the values uniformOpen() would give, drawn in one loop.
    const uniforms = rng.fillUniform64(this.uniforms, 0, b * (dataDim - numContinuous))
    let next = 0
    for (let i = 0; i < b; i++) {
      const src = i * dataDim
      const dst = offset + i * width
      for (let j = 0; j < numContinuous; j++) into[dst + j] = Math.tanh(raw[src + j]!)
      for (const [start, size] of spans) {
        let max = Number.NEGATIVE_INFINITY
        for (let t = 0; t < size; t++) {
          const y = raw[src + start + t]! * invTau
          scratch[t] = y
          if (y > max) max = y
        }
        // exp((raw + g)/τ) with Gumbel g = −log E, E ~ Exp(1), is exp(raw/τ)·E^(−1/τ): one logarithm per
        // entry instead of two.
        let sum = 0
        for (let t = 0; t < size; t++) {
          const e = -Math.log(uniforms[next++]! + HALF_ULP)
          const w = Math.exp(scratch[t]! - max) * (fifth ? 1 / (e * e * e * e * e) : e ** -invTau)
          scratch[t] = w
          sum += w
        }
        const inv = 1 / sum
        for (let t = 0; t < size; t++) into[dst + start + t] = scratch[t]! * inv
      }
      for (let j = 0; j < condDim; j++) into[dst + dataDim + j] = cond[i * condDim + j]!
    }
  }

  /**
   * ∂L/∂raw [rows, dataDim] from ∂L/∂(activated rows) `dInput` (in the packed [fake | cond] layout of `activated`),
   * plus the gradient of the condition loss on the raw logits, a mean over the whole batch's `allRows` rows.
   * Returns that buffer (reused by the next call) and the summed cross-entropy.
   */
  backward(
    dInput: Float32Array,
    activated: Float32Array,
    raw: Float32Array,
    cond: Float32Array,
    allRows: number,
  ): { dRaw: Float32Array; crossEntropy: number } {
    const b = this.rows
    const { dataDim, condDim, numContinuous, spans, condOffset } = this.arch
    const width = dataDim + condDim
    const dRaw = this.dRaw
    const invTau = this.invTau
    let crossEntropy = 0
    for (let i = 0; i < b; i++) {
      const src = i * width
      const dst = i * dataDim
      for (let j = 0; j < numContinuous; j++) {
        const a = activated[src + j]!
        dRaw[dst + j] = dInput[src + j]! * (1 - a * a)
      }
      for (const [start, size] of spans) {
        let dot = 0
        for (let t = 0; t < size; t++) dot += dInput[src + start + t]! * activated[src + start + t]!
        for (let t = 0; t < size; t++)
          dRaw[dst + start + t] = activated[src + start + t]! * (dInput[src + start + t]! - dot) * invTau
      }
      for (let j = 0; j < condDim; j++) {
        if (cond[i * condDim + j] !== 1) continue
        const start = this.condSpan[2 * j]!
        const size = this.condSpan[2 * j + 1]!
        const target = condOffset + j
        let max = Number.NEGATIVE_INFINITY
        for (let t = 0; t < size; t++) max = Math.max(max, raw[dst + start + t]!)
        let sum = 0
        for (let t = 0; t < size; t++) sum += Math.exp(raw[dst + start + t]! - max)
        const logSum = max + Math.log(sum)
        crossEntropy -= raw[dst + target]! - logSum
        for (let t = 0; t < size; t++) dRaw[dst + start + t]! += Math.exp(raw[dst + start + t]! - logSum) / allRows
        dRaw[dst + target]! -= 1 / allRows
      }
    }
    return { dRaw, crossEntropy }
  }
}
