import { cumulativeWeights, pickFromCdf } from '../cumulativeWeights.js'
import type { Rng } from '../Rng.js'
import type { DiscreteSpec, TransformerSpec } from '../transformer/TransformerSpec.js'

/**
 * Conditional vectors and training-by-sampling (Xu et al. 2019, §4.3): a discrete column is picked
 * uniformly, then one of its categories with probability ∝ log(1 + frequency) during training, so rare
 * categories are seen often enough; at sampling time the true frequencies are used instead, so the
 * output keeps the real marginals.
 */
export class CondSampler {
  readonly columns: readonly DiscreteSpec[]
  private readonly trainCdf: readonly Float64Array[]
  private readonly trueCdf: readonly Float64Array[]

  constructor(spec: TransformerSpec) {
    this.columns = spec.columns.filter((c): c is DiscreteSpec => c.type === 'discrete')
    this.trainCdf = this.columns.map((c) => cumulativeWeights(c.counts.map((n) => Math.log1p(n))))
    this.trueCdf = this.columns.map((c) => cumulativeWeights(c.counts))
  }

  get isEmpty(): boolean {
    return this.columns.length === 0
  }

  /**
   * Fills `cond` ([batch, condDim], zeroed by the caller) and returns the chosen column and slot per row.
   * `frequencies` picks the training (log) or the true distribution.
   */
  sample(
    rng: Rng,
    batch: number,
    condDim: number,
    cond: Float32Array,
    frequencies: 'log' | 'true',
  ): { column: Int32Array; slot: Int32Array } {
    const column = new Int32Array(batch)
    const slot = new Int32Array(batch)
    const cdfs = frequencies === 'log' ? this.trainCdf : this.trueCdf
    for (let i = 0; i < batch; i++) {
      const c = rng.int(this.columns.length)
      const s = pickFromCdf(cdfs[c]!, rng.uniform())
      column[i] = c
      slot[i] = s
      cond[i * condDim + this.columns[c]!.condStart + s] = 1
    }
    return { column, slot }
  }
}
