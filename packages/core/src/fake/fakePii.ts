import type { Random } from '../random/createRandom.js'
import { mix32 } from '../random/createRandom.js'
import type { PiiType } from '../schema/Schema.js'
import { FIRST_NAMES, LAST_NAMES, LOREM_WORDS, STREET_NAMES, STREET_SUFFIXES } from './internal/wordLists.js'

/** A PII type, or `id`: a row identifier (UUID-shaped, unique per row index). */
export type FakePiiType = PiiType | 'id'

export interface FakePiiOptions {
  /**
   * Makes the value unique among all values drawn with the same `key`: a keyed bijection of `index` (a row number
   * below 2^32) is built into it. Applies to `email`, `device_id` and `id`; `id` without it is a random UUID.
   */
  readonly unique?: { readonly index: number; readonly key: number }
  /** `ip_address` only: 4 (the default) or 6. */
  readonly ipVersion?: 4 | 6
}

/**
 * One fake value of a PII type, drawn from `random`. Where a range is reserved so that no value in it belongs to a
 * real person, values come only from it, in the shape validators expect (the README's "Fake PII" table):
 * - email: `first.last42@example.org` — the domains example.com/.net/.org are reserved (RFC 2606, RFC 6761).
 * - phone: `+1 (AAA) 555-01XX` — 555-0100…0199 are reserved for fictional use in every NANP area code (NANPA);
 *   AAA is a well-formed area code (2–9, then 0–8, then any digit; no N11 service code).
 * - national_id: a US SSN shape `9AA-GG-SSSS` that is no one's number: the SSA never issues areas 900–999 (nor
 *   000 or 666, which format checks reject), and the groups drawn (11–16, 20–27, 30–36, 40–49, 66–69) are outside
 *   the IRS's ITIN (50–65, 70–88, 90–92, 94–99), ATIN (93) and IRSN (01–10, 17–19, 28–29, 37–39) ranges; group 00 and
 *   serial 0000 are never used. A validator that checks issuance rules rejects it, by design.
 * - ip_address: the documentation blocks 192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24 (RFC 5737) or 2001:db8::/32
 *   (RFC 3849), never a network or broadcast address.
 * - card_number: a card network's published test number (Luhn-valid, e.g. Visa 4111 1111 1111 1111), which no
 *   issuer gives to a cardholder.
 * - device_id and id: random (or, with `unique`, keyed) UUID-shaped values with 122 random bits: no real device's.
 * No range is reserved for names, street addresses or prose; those are composed from common first names and
 * surnames, common street names and lorem-ipsum words, and are not taken from any data.
 */
export function fakePii(type: FakePiiType, random: Random, options: FakePiiOptions = {}): string {
  const unique = options.unique
  switch (type) {
    case 'email': {
      const first = lower(random.pick(FIRST_NAMES))
      const last = lower(random.pick(LAST_NAMES))
      const separator = random.pick(['.', '_', ''])
      const suffix =
        unique !== undefined ? `.${fakeUniqueId(unique.index, unique.key).slice(0, 8)}` : emailNumber(random)
      return `${first}${separator}${last}${suffix}@${random.pick(EMAIL_DOMAINS)}`
    }
    case 'person_name':
      return `${random.pick(FIRST_NAMES)} ${random.pick(LAST_NAMES)}`
    case 'phone': {
      const area = `${2 + random.int(8)}${random.int(9)}${random.int(10)}`
      const serviceCode = area[1] === '1' && area[2] === '1'
      return `+1 (${serviceCode ? `${area[0]}10` : area}) 555-01${pad(random.int(100), 2)}`
    }
    case 'national_id':
      return `${900 + random.int(100)}-${random.pick(SSN_GROUPS)}-${pad(1 + random.int(9999), 4)}`
    case 'ip_address':
      if (options.ipVersion === 6) {
        const groups = Array.from({ length: 6 }, () => random.int(65536).toString(16))
        return `2001:db8:${groups.join(':')}`
      }
      return `${random.pick(DOCUMENTATION_NETS)}.${1 + random.int(254)}`
    case 'street_address':
      return `${1 + random.int(9899)} ${random.pick(STREET_NAMES)} ${random.pick(STREET_SUFFIXES)}`
    case 'card_number':
      return random.pick(TEST_CARD_NUMBERS)
    case 'device_id':
      return unique !== undefined ? fakeUniqueId(unique.index, unique.key) : randomUuid(random)
    case 'free_text':
      return loremSentence(random)
    case 'id':
      return unique !== undefined ? fakeUniqueId(unique.index, unique.key) : randomUuid(random)
  }
}

/**
 * A UUID-shaped (version 4 layout) id whose first 8 hex digits are a keyed bijection of `index`, so ids under one
 * key never repeat for 2^32 indexes; the other digits are keyed hashes of the index, so ids look random.
 */
export function fakeUniqueId(index: number, key: number): string {
  const low = index >>> 0
  const high = Math.floor(index / 4294967296)
  let x = low
  for (let round = 0; round < 3; round++) x = mix32((x ^ mix32(key + round)) >>> 0)
  const h = mix32((key ^ high ^ 0x5bd1e995) >>> 0)
  const r1 = mix32((x ^ h) >>> 0)
  const r2 = mix32((r1 ^ 0x9e3779b9) >>> 0)
  const r3 = mix32((r2 + 0x7f4a7c15) >>> 0)
  return `${hex(x, 8)}-${hex(r1, 4)}-4${hex(r1 >>> 16, 3)}-${hex(8 | (r2 & 3), 1)}${hex(r2 >>> 4, 3)}-${hex(r2 >>> 16, 4)}${hex(r3, 8)}`
}

/**
 * Card numbers the networks' payment processors publish for testing (PayPal Payflow's "Test Credit Card Account
 * Numbers", Stripe's and Braintree's testing docs): Luhn-valid, in the issuers' real formats, assigned to no one.
 */
export const TEST_CARD_NUMBERS: readonly string[] = [
  '4111111111111111', // Visa
  '4012888888881881', // Visa
  '4242424242424242', // Visa
  '4000056655665556', // Visa debit
  '5555555555554444', // Mastercard
  '5105105105105100', // Mastercard
  '5200828282828210', // Mastercard debit
  '2223003122003222', // Mastercard 2-series
  '378282246310005', // American Express
  '371449635398431', // American Express
  '378734493671000', // American Express corporate
  '6011111111111117', // Discover
  '6011000990139424', // Discover
  '30569309025904', // Diners Club
  '38520000023237', // Diners Club
  '3530111333300000', // JCB
  '3566002020360505', // JCB
]

const EMAIL_DOMAINS = ['example.com', 'example.net', 'example.org'] as const
const DOCUMENTATION_NETS = ['192.0.2', '198.51.100', '203.0.113'] as const
/** SSN group numbers that are no SSN (area 9xx) and no ITIN, ATIN or IRSN either (see `fakePii`). */
const SSN_GROUPS: readonly string[] = [
  ...range(11, 16),
  ...range(20, 27),
  ...range(30, 36),
  ...range(40, 49),
  ...range(66, 69),
].map((g) => pad(g, 2))

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i)
}

function emailNumber(random: Random): string {
  return random.int(3) === 0 ? '' : String(random.int(100))
}

function lower(name: string): string {
  return name.toLowerCase().replace(/[^a-z]/g, '')
}

function randomUuid(random: Random): string {
  const a = random.nextUint32()
  const b = random.nextUint32()
  const c = random.nextUint32()
  const d = random.nextUint32()
  return `${hex(a, 8)}-${hex(b >>> 16, 4)}-4${hex(b, 3)}-${hex(8 | (c >>> 30), 1)}${hex(c, 3)}-${hex(c >>> 12, 4)}${hex(d, 8)}`
}

function loremSentence(random: Random): string {
  const words = Array.from({ length: 8 + random.int(7) }, () => random.pick(LOREM_WORDS))
  const text = words.join(' ')
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`
}

const HEX_BYTES: readonly string[] = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'))

/** The lowest `len` hex digits of a 32-bit value. */
function hex(v: number, len: number): string {
  const full = `${HEX_BYTES[(v >>> 24) & 255]}${HEX_BYTES[(v >>> 16) & 255]}${HEX_BYTES[(v >>> 8) & 255]}${HEX_BYTES[v & 255]}`
  return len === 8 ? full : full.slice(8 - len)
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0')
}
