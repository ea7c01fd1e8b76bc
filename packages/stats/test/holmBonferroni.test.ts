import { benjaminiHochberg, holmBonferroni } from '@modelgate/stats'
import { describe, expect, it } from 'vitest'
import { expectClose, ref2 } from './fixtures.js'

describe('holmBonferroni', () => {
  for (const c of ref2.holm) {
    it(`matches Holm's step-down adjustment computed with numpy (${c.p.length} p-values)`, () => {
      const r = holmBonferroni(c.p, 0.05)
      for (const [i, q] of (c.adjusted as number[]).entries()) expectClose(r.adjusted[i], q, 1e-14, 1e-16)
      expect(r.rejected).toEqual(c.adjusted.map((q: number) => q <= 0.05))
    })
  }

  it('never rejects more than Benjamini–Hochberg and rejects p-values at or under alpha/m', () => {
    const p = ref2.holm[0].p as number[]
    expect(holmBonferroni(p).rejectedCount).toBeLessThanOrEqual(benjaminiHochberg(p).rejectedCount)
    expect(holmBonferroni([0.01, 0.5, 0.9], 0.05).rejected).toEqual([true, false, false])
    expect(() => holmBonferroni([0.1, 1.2])).toThrow(/index 1 is 1.2/)
  })
})
