import type { SeedPart } from '@modelgate/core'
import { NORMAL_ZIGGURAT, randomState } from '@modelgate/core'

/**
 * Seeded pseudo-random generator for the CTGAN engine: core's xoshiro128** family (seeded and named by core's
 * `randomState`, so a CTGAN stream is `createRandom(...)`'s), with the generator step inlined over an Int32Array state
 * in the bulk fills of the hot loops (uniforms with 32 bits of resolution, ziggurat normals on core's tables). Every random draw of training and sampling goes through one of these, so a seed
 * reproduces a run exactly on the same backend. Its state is four 32-bit words, saved in checkpoints.
 */
export class Rng {
  /** xoshiro128** state as int32 words (a typed array: writes never box a value ≥ 2^31). */
  private readonly s = new Int32Array(4)

  /**
   * A seed (`new Rng(seed)` is core's `createRandom(seed)` stream: seeding goes through core's one family), or a
   * state: four uint32 words from `randomState(...)` or a stored `state()`.
   */
  constructor(seed: number | readonly number[]) {
    const words = typeof seed === 'number' ? randomState(seed) : seed
    this.s[0] = (words[0] ?? 1) >>> 0
    this.s[1] = (words[1] ?? 2) >>> 0
    this.s[2] = (words[2] ?? 3) >>> 0
    this.s[3] = (words[3] ?? 4) >>> 0
    if ((this.s[0]! | this.s[1]! | this.s[2]! | this.s[3]!) === 0) this.s[0] = 1
  }

  /** The stream `createRandom(...seedParts)` of core's family, e.g. `Rng.stream(seed, 'ctgan', 'training')`. */
  static stream(...seedParts: readonly SeedPart[]): Rng {
    return new Rng(randomState(...seedParts))
  }

  /** The generator state (four uint32s), to store in a checkpoint. */
  state(): number[] {
    return [this.s[0]! >>> 0, this.s[1]! >>> 0, this.s[2]! >>> 0, this.s[3]! >>> 0]
  }

  /** A uint32. */
  nextUint32(): number {
    const s = this.s
    const s0 = s[0]!
    const s1 = s[1]!
    const m = Math.imul(s1, 5)
    const result = Math.imul((m << 7) | (m >>> 25), 9) >>> 0
    const s2 = s[2]! ^ s0
    const s3 = s[3]! ^ s1
    s[1] = s1 ^ s2
    s[0] = s0 ^ s3
    s[2] = s2 ^ (s1 << 9)
    s[3] = (s3 << 11) | (s3 >>> 21)
    return result
  }

  /** Uniform in [0, 1) with 32 bits of resolution. */
  uniform(): number {
    return this.nextUint32() / 4294967296
  }

  /** Uniform in (0, 1): never 0, so logarithms are finite. */
  uniformOpen(): number {
    return (this.nextUint32() + 0.5) / 4294967296
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.uniform() * n)
  }

  /** Standard normal (Box–Muller). No draw is cached, so `state()` captures everything. */
  normal(): number {
    const r = Math.sqrt(-2 * Math.log(this.uniformOpen()))
    return r * Math.cos(2 * Math.PI * this.uniform())
  }

  /**
   * Fills with standard normals by the ziggurat method (Marsaglia & Tsang 2000, "The Ziggurat Method for
   * Generating Random Variables", 128 layers): one 32-bit draw, a table lookup and a multiply for ~99% of
   * values, several times cheaper than Box–Muller's logarithm, square root and cosine.
   */
  fillNormal(out: Float32Array): Float32Array {
    const { kn, wn, fn } = ziggurat()
    // xoshiro128** inlined on int32 locals: the same sequence as nextUint32, the state written back before the
    // rare slow path and at the end.
    const s = this.s
    let s0 = s[0]!
    let s1 = s[1]!
    let s2 = s[2]!
    let s3 = s[3]!
    const n = out.length
    for (let i = 0; i < n; i++) {
      const m = Math.imul(s1, 5)
      const u = Math.imul((m << 7) | (m >>> 25), 9)
      const t = s1 << 9
      s2 ^= s0
      s3 ^= s1
      s1 ^= s2
      s0 ^= s3
      s2 ^= t
      s3 = (s3 << 11) | (s3 >>> 21)
      // Layer from the low 7 bits, signed value from the other 25 (Doornik 2005: reusing the same bits for both
      // biases the output).
      const hz = u >> 7
      const iz = u & 127
      const x = hz * wn[iz]!
      if (Math.abs(hz) < kn[iz]!) out[i] = x
      else {
        s[0] = s0
        s[1] = s1
        s[2] = s2
        s[3] = s3
        out[i] = this.normalTail(hz, iz, kn, wn, fn)
        s0 = s[0]!
        s1 = s[1]!
        s2 = s[2]!
        s3 = s[3]!
      }
    }
    s[0] = s0
    s[1] = s1
    s[2] = s2
    s[3] = s3
    return out
  }

  /**
   * Fills `out[from, to)` with uniforms in [0, 1) (32 bits of resolution, the same values as `uniform()` in
   * sequence), in one loop over the inlined generator.
   */
  fillUniform64(out: Float64Array, from = 0, to = out.length): Float64Array {
    const s = this.s
    let s0 = s[0]!
    let s1 = s[1]!
    let s2 = s[2]!
    let s3 = s[3]!
    for (let i = from; i < to; i++) {
      const m = Math.imul(s1, 5)
      const u = Math.imul((m << 7) | (m >>> 25), 9)
      const t = s1 << 9
      s2 ^= s0
      s3 ^= s1
      s1 ^= s2
      s0 ^= s3
      s2 ^= t
      s3 = (s3 << 11) | (s3 >>> 21)
      out[i] = (u >>> 0) / 4294967296
    }
    s[0] = s0
    s[1] = s1
    s[2] = s2
    s[3] = s3
    return out
  }

  /** The ziggurat's slow path: the wedges and the tail beyond r. */
  private normalTail(hz0: number, iz0: number, kn: Float64Array, wn: Float64Array, fn: Float64Array): number {
    const r = NORMAL_ZIGGURAT.r
    let hz = hz0
    let iz = iz0
    for (;;) {
      const x = hz * wn[iz]!
      if (iz === 0) {
        let tx: number
        let ty: number
        do {
          tx = -Math.log(this.uniformOpen()) / r
          ty = -Math.log(this.uniformOpen())
        } while (ty + ty < tx * tx)
        return hz > 0 ? r + tx : -r - tx
      }
      if (fn[iz]! + this.uniform() * (fn[iz - 1]! - fn[iz]!) < Math.exp(-0.5 * x * x)) return x
      const u = this.nextUint32()
      hz = (u | 0) >> 7
      iz = u & 127
      if (Math.abs(hz) < kn[iz]!) return hz * wn[iz]!
    }
  }
}

/** Ziggurat tables for 25-bit signed values: core's, which its normal() uses. */
function ziggurat(): { readonly kn: Float64Array; readonly wn: Float64Array; readonly fn: Float64Array } {
  return NORMAL_ZIGGURAT
}
