import {
  andersonDarlingKSample,
  jensenShannonSamples,
  ksTest,
  mannWhitneyU,
  pearson,
  psi,
  spearman,
  tostTwoSample,
  wasserstein,
} from '@modelgate/stats'
import { describe, expect, it } from 'vitest'

describe('inputs', () => {
  it('are never modified, including typed arrays large enough for the radix-sort path', () => {
    const a = Float64Array.from({ length: 30_000 }, (_, i) => Math.sin(i * 1.7) * 10)
    const b = Float64Array.from({ length: 30_000 }, (_, i) => Math.cos(i * 0.3) * 9)
    const a0 = Float64Array.from(a)
    const b0 = Float64Array.from(b)
    ksTest(a, b)
    psi(a, b)
    wasserstein(a, b)
    spearman(a, b)
    pearson(a, b)
    mannWhitneyU(a, b)
    andersonDarlingKSample([a, b])
    jensenShannonSamples(a, b)
    tostTwoSample(a, b, { margin: 1 })
    expect(a).toEqual(a0)
    expect(b).toEqual(b0)
  })

  it('name the offending index when a typed array holds NaN', () => {
    const a = new Float64Array(10).fill(1)
    a[7] = Number.NaN
    expect(() => pearson(a, new Float64Array(10))).toThrow(
      'pearson: sample "x": value at index 7 is NaN; expected a finite number.',
    )
    expect(() => psi([1, 2, 3], a)).toThrow(expect.objectContaining({ code: 'MG_STATS_NOT_FINITE' }))
  })

  it('refuse option names a function does not know, instead of ignoring them (a typo would use the default)', () => {
    expect(() => ksTest([1, 2], [3, 4], { alternatve: 'less' } as never)).toThrow(
      'ksTest: unknown option "alternatve"; expected one of "alpha", "method", "alternative".',
    )
    expect(() => psi([1, 2, 3], [1, 2, 3], { bin: 5 } as never)).toThrow(/psi: unknown option "bin"/)
    expect(() => wasserstein([1, 2], [1, 3], { threshhold: 0.2 } as never)).toThrow(
      expect.objectContaining({ code: 'MG_STATS_BAD_OPTION' }),
    )
    // an option that is present but undefined is the default, as with object spreads
    expect(ksTest([1, 2], [3, 4], { alpha: undefined } as never).threshold).toBe(0.05)
  })
})
