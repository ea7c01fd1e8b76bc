import { benjaminiHochberg } from '@modelgate/stats'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { expectClose, ref } from './fixtures.js'

describe('benjaminiHochberg', () => {
  it('matches scipy.stats.false_discovery_control(method="bh")', () => {
    for (const c of ref.benjaminiHochberg) {
      const r = benjaminiHochberg(c.p, 0.05)
      c.adjusted.forEach((q: number, i: number) => {
        expectClose(r.adjusted[i], q, 1e-14, 1e-16)
      })
      expect(r.rejected).toEqual(c.adjusted.map((q: number) => q <= 0.05))
    }
  })

  it('keeps adjusted p-values monotone in the raw p-values and never below them', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 80 }), (ps) => {
        const { adjusted } = benjaminiHochberg(ps)
        const order = ps.map((_, i) => i).sort((a, b) => (ps[a] as number) - (ps[b] as number))
        for (let k = 1; k < order.length; k++) {
          expect(adjusted[order[k] as number]).toBeGreaterThanOrEqual(adjusted[order[k - 1] as number] as number)
        }
        ps.forEach((p, i) => {
          expect(adjusted[i]).toBeGreaterThanOrEqual(p)
          expect(adjusted[i]).toBeLessThanOrEqual(1)
        })
      }),
    )
  })

  it('rejects p-values outside [0, 1]', () => {
    expect(() => benjaminiHochberg([0.1, Number.NaN])).toThrow(expect.objectContaining({ code: 'MG_STATS_NOT_FINITE' }))
  })
})
