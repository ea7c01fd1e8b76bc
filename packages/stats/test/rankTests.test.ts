import { andersonDarlingKSample, mannWhitneyU } from '@modelgate/stats'
import { describe, expect, it } from 'vitest'
import { expectClose, ref } from './fixtures.js'

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
