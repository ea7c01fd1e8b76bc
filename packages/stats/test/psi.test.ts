import { psi, psiBreakdown, psiCategorical, psiFromCounts } from '@modelgate/stats'
import { describe, expect, it } from 'vitest'
import { expectClose, ref } from './fixtures.js'

describe('psi', () => {
  for (const c of ref.psi) {
    it(`matches the numpy reference: ${c.name}`, () => {
      const r = psi(c.reference, c.current, { bins: c.bins, epsilon: c.epsilon })
      expectClose(r.statistic, c.psi, 1e-10, 1e-12)
      expect(r.details?.bins).toBe(c.binsUsed)
    })
  }

  it('computes PSI from bin counts and from category counts (union of categories)', () => {
    expectClose(psiFromCounts(ref.psiCounts.reference, ref.psiCounts.current).statistic, ref.psiCounts.psi, 1e-12)
    const { reference, current } = ref.psiCategorical
    expectClose(psiCategorical(reference, current).statistic, ref.psiCategorical.psi, 1e-12)
    const asMaps = psiCategorical(new Map(Object.entries(reference)), new Map(Object.entries(current)))
    expectClose(asMaps.statistic, ref.psiCategorical.psi, 1e-12)
    expect(asMaps.details?.categories).toBe(5)
  })

  it('passes below the threshold (default 0.2) and fails above it', () => {
    const base = Array.from({ length: 1000 }, (_, i) => i / 10)
    expect(psi(base, base).statistic).toBe(0)
    expect(psi(base, base).passed).toBe(true)
    const shifted = base.map((v) => v + 40)
    const r = psi(base, shifted)
    expect(r.statistic).toBeGreaterThan(0.2)
    expect(r.passed).toBe(false)
    expect(psi(base, shifted, { threshold: 100 }).passed).toBe(true)
  })

  it('breaks PSI down per bin for charts: labels, counts, contributions that sum to the PSI', () => {
    const c = ref.psi.find((x: { name: string }) => x.name === 'ties merge edges')
    const b = psiBreakdown(c.reference, c.current)
    expect(b.labels.length).toBe(c.binsUsed)
    expect(b.labels[0]).toMatch(/^< /)
    expect(b.labels[b.labels.length - 1]).toMatch(/^≥ /)
    expect(b.referenceCounts.reduce((s, v) => s + v, 0)).toBe(c.reference.length)
    expect(b.currentCounts.reduce((s, v) => s + v, 0)).toBe(c.current.length)
    expectClose(
      b.contributions.reduce((s, v) => s + v, 0),
      c.psi,
      1e-10,
    )
    expect(b.psi).toBe(psi(c.reference, c.current).statistic)
    expect(psiBreakdown([1, 2, 3, 4], [1, 2, 3, 4], { bins: 2 }).labels).toEqual(['< 2.5', '≥ 2.5'])
  })

  it('rejects bad input with stable codes', () => {
    expect(() => psi([], [1])).toThrow(expect.objectContaining({ code: 'MG_STATS_EMPTY_SAMPLE' }))
    expect(() => psi([1, 2], [Number.NaN])).toThrow(expect.objectContaining({ code: 'MG_STATS_NOT_FINITE' }))
    expect(() => psi([1, 2], [1], { bins: 1 })).toThrow(expect.objectContaining({ code: 'MG_STATS_BAD_OPTION' }))
    expect(() => psiFromCounts([1, 2], [1])).toThrow(expect.objectContaining({ code: 'MG_STATS_LENGTH_MISMATCH' }))
    expect(() => psiFromCounts([1, -2], [1, 1])).toThrow(expect.objectContaining({ code: 'MG_STATS_BAD_COUNTS' }))
    expect(() => psiFromCounts([0, 0], [1, 1])).toThrow(/reference counts sum to 0/)
  })
})
