/**
 * Seeded pseudo-random numbers: xoshiro128** (Blackman & Vigna, "Scrambled linear pseudorandom number
 * generators", 2018) seeded through splitmix32, with the ziggurat method for normals (Marsaglia & Tsang,
 * "The Ziggurat Method for Generating Random Variables", J. Stat. Softw. 2000; 128 layers).
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
  /** Fills out[from..to) with standard normals (the same draws as calling normal() in a loop, but faster). */
  fillNormal(out: Float64Array, from: number, to: number): void
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
  /** The ziggurat's slow path for a first draw (hz, iz) that fell outside its layer's rectangle (~1% of draws). */
  const slowNormal = (first: number, layer: number): number => {
    let hz = first
    let iz = layer
    for (;;) {
      if (iz === 0) {
        let x: number
        let y: number
        do {
          x = -Math.log(uniform()) * 0.2904764
          y = -Math.log(uniform())
        } while (y + y < x * x)
        return hz > 0 ? ZIGGURAT_R + x : -ZIGGURAT_R - x
      }
      const x = hz * (WN[iz] as number)
      if ((FN[iz] as number) + uniform() * ((FN[iz - 1] as number) - (FN[iz] as number)) < Math.exp(-0.5 * x * x))
        return x
      hz = nextUint32() | 0
      iz = hz & 127
      if (Math.abs(hz) < (KN[iz] as number)) return hz * (WN[iz] as number)
    }
  }
  const normal = (): number => {
    const hz = nextUint32() | 0
    const iz = hz & 127
    if (Math.abs(hz) < (KN[iz] as number)) return hz * (WN[iz] as number)
    return slowNormal(hz, iz)
  }
  const int = (n: number): number => Math.floor(uniform() * n)
  const fillNormal = (out: Float64Array, from: number, to: number): void => {
    // The generator and the ziggurat fast path inlined with the state in locals.
    let s0 = st[0] as number
    let s1 = st[1] as number
    let s2 = st[2] as number
    let s3 = st[3] as number
    for (let i = from; i < to; i++) {
      const m = Math.imul(s1, 5)
      const hz = Math.imul((m << 7) | (m >>> 25), 9) | 0
      const t = s1 << 9
      const n2 = s2 ^ s0
      const n3 = s3 ^ s1
      s1 = s1 ^ n2
      s0 = s0 ^ n3
      s2 = n2 ^ t
      s3 = (n3 << 11) | (n3 >>> 21)
      const iz = hz & 127
      if (Math.abs(hz) < (KN[iz] as number)) {
        out[i] = hz * (WN[iz] as number)
        continue
      }
      // Rare slow path: hand the state back to the shared generator, finish this draw there, reload.
      st[0] = s0
      st[1] = s1
      st[2] = s2
      st[3] = s3
      out[i] = slowNormal(hz, iz)
      s0 = st[0] as number
      s1 = st[1] as number
      s2 = st[2] as number
      s3 = st[3] as number
    }
    st[0] = s0
    st[1] = s1
    st[2] = s2
    st[3] = s3
  }
  return { nextUint32, uniform, normal, int, fillNormal }
}

/** The ziggurat's base-strip edge r for 128 layers of the normal density. */
export const ZIGGURAT_R = 3.442619855899

/**
 * Ziggurat tables for the normal density, 128 layers (Marsaglia & Tsang 2000): for signed integers scaled by
 * `m1` (2³¹ here, 2²⁴ for the CTGAN generator's 25-bit values), the acceptance bounds kn (floored to integers when
 * `integerBounds`, as a generator comparing integers needs), the widths wn and the densities fn.
 */
export function zigguratTables(
  m1: number,
  integerBounds: boolean,
): { kn: Float64Array; wn: Float64Array; fn: Float64Array } {
  const kn = new Float64Array(128)
  const wn = new Float64Array(128)
  const fn = new Float64Array(128)
  const bound = (x: number): number => (integerBounds ? Math.floor(x) : x)
  const vn = 9.91256303526217e-3
  let dn = ZIGGURAT_R
  let tn = dn
  const q = vn / Math.exp(-0.5 * dn * dn)
  kn[0] = bound((dn / q) * m1)
  kn[1] = 0
  wn[0] = q / m1
  wn[127] = dn / m1
  fn[0] = 1
  fn[127] = Math.exp(-0.5 * dn * dn)
  for (let i = 126; i >= 1; i--) {
    dn = Math.sqrt(-2 * Math.log(vn / dn + Math.exp(-0.5 * dn * dn)))
    kn[i + 1] = bound((dn / tn) * m1)
    tn = dn
    fn[i] = Math.exp(-0.5 * dn * dn)
    wn[i] = dn / m1
  }
  return { kn, wn, fn }
}

// This generator's tables, computed once at module load (pure arithmetic, no I/O, no randomness).
const { kn: KN, wn: WN, fn: FN } = zigguratTables(2147483648, false)
