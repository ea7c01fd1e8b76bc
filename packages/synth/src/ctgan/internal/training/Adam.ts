import type { Weight } from '../networks.js'

export interface AdamOptions {
  readonly learningRate: number
  readonly beta1: number
  readonly beta2: number
  /** L2 weight decay, added to the gradient. */
  readonly weightDecay: number
  /** Default 1e-8. */
  readonly eps?: number
  /** Storage for the moments, by name (`m.0`, `v.0`, …): shared memory when replicas update them together. */
  readonly allocate?: (name: string, length: number) => Float32Array
}

/**
 * Adam (Kingma & Ba 2015) with L2 weight decay added to the gradient, as PyTorch's `Adam(weight_decay=…)`,
 * updating host weight arrays in place: one pass per parameter over its gradient parts.
 */
export class Adam {
  readonly m: Float32Array[]
  readonly v: Float32Array[]
  step = 0
  private readonly lr: number
  private readonly beta1: number
  private readonly beta2: number
  private readonly weightDecay: number
  private readonly eps: number

  constructor(
    readonly params: readonly Weight[],
    options: AdamOptions,
  ) {
    this.lr = options.learningRate
    this.beta1 = options.beta1
    this.beta2 = options.beta2
    this.weightDecay = options.weightDecay
    this.eps = options.eps ?? 1e-8
    const allocate = options.allocate ?? ((_: string, length: number) => new Float32Array(length))
    this.m = params.map((p, i) => allocate(`m.${i}`, p.values.length))
    this.v = params.map((p, i) => allocate(`v.${i}`, p.values.length))
  }

  /** Restores moments and step (checkpoint resume). */
  restore(step: number, m: readonly Float32Array[], v: readonly Float32Array[]): void {
    this.step = step
    m.forEach((x, i) => {
      this.m[i]!.set(x)
    })
    v.forEach((x, i) => {
      this.v[i]!.set(x)
    })
  }

  /**
   * One update from gradients given as parts per parameter (summed: the discriminator's loss and its penalty,
   * or the replicas' shares of a batch), of the values [lo, hi) that `shard` picks (all by default).
   */
  apply(
    grads: readonly (readonly Float32Array[])[],
    shard: (length: number) => [number, number] = (length) => [0, length],
  ): void {
    this.step++
    const b1 = this.beta1
    const b2 = this.beta2
    const lrT = this.lr / (1 - b1 ** this.step)
    const bc2 = Math.sqrt(1 - b2 ** this.step)
    const wd = this.weightDecay
    const eps = this.eps
    for (let i = 0; i < this.params.length; i++) {
      const parts = grads[i]!
      const p = this.params[i]!.values
      const m = this.m[i]!
      const v = this.v[i]!
      const [lo, hi] = shard(p.length)
      const g0 = parts[0]!
      const g1 = parts[1]
      for (let j = lo; j < hi; j++) {
        const pj = p[j]!
        let g = g0[j]! + (g1 === undefined ? 0 : g1[j]!) + wd * pj
        // More than two parts: three or more replicas' shares.
        for (let k = 2; k < parts.length; k++) g += parts[k]![j]!
        const mj = b1 * m[j]! + (1 - b1) * g
        const vj = b2 * v[j]! + (1 - b2) * g * g
        m[j] = mj
        v[j] = vj
        p[j] = pj - (lrT * mj) / (Math.sqrt(vj) / bc2 + eps)
      }
    }
  }
}
