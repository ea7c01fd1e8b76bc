import { formatBytes, formatCount, formatNumber, formatPercent, formatStatistic } from '@modelgate/core'
import { describe, expect, it } from 'vitest'

describe('the number formatters', () => {
  it('formatNumber: compact by default, significant digits or fixed decimals when asked', () => {
    expect([38.6, 1077.6, 189_778, 1_480_000, 0.012345, 0].map((x) => formatNumber(x))).toEqual([
      '38.6',
      '1,078',
      '189,778',
      '1.48M',
      '0.0123',
      '0',
    ])
    expect(formatNumber(0.1234567, { significant: 6 })).toBe('0.123457')
    expect([0.9, 0.91234, 12].map((x) => formatNumber(x, { decimals: 3 }))).toEqual(['0.900', '0.912', '12.000'])
    expect(formatNumber(Number.NaN, { decimals: 3 })).toBe('NaN')
  })

  it('formatStatistic: 4 significant digits, scientific below 0.0001 and from a million', () => {
    expect([0.123456, 12.3456, 1234.5, 0.0001, 0, -0.5].map(formatStatistic)).toEqual([
      '0.1235',
      '12.35',
      '1235',
      '0.0001',
      '0',
      '-0.5',
    ])
    expect([4.2e-34, 0.00001234567, 2.5e6, 1e-5].map(formatStatistic)).toEqual([
      '4.2e-34',
      '1.235e-5',
      '2.5e+6',
      '1e-5',
    ])
    expect(formatStatistic(Number.POSITIVE_INFINITY)).toBe('Infinity')
  })

  it('formatPercent: decimals, small shares shown or marked, significant digits', () => {
    expect(formatPercent(0.1234)).toBe('12.3%')
    expect(formatPercent(0.1234, 0)).toBe('12%')
    expect(formatPercent(0.0004)).toBe('<0.1%')
    expect(formatPercent(0.00012, { smallDigits: 3 })).toBe('0.012%')
    expect(formatPercent(0.5, { smallDigits: 3 })).toBe('50.0%')
    expect(formatPercent(0, { smallDigits: 3 })).toBe('0.0%')
    expect([0.000123, 0.0456, 0.123456, 1].map((x) => formatPercent(x, { significant: 3 }))).toEqual([
      '0.0123%',
      '4.56%',
      '12.3%',
      '100%',
    ])
    expect(formatCount(1204)).toBe('1,204')
  })

  it('formatBytes: KB below a mebibyte, MB from there, one decimal', () => {
    expect([0, 1536, 1024 * 1024 - 1, 1024 * 1024, 3.25 * 1024 * 1024].map(formatBytes)).toEqual([
      '0.0 KB',
      '1.5 KB',
      '1024.0 KB',
      '1.0 MB',
      '3.3 MB',
    ])
  })
})
