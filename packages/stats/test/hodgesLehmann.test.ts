import { hodgesLehmann, hodgesLehmannShift } from '@modelgate/stats'
import { describe, expect, it } from 'vitest'
import { expectClose, ref2 } from './fixtures.js'

describe('hodgesLehmann (one sample, paired differences)', () => {
  for (const c of ref2.hodgesLehmannOneSample) {
    it(`matches the Walsh-average estimate and interval computed by hand: ${c.name}`, () => {
      const r = hodgesLehmann(c.d, { confidence: c.confidence })
      expect(r.estimate + 0).toBe(c.estimate + 0)
      expect([r.lower + 0, r.upper + 0]).toEqual([c.lower + 0, c.upper + 0])
      expect(r.method).toBe(c.method)
      if (c.achievedConfidence !== undefined) expectClose(r.achievedConfidence, c.achievedConfidence, 1e-12)
    })
  }
})

describe('hodgesLehmannShift (two samples)', () => {
  for (const c of ref2.hodgesLehmannTwoSample) {
    it(`matches the median of all differences and its interval computed by hand: ${c.name}`, () => {
      const r = hodgesLehmannShift(c.a, c.b, { confidence: c.confidence })
      expect(r.estimate + 0).toBe(c.estimate + 0)
      expect([r.lower + 0, r.upper + 0]).toEqual([c.lower + 0, c.upper + 0])
      expect(r.method).toBe(c.method)
      if (c.achievedConfidence !== undefined) expectClose(r.achievedConfidence, c.achievedConfidence, 1e-12)
    })
  }

  it('selects order statistics of 10¹⁰ differences without listing them', () => {
    const a = Float64Array.from({ length: 100_000 }, (_, i) => Math.sin(i) * 3 + 0.25)
    const b = Float64Array.from({ length: 100_000 }, (_, i) => Math.cos(i * 1.3) * 3)
    const r = hodgesLehmannShift(a, b, { confidence: 0.98 })
    expect(r.estimate).toBeGreaterThan(r.lower)
    expect(r.upper).toBeGreaterThan(r.estimate)
    expect(r.upper - r.lower).toBeLessThan(0.1)
  })

  it('rejects a confidence outside (0, 1) and unknown options', () => {
    expect(() => hodgesLehmannShift([1, 2], [3, 4], { confidence: 95 })).toThrow(/confidence must be between 0 and 1/)
    expect(() => hodgesLehmann([1, 2], { level: 0.9 } as never)).toThrow(/unknown option "level"/)
  })
})
