import { describe, expect, it } from 'vitest'
import { integerRangeAlternatives, numberRangeRegex } from '../src/internal/rangeRegex.js'

describe('range regexes for Pact number matching', () => {
  it('accepts exactly the integers of a range, for many ranges (brute force)', () => {
    const ranges: [number, number][] = [
      [0, 0],
      [0, 9],
      [0, 23],
      [1, 1],
      [5, 17],
      [0, 100],
      [7, 3650],
      [99, 1001],
      [0, 10000],
      [123, 4567],
      [1000, 1999],
      [10, 99],
    ]
    for (const [lo, hi] of ranges) {
      const re = new RegExp(`^(?:${integerRangeAlternatives(lo, hi).join('|')})$`)
      for (let x = 0; x <= hi + 1100; x++) expect(re.test(String(x)), `${x} in [${lo}, ${hi}]`).toBe(x >= lo && x <= hi)
      expect(re.test('007')).toBe(false)
    }
  })

  it('accepts the JSON text of numbers in [0, 1] and nothing else', () => {
    const re = new RegExp(numberRangeRegex(0, 1, false) as string)
    for (const ok of ['0', '0.0', '0.5', '0.999999', '1', '1.0', '1e-7', '2.5e-10', '9.99e-1'])
      expect(re.test(ok), ok).toBe(true)
    for (const bad of ['1.5', '-0.1', '10', '100', '1.01', '1e2', '5e0', '"0.5"', ''])
      expect(re.test(bad), bad).toBe(false)
  })

  it('gives up (undefined) on bounds it cannot express exactly', () => {
    expect(numberRangeRegex(0.5, 2, false)).toBeUndefined()
    expect(numberRangeRegex(-1, 1, false)).toBeUndefined()
    expect(numberRangeRegex(0, 1e18, false)).toBeUndefined()
  })
})
