/**
 * Seeded pseudo-random generator for the CTGAN engine (xoshiro128**, Blackman & Vigna 2018), seeded
 * through splitmix32. Every random draw of training and sampling goes through one of these, so a seed
 * reproduces a run exactly on the same backend. Its state is four 32-bit words, saved in checkpoints.
 */
export class Rng {
  private s0: number
  private s1: number
  private s2: number
  private s3: number

  constructor(seed: number | readonly number[]) {
    if (typeof seed === 'number') {
      let x = seed >>> 0
      const next = (): number => {
        x = (x + 0x9e3779b9) >>> 0
        let z = x
        z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0
        z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0
        return (z ^ (z >>> 16)) >>> 0
      }
      this.s0 = next()
      this.s1 = next()
      this.s2 = next()
      this.s3 = next()
      // Mix in the high part of seeds beyond 32 bits.
      this.s0 = (this.s0 ^ Math.floor(seed / 2 ** 32)) >>> 0
    } else {
      this.s0 = (seed[0] ?? 1) >>> 0
      this.s1 = (seed[1] ?? 2) >>> 0
      this.s2 = (seed[2] ?? 3) >>> 0
      this.s3 = (seed[3] ?? 4) >>> 0
    }
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1
  }

  /** The generator state, to store in a checkpoint. */
  state(): number[] {
    return [this.s0, this.s1, this.s2, this.s3]
  }

  /** A uint32. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0
    const t = (this.s1 << 9) >>> 0
    this.s2 ^= this.s0
    this.s3 ^= this.s1
    this.s1 ^= this.s2
    this.s0 ^= this.s3
    this.s2 = (this.s2 ^ t) >>> 0
    this.s3 = rotl(this.s3, 11)
    this.s0 >>>= 0
    this.s1 >>>= 0
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

  /** Fills with standard normals, two per Box–Muller pair. */
  fillNormal(out: Float32Array): Float32Array {
    const n = out.length
    let i = 0
    for (; i + 1 < n; i += 2) {
      const r = Math.sqrt(-2 * Math.log(this.uniformOpen()))
      const t = 2 * Math.PI * this.uniform()
      out[i] = r * Math.cos(t)
      out[i + 1] = r * Math.sin(t)
    }
    if (i < n) out[i] = this.normal()
    return out
  }

  fillUniform(out: Float32Array): Float32Array {
    for (let i = 0; i < out.length; i++) out[i] = this.uniform()
    return out
  }

  /** Standard Gumbel draws, −log(−log U). */
  fillGumbel(out: Float32Array): Float32Array {
    for (let i = 0; i < out.length; i++) out[i] = -Math.log(-Math.log(this.uniformOpen()))
    return out
  }

  /** A new independent generator derived from this one (for per-chunk or per-purpose streams). */
  fork(): Rng {
    return new Rng([this.nextUint32(), this.nextUint32(), this.nextUint32(), this.nextUint32()])
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0
}
