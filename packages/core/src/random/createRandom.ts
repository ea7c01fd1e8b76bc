import { ModelGateError } from '../errors.js'

/**
 * Seeded pseudo-random numbers, the one family every ModelGate package draws from: xoshiro128** (Blackman & Vigna,
 * "Scrambled linear pseudorandom number generators", ACM TOMS 2021) started from a seed through splitmix32, normals
 * by the ziggurat method (Marsaglia & Tsang, "The Ziggurat Method for Generating Random Variables", J. Stat. Softw.
 * 2000, 128 layers) with the layer and the value taken from different bits of a draw (Doornik, "An Improved Ziggurat
 * Method to Generate Normal Random Samples", 2005).
 *
 * A generator is named by its seed parts: `createRandom(seed, 'noise', chunk)` is one stream, and
 * `createRandom(seed).fork('noise', chunk)` is the same stream, whatever was drawn from the parent before. So each
 * part of a computation gets its own stream and stays reproducible when another part draws more or fewer numbers.
 * The whole state is four 32-bit words (`state()`), small enough to store in a checkpoint or a sketch's JSON.
 */
export interface Random {
  /** Uniform 32-bit unsigned integer. */
  nextUint32(): number
  /** Uniform double in the open interval (0, 1) (53 random bits). */
  uniform(): number
  /** Uniform integer in [0, n) for a positive integer n ≤ 2^53. */
  int(n: number): number
  /** Standard normal. */
  normal(): number
  /** A uniformly chosen element; throws on an empty list. */
  pick<T>(values: readonly T[]): T
  /** Fills out[from..to) with standard normals: the same draws as calling normal() in a loop, faster. */
  fillNormal(out: Float64Array | Float32Array, from?: number, to?: number): void
  /** An independent stream named by this generator's seed parts followed by `stream` (see `createRandom`). */
  fork(...stream: readonly SeedPart[]): Random
  /** The current state: four uint32 words, to restore with `randomFromState`. */
  state(): RandomState
}

/** A part of a seed or of a stream name. Numbers are used to their full safe-integer range. */
export type SeedPart = number | string

/** The xoshiro128** state: four uint32 words, not all zero. */
export type RandomState = readonly [number, number, number, number]

/** A generator for the stream named by `seedParts`, usually `(seed, streamName, …)`. */
export function createRandom(...seedParts: readonly SeedPart[]): Random {
  const key = hashSeed(...seedParts)
  return fromWords(stateFromKey(key), key)
}

/**
 * The state `createRandom(...seedParts)` starts in. For code that runs the xoshiro128** step inlined over its own
 * copy of the state (CTGAN's training loop) and must seed exactly as every other stream.
 */
export function randomState(...seedParts: readonly SeedPart[]): RandomState {
  return stateFromKey(hashSeed(...seedParts))
}

/**
 * A generator that continues from a stored `state()`. Its `fork` names streams by the state itself (a restored
 * generator has no seed parts).
 */
export function randomFromState(state: readonly number[]): Random {
  if (state.length !== 4 || state.some((w) => !Number.isInteger(w) || w < 0 || w > 0xffffffff)) {
    throw new ModelGateError(
      'MG_RANDOM_BAD_STATE',
      `A random state is four 32-bit unsigned integers (from random.state()), got ${JSON.stringify(state)}.`,
    )
  }
  const words: [number, number, number, number] = [
    state[0] as number,
    state[1] as number,
    state[2] as number,
    state[3] as number,
  ]
  if ((words[0] | words[1] | words[2] | words[3]) === 0) words[0] = 1
  return fromWords(words, hashSeed(...words))
}

/** Mixes any number of seed parts into one 32-bit key; stable across platforms and releases. */
export function hashSeed(...parts: readonly SeedPart[]): number {
  return extendKey(0x9e3779b9, parts)
}

/** The key of `parts` appended to the parts `key` was made from: `extendKey(hashSeed(a), [b])` is `hashSeed(a, b)`. */
function extendKey(key: number, parts: readonly SeedPart[]): number {
  let h = key >>> 0
  for (const part of parts) {
    if (typeof part === 'string') {
      // A string is its length, then its UTF-16 code units; the tag keeps "1" apart from 1.
      h = mix32((h ^ 0x5f3759df ^ part.length) >>> 0)
      for (let i = 0; i < part.length; i++) h = mix32((h ^ part.charCodeAt(i)) >>> 0)
      continue
    }
    const lo = part >>> 0
    const hi = Math.floor(part / 4294967296) >>> 0
    h = mix32((h ^ lo) >>> 0)
    h = mix32((h ^ hi ^ 0x85ebca6b) >>> 0)
  }
  return h
}

/** A bijective 32-bit mixer (the murmur3 finalizer). */
export function mix32(x: number): number {
  let z = x >>> 0
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0
  return (z ^ (z >>> 16)) >>> 0
}

/**
 * The ziggurat tables of `normal()`, for a caller that inlines the generator step: a draw `u` (int32) gives the layer
 * `u & 127` and the signed 25-bit value `u >> 7`; when `|value| < kn[layer]` the normal is `value * wn[layer]`, else
 * the draw goes to the wedge and tail (`fn`, beyond `r`).
 */
export const NORMAL_ZIGGURAT: {
  readonly r: number
  readonly kn: Float64Array
  readonly wn: Float64Array
  readonly fn: Float64Array
} = zigguratTables()

function stateFromKey(key: number): RandomState {
  let s = key
  const splitmix = (): number => {
    s = (s + 0x9e3779b9) >>> 0
    let z = s
    z = Math.imul(z ^ (z >>> 16), 0x21f0aaad) >>> 0
    z = Math.imul(z ^ (z >>> 15), 0x735a2d97) >>> 0
    return (z ^ (z >>> 15)) >>> 0
  }
  const words: [number, number, number, number] = [splitmix(), splitmix(), splitmix(), splitmix()]
  if ((words[0] | words[1] | words[2] | words[3]) === 0) words[0] = 1
  return words
}

function fromWords(words: RandomState, key: number): Random {
  const { r: R, kn: KN, wn: WN, fn: FN } = NORMAL_ZIGGURAT
  // State in a typed array: 32-bit values stored in closure slots would be boxed as heap numbers.
  const st = new Int32Array(words)

  const nextInt32 = (): number => {
    const s0 = st[0] as number
    const s1 = st[1] as number
    const s2 = st[2] as number
    const s3 = st[3] as number
    const m = Math.imul(s1, 5)
    const result = Math.imul((m << 7) | (m >>> 25), 9)
    const t = s1 << 9
    const n2 = s2 ^ s0
    const n3 = s3 ^ s1
    st[1] = s1 ^ n2
    st[0] = s0 ^ n3
    st[2] = n2 ^ t
    st[3] = (n3 << 11) | (n3 >>> 21)
    return result
  }
  const nextUint32 = (): number => nextInt32() >>> 0
  const uniform = (): number => {
    // 53 random bits, shifted by half an ulp so 0 and 1 are never returned.
    const hi = nextUint32() >>> 5
    const lo = nextUint32() >>> 6
    return (hi * 67108864 + lo + 0.5) / 9007199254740992
  }
  /** The ziggurat's slow path for a draw `u` whose value fell outside its layer's rectangle (~1% of draws). */
  const slowNormal = (first: number): number => {
    let u = first
    for (;;) {
      const hz = u >> 7
      const iz = u & 127
      const x = hz * (WN[iz] as number)
      if (Math.abs(hz) < (KN[iz] as number)) return x
      if (iz === 0) {
        let tx: number
        let ty: number
        do {
          tx = -Math.log(uniform()) / R
          ty = -Math.log(uniform())
        } while (ty + ty < tx * tx)
        return hz > 0 ? R + tx : -R - tx
      }
      if ((FN[iz] as number) + uniform() * ((FN[iz - 1] as number) - (FN[iz] as number)) < Math.exp(-0.5 * x * x)) {
        return x
      }
      u = nextInt32()
    }
  }
  const normal = (): number => {
    const u = nextInt32()
    const hz = u >> 7
    const iz = u & 127
    if (Math.abs(hz) < (KN[iz] as number)) return hz * (WN[iz] as number)
    return slowNormal(u)
  }
  const int = (n: number): number => Math.floor(uniform() * n)
  const fillNormal = (out: Float64Array | Float32Array, from = 0, to = out.length): void => {
    // The generator and the ziggurat's fast path inlined with the state in locals.
    let s0 = st[0] as number
    let s1 = st[1] as number
    let s2 = st[2] as number
    let s3 = st[3] as number
    for (let i = from; i < to; i++) {
      const m = Math.imul(s1, 5)
      const u = Math.imul((m << 7) | (m >>> 25), 9)
      const t = s1 << 9
      const n2 = s2 ^ s0
      const n3 = s3 ^ s1
      s1 = s1 ^ n2
      s0 = s0 ^ n3
      s2 = n2 ^ t
      s3 = (n3 << 11) | (n3 >>> 21)
      const hz = u >> 7
      const iz = u & 127
      if (Math.abs(hz) < (KN[iz] as number)) {
        out[i] = hz * (WN[iz] as number)
        continue
      }
      // Rare slow path: hand the state back to the shared generator, finish this draw there, reload.
      st[0] = s0
      st[1] = s1
      st[2] = s2
      st[3] = s3
      out[i] = slowNormal(u)
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
  return {
    nextUint32,
    uniform,
    int,
    normal,
    pick: <T>(values: readonly T[]): T => {
      if (values.length === 0) throw new ModelGateError('MG_RANDOM_EMPTY_CHOICE', 'Cannot pick from an empty list.')
      return values[int(values.length)] as T
    },
    fillNormal,
    fork: (...stream) => {
      const child = extendKey(key, stream)
      return fromWords(stateFromKey(child), child)
    },
    state: () => [(st[0] as number) >>> 0, (st[1] as number) >>> 0, (st[2] as number) >>> 0, (st[3] as number) >>> 0],
  }
}

/**
 * Ziggurat tables for the normal density, 128 layers (Marsaglia & Tsang 2000), for signed 25-bit values: acceptance
 * bounds kn (integers), widths wn and densities fn. Pure arithmetic, computed once at load.
 */
function zigguratTables(): { r: number; kn: Float64Array; wn: Float64Array; fn: Float64Array } {
  const m1 = 16777216 // 2^24
  const r = 3.442619855899
  const kn = new Float64Array(128)
  const wn = new Float64Array(128)
  const fn = new Float64Array(128)
  const vn = 9.91256303526217e-3
  let dn = r
  let tn = dn
  const q = vn / Math.exp(-0.5 * dn * dn)
  kn[0] = Math.floor((dn / q) * m1)
  kn[1] = 0
  wn[0] = q / m1
  wn[127] = dn / m1
  fn[0] = 1
  fn[127] = Math.exp(-0.5 * dn * dn)
  for (let i = 126; i >= 1; i--) {
    dn = Math.sqrt(-2 * Math.log(vn / dn + Math.exp(-0.5 * dn * dn)))
    kn[i + 1] = Math.floor((dn / tn) * m1)
    tn = dn
    fn[i] = Math.exp(-0.5 * dn * dn)
    wn[i] = dn / m1
  }
  return { r, kn, wn, fn }
}
