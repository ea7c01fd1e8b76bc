import { wilcoxonSignedRank } from '@modelgate/stats'
import { describe, expect, it } from 'vitest'
import { expectClose, ref2 } from './fixtures.js'

describe('wilcoxonSignedRank', () => {
  for (const c of ref2.wilcoxon) {
    it(`matches scipy.stats.wilcoxon: ${c.name}`, () => {
      const d: number[] = c.x === undefined ? c.d : c.x.map((v: number, i: number) => v - c.y[i])
      const r = wilcoxonSignedRank(d, {
        ...(c.alternative === undefined ? {} : { alternative: c.alternative }),
        ...(c.zero_method === undefined ? {} : { zeroMethod: c.zero_method }),
        ...(c.correction === undefined ? {} : { correction: c.correction }),
        ...(c.method === undefined ? {} : { method: c.method }),
      })
      expect(r.statistic).toBe(c.statistic)
      expectClose(r.pValue, c.pvalue, 1e-12, 1e-300)
      if (c.z !== undefined) expectClose(r.details?.z as number, c.z, 1e-12)
    })
  }

  it('says which method it used: exact without ties, every sign flip for small samples with ties, else normal', () => {
    expect(wilcoxonSignedRank([1.5, -0.2, 3.1, 0.7, 2.2]).details?.method).toBe('exact')
    expect(wilcoxonSignedRank([1, -1, 2, 2, 3, 0]).details?.method).toBe('permutation')
    const big = Array.from({ length: 60 }, (_, i) => ((i * 37) % 11) - 4.5)
    expect(wilcoxonSignedRank(big).details?.method).toBe('asymptotic')
  })

  it('rejects unknown options and choices with the accepted ones named', () => {
    expect(() => wilcoxonSignedRank([1, 2, 3], { zeroMethod: 'drop' as 'wilcox' })).toThrow(
      /zeroMethod must be 'wilcox', 'pratt' or 'zsplit', got "drop"/,
    )
    expect(() => wilcoxonSignedRank([1, 2, 3], { alterative: 'less' } as never)).toThrow(/unknown option "alterative"/)
    expect(() => wilcoxonSignedRank([])).toThrow(expect.objectContaining({ code: 'MG_STATS_EMPTY_SAMPLE' }))
  })
})
