import type * as TF from '@tensorflow/tfjs'
import type { Tf } from './loadTf.js'

/**
 * Adam (Kingma & Ba 2015) with L2 weight decay added to the gradient, as PyTorch's `Adam(weight_decay=…)`
 * does. Moments are tfjs variables so they can be checkpointed and restored.
 */
export class Adam {
  readonly m: TF.Variable[]
  readonly v: TF.Variable[]
  step: number

  constructor(
    private readonly tf: Tf,
    readonly params: readonly TF.Variable[],
    private readonly lr: number,
    private readonly beta1: number,
    private readonly beta2: number,
    private readonly weightDecay: number,
    private readonly eps = 1e-8,
  ) {
    this.m = params.map((p) => tf.variable(tf.zerosLike(p), false))
    this.v = params.map((p) => tf.variable(tf.zerosLike(p), false))
    this.step = 0
  }

  /** Applies one update; call inside tf.tidy. `grads[i]` is the gradient of `params[i]`. */
  apply(grads: readonly TF.Tensor[]): void {
    const tf = this.tf
    this.step++
    const bc1 = 1 - this.beta1 ** this.step
    const bc2 = Math.sqrt(1 - this.beta2 ** this.step)
    for (let i = 0; i < this.params.length; i++) {
      const p = this.params[i]!
      let g = grads[i]
      if (g === undefined) continue
      if (this.weightDecay !== 0) g = tf.add(g, tf.mul(p, this.weightDecay))
      const m = tf.add(tf.mul(this.m[i]!, this.beta1), tf.mul(g, 1 - this.beta1))
      const v = tf.add(tf.mul(this.v[i]!, this.beta2), tf.mul(tf.square(g), 1 - this.beta2))
      this.m[i]!.assign(m)
      this.v[i]!.assign(v)
      const denom = tf.add(tf.div(tf.sqrt(v), bc2), this.eps)
      p.assign(tf.sub(p, tf.mul(tf.div(m, denom), this.lr / bc1)))
    }
  }

  dispose(): void {
    for (const t of [...this.m, ...this.v]) t.dispose()
  }
}
