import type * as TF from '@tensorflow/tfjs'
import type { Tf } from './loadTf.js'

/**
 * Softmax within each one-hot span of a row, for all spans at once: a per-span maximum (a gather into a
 * padded [rows, spans, longest] view — padding repeats a column of the same span, so the maximum is exact),
 * then sums per span and their broadcast back as two small products with a 0/1 membership matrix.
 * A dozen kernels whatever the number of spans, instead of a slice + softmax + concat per span.
 */
export class SpanSoftmax {
  /** [width, spans] membership. */
  readonly member: TF.Tensor2D
  /** [spans, width]. */
  readonly memberT: TF.Tensor2D
  private readonly gatherIndex: TF.Tensor1D
  private readonly longest: number
  readonly spans: number

  constructor(
    private readonly tf: Tf,
    spans: readonly (readonly [number, number])[],
    readonly width: number,
  ) {
    this.spans = spans.length
    this.longest = Math.max(1, ...spans.map((s) => s[1]))
    const member = new Float32Array(width * spans.length)
    const index = new Int32Array(spans.length * this.longest)
    spans.forEach(([start, size], j) => {
      for (let t = 0; t < size; t++) member[(start + t) * spans.length + j] = 1
      for (let t = 0; t < this.longest; t++) index[j * this.longest + t] = start + Math.min(t, size - 1)
    })
    this.member = tf.tensor2d(member, [width, spans.length])
    this.memberT = tf.transpose(this.member)
    this.gatherIndex = tf.tensor1d(index, 'int32')
  }

  /** Per-span maximum broadcast to every column of its span. */
  spanMax(x: TF.Tensor2D): TF.Tensor2D {
    const tf = this.tf
    const rows = x.shape[0]
    const padded = tf.reshape(tf.gather(x, this.gatherIndex, 1), [rows, this.spans, this.longest])
    return tf.matMul(tf.max(padded, 2) as TF.Tensor2D, this.memberT)
  }

  /** Sum over each span, broadcast back to the span's columns. */
  spanSum(x: TF.Tensor2D): TF.Tensor2D {
    return this.tf.matMul(this.tf.matMul(x, this.member), this.memberT)
  }

  /** Softmax per span of x, and log-softmax when asked. */
  softmax(x: TF.Tensor2D, withLog = false): { p: TF.Tensor2D; logp: TF.Tensor2D | null } {
    const tf = this.tf
    const z = tf.sub(x, this.spanMax(x)) as TF.Tensor2D
    const e = tf.exp(z) as TF.Tensor2D
    const sum = this.spanSum(e)
    const p = tf.div(e, sum) as TF.Tensor2D
    return { p, logp: withLog ? (tf.sub(z, tf.log(sum)) as TF.Tensor2D) : null }
  }

  /** Gradient of a span softmax: p ⊙ (dp − spanSum(dp ⊙ p)). */
  softmaxGrad(p: TF.Tensor2D, dp: TF.Tensor2D): TF.Tensor2D {
    const tf = this.tf
    return tf.mul(p, tf.sub(dp, this.spanSum(tf.mul(dp, p) as TF.Tensor2D))) as TF.Tensor2D
  }

  dispose(): void {
    this.member.dispose()
    this.memberT.dispose()
    this.gatherIndex.dispose()
  }
}
