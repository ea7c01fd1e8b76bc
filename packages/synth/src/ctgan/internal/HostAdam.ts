import type * as TF from '@tensorflow/tfjs'
import type { Tf } from './loadTf.js'

/**
 * Adam (Kingma & Ba 2015) with L2 weight decay added to the gradient, as PyTorch's `Adam(weight_decay=…)`.
 * The update runs on host Float32Arrays: on tfjs-wasm each elementwise kernel over a 650k-weight matrix
 * costs several milliseconds, and Adam needs a dozen of them per matrix; one JavaScript loop over the
 * downloaded gradient is several times faster. The host copy is the master; after each step the device
 * variable is re-uploaded, and so is its transpose where the backward pass needs one (a transposed matMul
 * on wasm is ~15× slower than a plain one, and a device transpose of a 650k matrix costs ~5 ms).
 */
export class HostAdam {
  readonly host: Float32Array[]
  readonly m: Float32Array[]
  readonly v: Float32Array[]
  /** Device transposes of 2-D parameters, kept in sync when requested. */
  readonly transposed: (TF.Tensor2D | null)[]
  step = 0

  constructor(
    private readonly tf: Tf,
    readonly params: readonly TF.Variable[],
    private readonly lr: number,
    private readonly beta1: number,
    private readonly beta2: number,
    private readonly weightDecay: number,
    keepTransposed: readonly boolean[],
    private readonly eps = 1e-8,
  ) {
    this.host = params.map((p) => Float32Array.from(p.dataSync() as Float32Array))
    this.m = params.map((p) => new Float32Array(p.size))
    this.v = params.map((p) => new Float32Array(p.size))
    this.transposed = params.map(() => null)
    keepTransposed.forEach((keep, i) => {
      if (keep) this.upload(i, true)
    })
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

  /** Re-reads the device values into the host copy (after weights were loaded from a checkpoint). */
  syncFromDevice(): void {
    this.params.forEach((p, i) => {
      this.host[i]!.set(p.dataSync() as Float32Array)
      if (this.transposed[i] !== null) this.upload(i, true)
    })
  }

  /** One update from gradients given as one or more tensors per parameter (summed). */
  apply(grads: readonly (readonly TF.Tensor[])[]): void {
    this.step++
    const b1 = this.beta1
    const b2 = this.beta2
    const lrT = this.lr / (1 - b1 ** this.step)
    const bc2 = Math.sqrt(1 - b2 ** this.step)
    const wd = this.weightDecay
    const eps = this.eps
    for (let i = 0; i < this.params.length; i++) {
      const parts = grads[i]!.map((t) => t.dataSync() as Float32Array)
      const p = this.host[i]!
      const m = this.m[i]!
      const v = this.v[i]!
      const g0 = parts[0]!
      const g1 = parts[1]
      for (let j = 0; j < p.length; j++) {
        const g = g0[j]! + (g1 === undefined ? 0 : g1[j]!) + wd * p[j]!
        const mj = b1 * m[j]! + (1 - b1) * g
        const vj = b2 * v[j]! + (1 - b2) * g * g
        m[j] = mj
        v[j] = vj
        p[j] = p[j]! - (lrT * mj) / (Math.sqrt(vj) / bc2 + eps)
      }
      this.upload(i, this.transposed[i] !== null)
    }
  }

  private upload(i: number, transposed: boolean): void {
    const tf = this.tf
    const param = this.params[i]!
    const value = tf.tensor(this.host[i]!, param.shape, 'float32')
    param.assign(value)
    value.dispose()
    if (!transposed) return
    const [rows, cols] = param.shape as [number, number]
    const src = this.host[i]!
    const out = new Float32Array(src.length)
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = src[r * cols + c]!
    this.transposed[i]?.dispose()
    this.transposed[i] = tf.keep(tf.tensor2d(out, [cols, rows]))
  }

  dispose(): void {
    for (const t of this.transposed) t?.dispose()
  }
}
