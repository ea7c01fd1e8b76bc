import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { selectQuantiles } from '../src/internal/selectQuantiles.js'

const sortedQuantile = (values: readonly number[], p: number): number => {
  const s = [...values].sort((a, b) => a - b)
  const h = (s.length - 1) * p
  const lo = Math.floor(h)
  const a = s[lo] as number
  return a + (h - lo) * ((s[Math.min(s.length - 1, lo + 1)] as number) - a)
}

describe('selectQuantiles', () => {
  it('equals the type-7 quantiles of the sorted values, ties and all', () => {
    const ps = [0, 0.05, 0.25, 0.5, 0.75, 0.95, 1]
    fc.assert(
      fc.property(
        fc.oneof(fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 300 }), fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { minLength: 1, maxLength: 300 })),
        (values) => {
          const got = selectQuantiles(Float64Array.from(values), ps)
          // === rather than Object.is: -0 and 0 are the same quantile.
          for (const [i, p] of ps.entries()) expect(got[i] === sortedQuantile(values, p), `p=${p}`).toBe(true)
        },
      ),
      { numRuns: 300 },
    )
  })
})
