import { andersonDarlingKSample, mannWhitneyU } from '@modelgate/stats'
import { describe, expect, it } from 'vitest'
import { expectClose, ref, ref2 } from './fixtures.js'

describe('andersonDarlingKSample', () => {
  for (const c of ref.andersonDarling) {
    it(`matches scipy.stats.anderson_ksamp(variant='midrank'): ${c.name}`, () => {
      const r = andersonDarlingKSample(c.samples)
      expectClose(r.statistic, c.statistic, 1e-10, 1e-12)
      expectClose(r.pValue, c.pvalue, 1e-8)
    })
  }

  it('says when the p-value is capped or floored by the Scholz–Stephens table', () => {
    const floored = ref.andersonDarling.find((c: { name: string }) => c.name === 'p floored')
    expect(andersonDarlingKSample(floored.samples).details?.pValueBound).toBe('floored')
    const capped = ref.andersonDarling.find((c: { name: string }) => c.name === 'p capped')
    expect(andersonDarlingKSample(capped.samples).details?.pValueBound).toBe('capped')
  })

  it('needs two samples, four values and two distinct values', () => {
    expect(() => andersonDarlingKSample([[1, 2, 3]])).toThrow(/at least 2 samples/)
    expect(() =>
      andersonDarlingKSample([
        [1, 1, 1],
        [1, 1],
      ]),
    ).toThrow(/two distinct values/)
    expect(() => andersonDarlingKSample([[1, 2], [3]])).toThrow(/at least 4 values/)
  })
})

describe('mannWhitneyU', () => {
  for (const c of ref.mannWhitney) {
    it(`matches scipy.stats.mannwhitneyu(method='${c.method}'): ${c.name}`, () => {
      const r = mannWhitneyU(c.a, c.b, { method: c.method })
      expect(r.statistic).toBe(c.statistic)
      expectClose(r.pValue, c.pvalue, 1e-10, 1e-15)
    })
  }

  it('picks the exact distribution for small samples without ties', () => {
    expect(mannWhitneyU([1, 2, 3], [4, 5, 6, 7]).details?.method).toBe('exact')
    expect(mannWhitneyU([1, 2, 2], [4, 5, 6, 7]).details?.method).toBe('asymptotic')
  })
})

describe('mannWhitneyU: exact distribution and one-sided tests', () => {
  for (const c of ref2.mannWhitneyExact) {
    it(`matches the exact null distribution (rational arithmetic): ${c.name}`, () => {
      const r = mannWhitneyU(c.a, c.b, { method: 'exact', alternative: c.alternative })
      expect(r.statistic).toBe(c.statistic)
      expectClose(r.pValue, c.pvalue, 1e-9, 1e-300)
      expect(r.details?.method).toBe('exact')
    })
  }

  for (const c of ref2.mannWhitneyAsymptotic) {
    it(`matches scipy.stats.mannwhitneyu(method='asymptotic'): ${c.name}`, () => {
      const r = mannWhitneyU(c.a, c.b, { method: 'asymptotic', alternative: c.alternative })
      expect(r.statistic).toBe(c.statistic)
      expectClose(r.pValue, c.pvalue, 1e-10, 1e-300)
    })
  }

  it('refuses the exact method past 200 values in the smaller sample, where rounding would grow', () => {
    const a = Array.from({ length: 201 }, (_, i) => i)
    expect(() => mannWhitneyU(a, a, { method: 'exact' })).toThrow(
      expect.objectContaining({ code: 'MG_STATS_BAD_OPTION', message: expect.stringMatching(/up to 200 values/) }),
    )
    expect(mannWhitneyU(a, a).details?.method).toBe('asymptotic')
  })

  it('rejects an unknown alternative or option instead of ignoring it', () => {
    expect(() => mannWhitneyU([1, 2], [3, 4], { alternative: 'lesser' as 'less' })).toThrow(
      expect.objectContaining({ code: 'MG_STATS_BAD_OPTION', message: expect.stringMatching(/alternative/) }),
    )
    expect(() => mannWhitneyU([1, 2], [3, 4], { alternatve: 'less' } as never)).toThrow(
      /mannWhitneyU: unknown option "alternatve"/,
    )
  })
})
