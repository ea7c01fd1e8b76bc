import { describe, expect, it } from 'vitest'
import { argsortFloat64, sortFloat64 } from '../src/internal/radixSort.js'

function sample(n: number, seed: number): Float64Array {
  let s = seed >>> 0
  const out = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    const u = s / 2 ** 32
    // negatives, positives, +0 and -0, ties, tiny and huge magnitudes
    out[i] =
      i % 13 === 0 ? -0 : i % 11 === 0 ? 0 : i % 7 === 0 ? Math.round(u * 10) - 5 : (u - 0.5) * 10 ** ((s % 40) - 20)
  }
  return out
}

describe('radix sort of float64', () => {
  it('sorts like Float64Array.prototype.sort across signs, zeros, ties and magnitudes', () => {
    const a = sample(100_000, 3)
    const expected = Float64Array.from(a).sort()
    expect(sortFloat64(Float64Array.from(a))).toEqual(expected)
  })

  it('argsort returns a stable permutation into ascending order', () => {
    const a = sample(60_000, 9)
    const idx = argsortFloat64(a)
    let firstBad = -1
    for (let i = 1; i < idx.length && firstBad < 0; i++) {
      const x = a[idx[i - 1] as number] as number
      const y = a[idx[i] as number] as number
      if (!(x <= y && (!Object.is(x, y) || (idx[i - 1] as number) < (idx[i] as number)))) firstBad = i
    }
    expect(firstBad).toBe(-1)
    expect(new Set(idx).size).toBe(a.length)
  })
})
