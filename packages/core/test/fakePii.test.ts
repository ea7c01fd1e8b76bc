import { describe, expect, it } from 'vitest'
import type { FakePiiType } from '../src/index.js'
import { createRandom, detectPii, fakePii, fakeUniqueId, PII_TYPES, TEST_CARD_NUMBERS } from '../src/index.js'

const draw = (type: FakePiiType, n = 2_000, seed = 1): string[] => {
  const random = createRandom(seed, type)
  return Array.from({ length: n }, () => fakePii(type, random))
}

/** Luhn, written out again here so the generator is not checked against itself. */
function luhn(digits: string): boolean {
  const sum = [...digits].reverse().reduce((s, ch, i) => {
    const d = Number(ch) * (i % 2 === 1 ? 2 : 1)
    return s + (d > 9 ? d - 9 : d)
  }, 0)
  return sum % 10 === 0
}

describe('fakePii: values from ranges no real person can hold', () => {
  it('emails are at example.com, example.net or example.org (RFC 2606)', () => {
    expect(draw('email').filter((v) => !/^[a-z]+[._]?[a-z]+\d{0,2}@example\.(com|net|org)$/.test(v))).toEqual([])
  })

  it('phones are in the fictional 555-0100…0199 block of a well-formed NANP area code', () => {
    const phones = draw('phone')
    expect(phones.filter((v) => !/^\+1 \([2-9][0-8]\d\) 555-01\d\d$/.test(v) || /^\+1 \(\d11\)/.test(v))).toEqual([])
  })

  it('SSN-shaped ids use areas the SSA never issues, and groups that are no ITIN, ATIN or IRSN', () => {
    const itinAtinIrsn = (g: number): boolean =>
      (g >= 50 && g <= 65) ||
      (g >= 70 && g <= 88) ||
      (g >= 90 && g <= 99) ||
      (g >= 1 && g <= 10) ||
      (g >= 17 && g <= 19) ||
      g === 28 ||
      g === 29 ||
      (g >= 37 && g <= 39)
    const bad = draw('national_id', 5_000).filter((v) => {
      const m = /^(\d{3})-(\d{2})-(\d{4})$/.exec(v)
      if (m === null) return true
      const [area, group, serial] = m.slice(1).map(Number) as [number, number, number]
      return area < 900 || group === 0 || itinAtinIrsn(group) || serial === 0
    })
    expect(bad).toEqual([])
  })

  it('IPs are host addresses of the documentation blocks (RFC 5737; RFC 3849 for IPv6)', () => {
    for (const v of draw('ip_address'))
      expect(v).toMatch(/^(192\.0\.2|198\.51\.100|203\.0\.113)\.([1-9]\d?|1\d\d|2[0-4]\d|25[0-4])$/)
    const random = createRandom(3)
    for (let i = 0; i < 200; i++) {
      expect(fakePii('ip_address', random, { ipVersion: 6 })).toMatch(/^2001:db8(:[0-9a-f]{1,4}){6}$/)
    }
  })

  it('card numbers are published test numbers, all Luhn-valid', () => {
    expect(TEST_CARD_NUMBERS.filter((c) => !luhn(c))).toEqual([])
    const drawn = new Set(draw('card_number'))
    expect([...drawn].filter((v) => !TEST_CARD_NUMBERS.includes(v))).toEqual([])
    expect(drawn.size).toBe(TEST_CARD_NUMBERS.length)
  })

  it('device ids are version-4 UUIDs; with `unique`, distinct for every index', () => {
    for (const v of draw('device_id'))
      expect(v).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    const random = createRandom(1)
    const ids = new Set(
      Array.from({ length: 50_000 }, (_, i) => fakePii('device_id', random, { unique: { index: i, key: 9 } })),
    )
    expect(ids.size).toBe(50_000)
    expect(fakeUniqueId(12, 9)).toBe(fakePii('id', random, { unique: { index: 12, key: 9 } }))
  })

  it('unique emails differ for every index and stay at the reserved domains', () => {
    const random = createRandom(4)
    const emails = Array.from({ length: 20_000 }, (_, i) => fakePii('email', random, { unique: { index: i, key: 1 } }))
    expect(new Set(emails).size).toBe(20_000)
    expect(emails.filter((v) => !/\.[0-9a-f]{8}@example\.(com|net|org)$/.test(v))).toEqual([])
  })

  it('is reproducible for a seed', () => {
    for (const type of PII_TYPES) expect(draw(type, 50, 8)).toEqual(draw(type, 50, 8))
  })

  it('gives each type the shape PII detection recognises, under a column name that says nothing', () => {
    for (const type of PII_TYPES) {
      const values = draw(type, 600, 2)
      const finding = detectPii({ kind: 'text', name: 'c', values }, values.length)
      expect(finding?.type, type).toBe(type)
    }
  })
})
