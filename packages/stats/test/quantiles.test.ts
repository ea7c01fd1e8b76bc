import { quantileSorted, quantiles } from '@modelgate/stats'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'

/** numpy's 'linear' quantile of a sorted copy, with numpy's _lerp (exact at both ends). */
function reference(values: readonly number[], p: number): number {
  const s = [...values].sort((a, b) => a - b)
  const h = (s.length - 1) * p
  const lo = Math.floor(h)
  if (lo >= s.length - 1) return s[s.length - 1] as number
  const a = s[lo] as number
  const b = s[lo + 1] as number
  const t = h - lo
  return t >= 0.5 ? b - (b - a) * (1 - t) : a + (b - a) * t
}

describe('quantiles', () => {
  it('equals numpy-linear quantiles of the sorted values without sorting, ties and all', () => {
    const ps = [0, 0.05, 0.25, 0.5, 0.75, 0.95, 1]
    fc.assert(
      fc.property(
        fc.oneof(
          fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 300 }),
          fc.array(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e300, max: 1e300 }), {
            minLength: 1,
            maxLength: 300,
          }),
        ),
        (values) => {
          const got = quantiles(values, ps)
          const sorted = Float64Array.from(values).sort()
          for (const [i, p] of ps.entries()) {
            // === rather than Object.is: -0 and 0 are the same quantile.
            expect(got[i] === reference(values, p), `p=${p}`).toBe(true)
            expect(quantileSorted(sorted, p) === reference(values, p), `sorted p=${p}`).toBe(true)
          }
        },
      ),
      { numRuns: 300 },
    )
  })

  it('leaves the input alone unless asked to work in place', () => {
    const values = Float64Array.from([5, 1, 4, 2, 3])
    expect(Array.from(quantiles(values, [0.5]))).toEqual([3])
    expect(Array.from(values)).toEqual([5, 1, 4, 2, 3])
    quantiles(values, [0.5], { inPlace: true })
    expect(Array.from(values)).not.toEqual([5, 1, 4, 2, 3])
  })

  it('rejects an empty or non-finite sample, and gives NaN for an empty sorted one', () => {
    expect(() => quantiles([], [0.5])).toThrow(expect.objectContaining({ code: 'MG_STATS_EMPTY_SAMPLE' }))
    expect(() => quantiles([1, Number.NaN], [0.5])).toThrow(expect.objectContaining({ code: 'MG_STATS_NOT_FINITE' }))
    expect(quantileSorted(new Float64Array(0), 0.5)).toBeNaN()
  })
})
