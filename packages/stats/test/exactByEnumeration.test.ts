import { ksTest, mannWhitneyU } from '@modelgate/stats'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'

/** Every way of choosing which n1 of the pooled values form sample a. */
function* splits(n: number, k: number, start = 0, chosen: number[] = []): Generator<number[]> {
  if (chosen.length === k) {
    yield chosen
    return
  }
  for (let i = start; i <= n - (k - chosen.length); i++) yield* splits(n, k, i + 1, [...chosen, i])
}

function permutationP(a: number[], b: number[], stat: (x: number[], y: number[]) => number): number {
  const pooled = [...a, ...b]
  const observed = stat(a, b)
  let extreme = 0
  let total = 0
  for (const idx of splits(pooled.length, a.length)) {
    const inA = new Set(idx)
    const x = idx.map((i) => pooled[i] as number)
    const y = pooled.filter((_, i) => !inA.has(i))
    total++
    if (stat(x, y) >= observed - 1e-12) extreme++
  }
  return extreme / total
}

// distinct values (no ties), small sizes: the exact null distributions can be enumerated
const samples = fc
  .uniqueArray(fc.integer({ min: -1000, max: 1000 }), { minLength: 4, maxLength: 11 })
  .chain((values) => fc.tuple(fc.constant(values), fc.integer({ min: 1, max: values.length - 1 })))
  .map(([values, cut]) => [values.slice(0, cut), values.slice(cut)] as const)

describe('exact p-values agree with brute-force enumeration of all splits', () => {
  it('two-sample KS (method: exact)', () => {
    fc.assert(
      fc.property(samples, ([a, b]) => {
        const p = ksTest(a, b, { method: 'exact' }).pValue as number
        const brute = permutationP(a, b, (x, y) => ksTest(x, y, { method: 'exact' }).statistic)
        expect(p).toBeCloseTo(brute, 10)
      }),
      { numRuns: 60 },
    )
  })

  it('one-sided KS (alternative: greater / less)', () => {
    fc.assert(
      fc.property(samples, fc.constantFrom('greater' as const, 'less' as const), ([a, b], alternative) => {
        const p = ksTest(a, b, { method: 'exact', alternative }).pValue as number
        const brute = permutationP(a, b, (x, y) => ksTest(x, y, { method: 'exact', alternative }).statistic)
        expect(p).toBeCloseTo(brute, 10)
      }),
      { numRuns: 60 },
    )
  })

  it('Mann–Whitney U (method: exact, two-sided)', () => {
    fc.assert(
      fc.property(samples, ([a, b]) => {
        const n1 = a.length
        const n2 = b.length
        const p = mannWhitneyU(a, b, { method: 'exact' }).pValue as number
        // two-sided statistic: distance of U from its mean
        const brute = permutationP(a, b, (x, y) => {
          const u = mannWhitneyU(x, y, { method: 'asymptotic' }).statistic
          return Math.abs(u - (n1 * n2) / 2)
        })
        expect(p).toBeCloseTo(Math.min(1, brute), 10)
      }),
      { numRuns: 60 },
    )
  })
})
