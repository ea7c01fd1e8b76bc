/**
 * Seeded pseudo-random numbers: xoshiro128** (Blackman & Vigna, "Scrambled linear pseudorandom number
 * generators", 2018) seeded through splitmix32, with Marsaglia's polar method for normals.
 * Every random draw in synth goes through one of these, so fit and sample are reproducible.
 */
export interface Random {
  /** Uniform 32-bit unsigned integer. */
  nextUint32(): number
  /** Uniform double in the open interval (0, 1). */
  uniform(): number
  /** Standard normal. */
  normal(): number
  /** Integer in [0, n). */
  int(n: number): number
}

/** Mixes any number of (safe-integer) parts into one 32-bit seed; stable across platforms. */
export function hashSeed(...parts: readonly number[]): number {
  let h = 0x9e3779b9 | 0
  for (const part of parts) {
    const lo = part >>> 0
    const hi = Math.floor(part / 4294967296) >>> 0
    h = mix32((h ^ lo) >>> 0)
    h = mix32((h ^ hi ^ 0x85ebca6b) >>> 0)
  }
  return h >>> 0
}

/** A bijective 32-bit mixer (the murmur3 finalizer). */
export function mix32(x: number): number {
  let z = x >>> 0
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0
  return (z ^ (z >>> 16)) >>> 0
}

export function createRandom(...seedParts: readonly number[]): Random {
  let s = hashSeed(...seedParts)
  const splitmix = (): number => {
    s = (s + 0x9e3779b9) >>> 0
    let z = s
    z = Math.imul(z ^ (z >>> 16), 0x21f0aaad) >>> 0
    z = Math.imul(z ^ (z >>> 15), 0x735a2d97) >>> 0
    return (z ^ (z >>> 15)) >>> 0
  }
  // State in a typed array: 32-bit values stored in closure slots would be boxed as heap numbers.
  const st = new Int32Array(4)
  st[0] = splitmix()
  st[1] = splitmix()
  st[2] = splitmix()
  st[3] = splitmix()
  if ((st[0] | st[1] | st[2] | st[3]) === 0) st[0] = 1
  const spare = new Float64Array(1)
  let hasSpare = false

  const nextUint32 = (): number => {
    const s0 = st[0] as number
    const s1 = st[1] as number
    const s2 = st[2] as number
    const s3 = st[3] as number
    const m = Math.imul(s1, 5)
    const result = Math.imul((m << 7) | (m >>> 25), 9) >>> 0
    const t = s1 << 9
    const n2 = s2 ^ s0
    const n3 = s3 ^ s1
    st[1] = s1 ^ n2
    st[0] = s0 ^ n3
    st[2] = n2 ^ t
    st[3] = (n3 << 11) | (n3 >>> 21)
    return result
  }
  const uniform = (): number => {
    // 53 random bits, shifted by half an ulp so 0 and 1 are never returned.
    const hi = nextUint32() >>> 5
    const lo = nextUint32() >>> 6
    return (hi * 67108864 + lo + 0.5) / 9007199254740992
  }
  const normal = (): number => {
    if (hasSpare) {
      hasSpare = false
      return spare[0] as number
    }
    for (;;) {
      // 32-bit uniforms are ample for normal deviates and halve the generator calls.
      const u = nextUint32() * 4.656612873077393e-10 - 1
      const v = nextUint32() * 4.656612873077393e-10 - 1
      const q = u * u + v * v
      if (q > 0 && q < 1) {
        const f = Math.sqrt((-2 * Math.log(q)) / q)
        spare[0] = v * f
        hasSpare = true
        return u * f
      }
    }
  }
  const int = (n: number): number => Math.floor(uniform() * n)
  return { nextUint32, uniform, normal, int }
}
