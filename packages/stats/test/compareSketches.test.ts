import { createQuantileSketch, ksTest, ksTestFromSketches, psi, psiFromSketches } from '@modelgate/stats'
import { describe, expect, it } from 'vitest'

function normals(n: number, mean: number, seed: number): Float64Array {
  let s = seed >>> 0
  const u = (): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    return (s + 0.5) / 2 ** 32
  }
  return Float64Array.from({ length: n }, () => mean + Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u()))
}

describe('comparing sketches (streams without raw data)', () => {
  const reference = normals(200_000, 0, 1)
  const same = normals(150_000, 0, 2)
  const shifted = normals(150_000, 0.3, 3)
  const sketch = (x: Float64Array, seed: number) => createQuantileSketch({ k: 200, seed }).addAll(x)

  it('ksTestFromSketches is within the sketches’ rank error of the exact D', () => {
    for (const other of [same, shifted]) {
      const exact = ksTest(reference, other)
      const approx = ksTestFromSketches(sketch(reference, 1), sketch(other, 2))
      expect(Math.abs(approx.statistic - exact.statistic)).toBeLessThanOrEqual(2 * (2 / 200))
      expect(approx.details).toMatchObject({ n1: 200_000, n2: 150_000, approximate: 'kll' })
    }
    expect(ksTestFromSketches(sketch(reference, 1), sketch(shifted, 2)).passed).toBe(false)
  })

  it('psiFromSketches tracks the exact PSI and gives the same verdict', () => {
    for (const other of [same, shifted]) {
      const exact = psi(reference, other)
      const approx = psiFromSketches(sketch(reference, 3), sketch(other, 4))
      expect(Math.abs(approx.statistic - exact.statistic)).toBeLessThan(0.02)
      expect(approx.passed).toBe(exact.passed)
    }
  })

  it('refuses empty sketches', () => {
    expect(() => psiFromSketches(createQuantileSketch(), sketch(same, 1))).toThrow(
      expect.objectContaining({ code: 'MG_STATS_EMPTY_SAMPLE' }),
    )
  })
})
