import { describe, expect, it } from 'vitest'
import { createRandom, hashSeed, NORMAL_ZIGGURAT, randomFromState, randomState } from '../src/index.js'

// Φ(x) from Python's math.erfc (0.5·erfc(−x/√2)), an implementation independent of ours.
const PHI: readonly (readonly [number, number])[] = [
  [0.5, 0.6914624612740131],
  [1, 0.8413447460685429],
  [1.5, 0.9331927987311419],
  [2, 0.9772498680518208],
  [2.5, 0.9937903346742238],
  [3, 0.9986501019683699],
  [3.5, 0.9997673709209645],
  [4, 0.9999683287581669],
]

/** Pearson's chi-square of counts in the bins cut at ±PHI's points, against the normal's probabilities. */
function normalChiSquare(values: ArrayLike<number>): number {
  const edges = [...PHI.map(([x]) => -x).reverse(), 0, ...PHI.map(([x]) => x)]
  const cdf = [...PHI.map(([, p]) => 1 - p).reverse(), 0.5, ...PHI.map(([, p]) => p)]
  const counts = new Float64Array(edges.length + 1)
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number
    let b = 0
    while (b < edges.length && v >= (edges[b] as number)) b++
    counts[b] = (counts[b] as number) + 1
  }
  let chi = 0
  for (let b = 0; b < counts.length; b++) {
    const p = (b === edges.length ? 1 : (cdf[b] as number)) - (b === 0 ? 0 : (cdf[b - 1] as number))
    const expected = p * values.length
    chi += ((counts[b] as number) - expected) ** 2 / expected
  }
  return chi
}

describe('createRandom', () => {
  it('steps xoshiro128** exactly as the reference implementation does', () => {
    // From the state (1, 2, 3, 4), Vigna's C reference gives these outputs and this state (transcribed in Python).
    const random = randomFromState([1, 2, 3, 4])
    expect(Array.from({ length: 6 }, () => random.nextUint32())).toEqual([
      11520, 0, 5927040, 70819200, 2031721883, 1637235492,
    ])
    expect(random.state()).toEqual([1110993931, 286554632, 2431677446, 2165318166])
  })

  it('gives the same stream for the same seed parts, and other streams for others', () => {
    const draw = (...parts: (number | string)[]): number[] => {
      const random = createRandom(...parts)
      return Array.from({ length: 4 }, () => random.nextUint32())
    }
    expect(draw(7, 'noise')).toEqual(draw(7, 'noise'))
    expect(draw(7, 'noise')).not.toEqual(draw(7, 'other'))
    expect(draw(7, 1)).not.toEqual(draw(7, '1'))
    expect(draw(2 ** 40 + 7)).not.toEqual(draw(7))
    expect(hashSeed(7, 'noise')).toBe(hashSeed(7, 'noise'))
  })

  it('names a fork by its parent seed parts: the same stream whatever the parent drew before', () => {
    const parent = createRandom(42)
    const early = parent.fork('rows', 3)
    for (let i = 0; i < 100; i++) parent.normal()
    const late = parent.fork('rows', 3)
    const direct = createRandom(42, 'rows', 3)
    const a = Array.from({ length: 5 }, () => early.uniform())
    expect(Array.from({ length: 5 }, () => late.uniform())).toEqual(a)
    expect(Array.from({ length: 5 }, () => direct.uniform())).toEqual(a)
  })

  it('continues the same stream from a stored state, and starts where randomState says', () => {
    const random = createRandom(9, 'checkpoint')
    expect(random.state()).toEqual(randomState(9, 'checkpoint'))
    for (let i = 0; i < 10; i++) random.normal()
    const restored = randomFromState(random.state())
    expect(Array.from({ length: 5 }, () => restored.normal())).toEqual(Array.from({ length: 5 }, () => random.normal()))
  })

  it('draws uniforms in (0, 1) and integers in [0, n) evenly', () => {
    const random = createRandom(1)
    const counts = new Array(10).fill(0)
    let outside = 0
    for (let i = 0; i < 100_000; i++) {
      const u = random.uniform()
      if (!(u > 0 && u < 1)) outside++
      counts[random.int(10)]++
    }
    expect(outside).toBe(0)
    // Chi-square with 9 degrees of freedom; 27.88 is its 0.999 quantile.
    const chi = counts.reduce((s, c) => s + (c - 10_000) ** 2 / 10_000, 0)
    expect(chi).toBeLessThan(27.88)
  })

  it('draws standard normals, tails and wedges included (chi-square over 18 bins, 2M draws)', () => {
    const random = createRandom(2024)
    const values = new Float64Array(2_000_000)
    for (let i = 0; i < values.length; i++) values[i] = random.normal()
    // 17 degrees of freedom; 40.79 is the 0.999 quantile.
    expect(normalChiSquare(values)).toBeLessThan(40.79)
    expect(values.some((v) => Math.abs(v) > NORMAL_ZIGGURAT.r)).toBe(true)
  })

  it('fills arrays with the same normals as normal() in a loop, in float64 or float32', () => {
    const a = createRandom(5)
    const b = createRandom(5)
    const c = createRandom(5)
    const loop = Float64Array.from({ length: 50_000 }, () => a.normal())
    const filled = new Float64Array(50_000)
    b.fillNormal(filled, 0, 20_000)
    b.fillNormal(filled, 20_000)
    const single = new Float32Array(50_000)
    c.fillNormal(single)
    const mismatches = loop.filter((v, i) => filled[i] !== v || single[i] !== Math.fround(v)).length
    expect(mismatches).toBe(0)
    expect(b.state()).toEqual(a.state())
  })

  it('rejects a malformed state and a pick from an empty list with their codes', () => {
    expect(() => randomFromState([1, 2, 3])).toThrow(expect.objectContaining({ code: 'MG_RANDOM_BAD_STATE' }))
    expect(() => randomFromState([1, 2, 3, -1])).toThrow(expect.objectContaining({ code: 'MG_RANDOM_BAD_STATE' }))
    expect(() => createRandom(1).pick([])).toThrow(expect.objectContaining({ code: 'MG_RANDOM_EMPTY_CHOICE' }))
  })
})
