import { ksStatistic, ksTest } from '@modelgate/stats'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { expectClose, ref } from './fixtures.js'

describe('ksTest', () => {
  for (const c of ref.ks) {
    it(`matches scipy.stats.ks_2samp: ${c.name}`, () => {
      const r = ksTest(c.a, c.b, { method: c.method, alternative: c.alternative })
      expectClose(r.statistic, c.statistic, 1e-12, 1e-12)
      // exact p-values match to 1e-9; the asymptotic Kolmogorov approximations to 1e-7
      expectClose(r.pValue, c.pvalue, c.method === 'asymptotic' ? 1e-7 : 1e-9, 1e-300)
    })
  }

  it('ksStatistic gives the same D without a p-value', () => {
    for (const c of ref.ks.filter((x: { alternative: string }) => x.alternative === 'two-sided')) {
      expectClose(ksStatistic(c.a, c.b), c.statistic, 1e-12, 1e-12)
    }
  })

  it('uses the exact distribution up to 10,000 values per sample and the asymptotic one above', () => {
    const small = ksTest([1, 2, 3], [2, 3, 4, 5])
    expect(small.details?.method).toBe('exact')
    const big = new Float64Array(10_001).map((_, i) => i)
    expect(ksTest(big, [1, 2, 3]).details?.method).toBe('asymptotic')
  })

  it('reports n, the verdict against alpha and where D is reached', () => {
    const r = ksTest([0.1, 0.2, 0.3, 0.4], [0.35, 0.5, 0.6, 0.7, 0.8], { alpha: 0.01 })
    expect(r.test).toBe('ks')
    expect(r.threshold).toBe(0.01)
    expect(r.details).toMatchObject({ n1: 4, n2: 5, sign: 1, location: 0.4 })
    expect(r.passed).toBe((r.pValue as number) >= 0.01)
  })

  it('rejects empty samples and NaN with MG_STATS_* codes', () => {
    expect(() => ksTest([], [1])).toThrow(expect.objectContaining({ code: 'MG_STATS_EMPTY_SAMPLE' }))
    expect(() => ksTest([1, Number.NaN], [1])).toThrow(/index 1 is NaN/)
    expect(() => ksTest([1, 2], [1, Number.POSITIVE_INFINITY])).toThrow(
      expect.objectContaining({ code: 'MG_STATS_NOT_FINITE' }),
    )
    expect(() => ksTest([1], [1], { alpha: 2 })).toThrow(expect.objectContaining({ code: 'MG_STATS_BAD_OPTION' }))
  })

  it('explains bad input in one readable line', () => {
    expect(() => ksTest([1, Number.NaN], [1])).toThrowErrorMatchingInlineSnapshot(
      `[StatsError: ksTest: sample "a": value at index 1 is NaN; expected a finite number.]`,
    )
    expect(() => ksTest([2], [])).toThrowErrorMatchingInlineSnapshot(
      `[StatsError: ksTest: sample "b": expected at least 1 value, got 0.]`,
    )
  })

  const sample = fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 60 })

  it('is symmetric in its samples', () => {
    fc.assert(
      fc.property(sample, sample, (a, b) => {
        const ab = ksTest(a, b)
        const ba = ksTest(b, a)
        expect(ab.statistic).toBe(ba.statistic)
        expect(ab.pValue).toBeCloseTo(ba.pValue as number, 12)
      }),
    )
  })

  it('gives D = 0 and p = 1 for identical samples, and D within [0, 1] always', () => {
    fc.assert(
      fc.property(sample, sample, (a, b) => {
        const same = ksTest(a, [...a].reverse())
        expect(same.statistic).toBe(0)
        expect(same.pValue).toBe(1)
        const r = ksTest(a, b)
        expect(r.statistic).toBeGreaterThanOrEqual(0)
        expect(r.statistic).toBeLessThanOrEqual(1)
        expect(r.pValue).toBeGreaterThanOrEqual(0)
        expect(r.pValue).toBeLessThanOrEqual(1)
      }),
    )
  })
})
