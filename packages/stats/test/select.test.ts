import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { quantilesUnsorted } from '../src/internal/select.js'
import { quantileSorted } from '../src/internal/sorted.js'
import { lcg } from './lcg.js'

describe('quantiles by selection', () => {
  it('equal numpy-linear quantiles of the sorted data, with ties and tiny samples', () => {
    const rnd = lcg(5)
    for (const n of [1, 2, 3, 10, 1001, 50_000]) {
      for (const ties of [false, true]) {
        const a = Float64Array.from({ length: n }, () => (ties ? Math.floor(rnd() * 5) : rnd() * 100 - 50))
        const qs = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]
        const sorted = Float64Array.from(a).sort()
        expect(Array.from(quantilesUnsorted(Float64Array.from(a), qs))).toEqual(
          qs.map((q) => quantileSorted(sorted, q)),
        )
      }
    }
  })
  it('agree with sorting for any data (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.integer({ min: -3, max: 3 }), fc.double({ min: -1e9, max: 1e9, noNaN: true })), {
          minLength: 1,
          maxLength: 300,
        }),
        fc.uniqueArray(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 12 }),
        (data, qsRaw) => {
          const qs = [...qsRaw].sort((x, y) => x - y)
          const a = Float64Array.from(data)
          const sorted = Float64Array.from(a).sort()
          expect(Array.from(quantilesUnsorted(a, qs))).toEqual(qs.map((q) => quantileSorted(sorted, q)))
        },
      ),
    )
  })
})
