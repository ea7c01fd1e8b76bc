import { webcrypto } from 'node:crypto'

/**
 * The discrete Laplace (two-sided geometric) distribution, P(Z = z) ∝ exp(−|z| / scale) on the integers: the
 * counting mechanism of Ghosh, Roughgarden & Sundararajan (2009). Adding it to a count of sensitivity Δ is ε-DP for
 * scale ≥ Δ/ε. Sampled exactly with integer arithmetic (Canonne, Kamath & Steinke 2020, "The Discrete Gaussian for
 * Differential Privacy", Algorithms 1 and 2): no floating-point logarithm is involved, so the attack on
 * textbook floating-point Laplace noise (Mironov 2012, "On significance of the least significant bits for
 * differential privacy") has nothing to read, and the output is an integer.
 */
/** The only randomness the DP mechanisms draw: uniform 32-bit integers (seeded, or from the OS: `createSecretBits`). */
export interface RandomBits {
  nextUint32(): number
}

export interface DiscreteLaplace {
  /** The scale as the exact rational num/den the sampler uses (≥ the requested scale). */
  readonly num: number
  readonly den: number
  /** exp(−1/scale): P(Z = z) = (1 − α)/(1 + α) · α^|z|. */
  readonly alpha: number
  sample(random: RandomBits): number
  /** P(Z ≥ m) for an integer m ≥ 1: α^m / (1 + α). */
  tailAtLeast(m: number): number
  /** The smallest integer m ≥ 1 with P(Z ≥ m) ≤ p. */
  quantileAbove(p: number): number
}

/**
 * Random bits from the operating system's CSPRNG (`crypto.getRandomValues`): the default source of DP noise, so
 * nobody can regenerate the noise and subtract it. A seeded generator is used only when the caller passes a seed
 * (reproducible fits for tests and audits); the seed then has to stay as secret as the data.
 */
export function createSecretBits(): RandomBits {
  const buffer = new Uint32Array(1024)
  let next = buffer.length
  return {
    nextUint32: () => {
      if (next === buffer.length) {
        webcrypto.getRandomValues(buffer)
        next = 0
      }
      return buffer[next++] as number
    },
  }
}

/** Denominator of the rational scale: the requested scale is rounded up to a multiple of 1/4096 (more noise, never less). */
const SCALE_DENOMINATOR = 4096

/** Noise for a count of sensitivity `sensitivity` under budget `epsilon` (scale = sensitivity/epsilon, rounded up). */
export function discreteLaplace(sensitivity: number, epsilon: number): DiscreteLaplace {
  if (!(epsilon > 0) || !(sensitivity > 0))
    throw new RangeError(`discreteLaplace: bad ε ${epsilon} or Δ ${sensitivity}`)
  const scale = sensitivity / epsilon
  const den = SCALE_DENOMINATOR
  const num = Math.max(1, Math.ceil(scale * den))
  if (num > 2 ** 40) throw new RangeError(`discreteLaplace: scale ${scale} too large (ε too small)`)
  const alpha = Math.exp(-den / num)
  return {
    num,
    den,
    alpha,
    sample: (random) => sampleDiscreteLaplace(random, num, den),
    tailAtLeast: (m) => alpha ** m / (1 + alpha),
    quantileAbove: (p) => Math.max(1, Math.ceil(Math.log(p * (1 + alpha)) / Math.log(alpha))),
  }
}

/**
 * One draw of the discrete Laplace with scale t/s (CKS 2020, Algorithm 2): X = U + t·V is geometric with
 * P(X = x) ∝ exp(−x/t) (U uniform on [0, t) kept with probability exp(−U/t), V geometric with parameter exp(−1)),
 * Y = ⌊X/s⌋ is geometric with parameter exp(−s/t), and a random sign with −0 rejected makes it two-sided.
 */
function sampleDiscreteLaplace(random: RandomBits, t: number, s: number): number {
  for (;;) {
    const u = uniformInt(random, t)
    if (!bernoulliExpMinus(random, u, t)) continue
    let v = 0
    while (bernoulliExpMinus(random, 1, 1)) v++
    const y = Math.floor((u + t * v) / s)
    const negative = (random.nextUint32() & 1) === 1
    if (negative && y === 0) continue
    return negative ? -y : y
  }
}

/** A Bernoulli(exp(−num/den)) draw for integers num ≥ 0, den ≥ 1, exactly (CKS 2020, Algorithm 1). */
export function bernoulliExpMinus(random: RandomBits, num: number, den: number): boolean {
  let n = num
  // exp(−γ) = exp(−1)^⌊γ⌋ · exp(−(γ − ⌊γ⌋)).
  while (n > den) {
    if (!bernoulliExpMinus(random, 1, 1)) return false
    n -= den
  }
  // γ ∈ [0, 1]: the number of successes of Bernoulli(γ/k), k = 1, 2, …, before the first failure is even with
  // probability exp(−γ).
  let k = 1
  while (uniformInt(random, den * k) < n) k++
  return k % 2 === 1
}

/** A uniform integer in [0, m) for 1 ≤ m ≤ 2⁵³, by rejection from 53 random bits (no modulo bias). */
export function uniformInt(random: RandomBits, m: number): number {
  if (m <= 4294967296) {
    const limit = 4294967296 - (4294967296 % m)
    for (;;) {
      const x = random.nextUint32()
      if (x < limit) return x % m
    }
  }
  const range = 9007199254740992
  const limit = range - (range % m)
  for (;;) {
    const x = (random.nextUint32() >>> 11) * 4294967296 + random.nextUint32()
    if (x < limit) return x % m
  }
}
