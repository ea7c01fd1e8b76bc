import type { Architecture } from '../networks.js'
import type { Rng } from '../Rng.js'
import type { EncodedTable, TransformerSpec } from '../transformer/TransformerSpec.js'
import { CondSampler } from './CondSampler.js'

/** The sampled condition of each row of a batch: its discrete column (in span order) and slot. */
export interface BatchSlots {
  readonly column: Int32Array
  readonly slot: Int32Array
}

export interface BatchSamplerOptions {
  readonly arch: Architecture
  readonly spec: TransformerSpec
  readonly encoded: EncodedTable
  /** Rows of this trainer's share of a batch. */
  readonly rows: number
  /** Discriminator dropout probability. */
  readonly dropout: number
}

/**
 * The random inputs of a training step (Xu et al. 2019, §4.3): noise and conditional vectors (training-by-sampling,
 * see CondSampler), real rows that hold the sampled conditions, and the discriminator's dropout masks. Every draw
 * comes from the Rng passed in, in a fixed order, so a seed replays a step exactly; buffers are reused from step
 * to step (each is read before it is refilled).
 */
export class BatchSampler {
  private readonly arch: Architecture
  private readonly encoded: EncodedTable
  private readonly conditions: CondSampler
  private readonly rows: number
  private readonly numRows: number
  private readonly keep: number
  private readonly input: Float32Array
  private readonly noise: Float32Array
  private readonly cond: Float32Array
  private readonly perm: Int32Array
  /** Dropout masks: per hidden layer, one set for fake+real packs and one for interpolated packs. */
  private readonly maskBuffers: Float32Array[]
  /** Bulk uniforms for the masks (the Rng's `uniform()` sequence, drawn in one loop). */
  private readonly uniforms: Float64Array

  constructor(options: BatchSamplerOptions) {
    const { arch, encoded, rows } = options
    this.arch = arch
    this.encoded = encoded
    this.conditions = new CondSampler(options.spec)
    this.rows = rows
    this.numRows = encoded.data.length / arch.dataDim
    this.keep = 1 - options.dropout
    const packs = rows / arch.pac
    this.input = new Float32Array(rows * (arch.embeddingDim + arch.condDim))
    this.noise = new Float32Array(rows * arch.embeddingDim)
    this.cond = new Float32Array(rows * arch.condDim)
    this.perm = new Int32Array(rows)
    this.maskBuffers = arch.discriminatorDims.flatMap((h) => [
      new Float32Array(2 * packs * h),
      new Float32Array(packs * h),
    ])
    this.uniforms = new Float64Array(2 * packs * Math.max(0, ...arch.discriminatorDims))
  }

  /**
   * The generator's input [rows, embeddingDim + condDim] (noise, then the conditional vector), the conditional
   * vectors alone [rows, condDim] and the sampled slots. `frequencies`: log-frequencies as in training, or the
   * true ones (as sampling draws conditions).
   */
  noiseAndCond(
    rng: Rng,
    frequencies: 'log' | 'true' = 'log',
  ): { input: Float32Array; cond: Float32Array; slots: BatchSlots } {
    const b = this.rows
    const { embeddingDim, condDim } = this.arch
    const width = embeddingDim + condDim
    const input = this.input
    const noise = rng.fillNormal(this.noise)
    const cond = this.cond
    cond.fill(0)
    const slots = this.conditions.isEmpty
      ? { column: new Int32Array(0), slot: new Int32Array(0) }
      : this.conditions.sample(rng, b, condDim, cond, frequencies)
    for (let i = 0; i < b; i++) {
      input.set(noise.subarray(i * embeddingDim, (i + 1) * embeddingDim), i * width)
      input.set(cond.subarray(i * condDim, (i + 1) * condDim), i * width + embeddingDim)
    }
    return { input, cond, slots }
  }

  /**
   * Real rows matching a permutation of the sampled conditions, each followed by that condition's vector
   * (one-hot in the chosen column only, as the fake rows get); written at `into[offset…]` as [row | cond].
   */
  realRows(rng: Rng, slots: BatchSlots, cond: Float32Array, into: Float32Array, offset: number): void {
    const b = this.rows
    const { dataDim, condDim } = this.arch
    const width = dataDim + condDim
    const data = this.encoded.data
    const perm = this.perm
    for (let i = 0; i < b; i++) perm[i] = i
    for (let i = b - 1; i > 0; i--) {
      const j = rng.int(i + 1)
      const t = perm[i]!
      perm[i] = perm[j]!
      perm[j] = t
    }
    for (let i = 0; i < b; i++) {
      let row: number
      const p = perm[i]!
      if (slots.column.length === 0) row = rng.int(this.numRows)
      else {
        const list = this.encoded.rowsBySlot[slots.column[p]!]![slots.slot[p]!]!
        row = list[rng.int(list.length)]!
      }
      into.set(data.subarray(row * dataDim, (row + 1) * dataDim), offset + i * width)
      into.set(cond.subarray(p * condDim, (p + 1) * condDim), offset + i * width + dataDim)
    }
  }

  /**
   * Dropout keep-masks (scaled by 1/(1−p)) for `packs` packs, one per hidden layer of the discriminator. Set 0
   * serves the fake+real packs (and the generator step), set 1 the interpolated packs of the gradient penalty.
   */
  dropoutMasks(rng: Rng, packs: number, set: 0 | 1): Float32Array[] {
    const keep = this.keep
    const scale = keep > 0 ? 1 / keep : 0
    return this.arch.discriminatorDims.map((h, layer) => {
      const m = this.maskBuffers[2 * layer + set]!.subarray(0, packs * h)
      const u = rng.fillUniform64(this.uniforms, 0, m.length)
      for (let i = 0; i < m.length; i++) m[i] = u[i]! < keep ? scale : 0
      return m
    })
  }
}
