/**
 * Float32 buffers a training pass reuses from step to step, one per named use (a product's output, a gate, a
 * gradient). A fresh array per product cost ~10 MB of garbage per step and replica, so each replica thread ran a
 * full collection every few steps; with these, a step allocates only small arrays. A buffer's contents are those
 * its last user left: every user writes all of it before reading it.
 */
export class StepBuffers {
  private readonly buffers = new Map<string, Float32Array>()

  /** The buffer named `name`, `length` values long (a view of its start when an earlier use was longer). */
  take(name: string, length: number): Float32Array {
    let buffer = this.buffers.get(name)
    if (buffer === undefined || buffer.length < length) {
      buffer = new Float32Array(length)
      this.buffers.set(name, buffer)
    }
    return buffer.length === length ? buffer : buffer.subarray(0, length)
  }
}
