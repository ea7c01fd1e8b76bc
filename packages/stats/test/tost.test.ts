import { tostPaired, tostTwoSample } from '@modelgate/stats'
import { describe, expect, it } from 'vitest'
import { expectClose, ref } from './fixtures.js'

describe('TOST equivalence tests', () => {
  it('match scipy.stats.ttest_1samp with alternative= on shifted differences', () => {
    for (const c of ref.tostPaired) {
      const r = tostPaired(c.differences, { margin: c.margin })
      expectClose(r.details?.tLower as number, c.tLower, 1e-12, 1e-12)
      expectClose(r.details?.tUpper as number, c.tUpper, 1e-12, 1e-12)
      expectClose(r.details?.pLower as number, c.pLower, 1e-9, 1e-300)
      expectClose(r.details?.pUpper as number, c.pUpper, 1e-9, 1e-300)
      expectClose(r.pValue, c.pvalue, 1e-9, 1e-300)
      expect(r.passed).toBe(c.pvalue < 0.05)
    }
  })

  it('match scipy.stats.ttest_ind (pooled and Welch) with alternative= on shifted samples', () => {
    for (const c of ref.tostTwoSample) {
      const r = tostTwoSample(c.a, c.b, { margin: c.margin, equalVariance: c.equalVariance })
      expectClose(r.details?.tLower as number, c.tLower, 1e-12, 1e-12)
      expectClose(r.details?.tUpper as number, c.tUpper, 1e-12, 1e-12)
      expectClose(r.pValue, c.pvalue, 1e-9, 1e-300)
      expect(r.passed).toBe(c.pvalue < 0.05)
    }
  })

  it('declares equivalence for near-identical models and not for a shifted one', () => {
    const base = Array.from({ length: 200 }, (_, i) => Math.sin(i) * 0.01)
    expect(tostPaired(base, { margin: 0.01 }).passed).toBe(true)
    expect(
      tostPaired(
        base.map((v) => v + 0.05),
        { margin: 0.01 },
      ).passed,
    ).toBe(false)
  })

  it('handles zero variance without NaN: identical differences are decided by the margin alone', () => {
    expect(tostPaired([0.2, 0.2, 0.2], { margin: 0.5 })).toMatchObject({ pValue: 0, passed: true })
    expect(tostPaired([0.7, 0.7, 0.7], { margin: 0.5 })).toMatchObject({ pValue: 1, passed: false })
  })

  it('requires a positive margin', () => {
    // @ts-expect-error margin is required
    expect(() => tostPaired([1, 2, 3], {})).toThrow(/margin is required/)
    expect(() => tostPaired([1, 2, 3], { margin: -1 })).toThrow(
      expect.objectContaining({ code: 'MG_STATS_BAD_OPTION' }),
    )
  })
})
