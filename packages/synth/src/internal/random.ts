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
  let a = splitmix()
  let b = splitmix()
  let c = splitmix()
  let d = splitmix()
  if ((a | b | c | d) === 0) a = 1
  let spare = 0
  let hasSpare = false

  const nextUint32 = (): number => {
    const result = Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0
    const t = b << 9
    c ^= a
    d ^= b
    b ^= c
    a ^= d
    c ^= t
    d = rotl(d, 11)
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
      return spare
    }
    for (;;) {
      const u = 2 * uniform() - 1
      const v = 2 * uniform() - 1
      const q = u * u + v * v
      if (q > 0 && q < 1) {
        const f = Math.sqrt((-2 * Math.log(q)) / q)
        spare = v * f
        hasSpare = true
        return u * f
      }
    }
  }
  const int = (n: number): number => Math.floor(uniform() * n)
  return { nextUint32, uniform, normal, int }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0
}
