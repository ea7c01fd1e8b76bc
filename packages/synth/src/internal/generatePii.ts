import { base, en, Faker } from '@faker-js/faker'
import type { Random } from '@modelgate/core'
import { createRandom, hashSeed, mix32 } from '@modelgate/core'
import type { PiiKind } from '../types.js'

let shared: Faker | null = null
function faker(): Faker {
  shared ??= new Faker({ locale: [en, base] })
  return shared
}

export interface GeneratePiiOptions {
  readonly kind: PiiKind
  readonly unique: boolean
  readonly rows: number
  /** Global index of the first row (ids are derived from it, so they are unique across chunks and shards). */
  readonly rowOffset: number
  readonly seed: number
  readonly chunk: number
  readonly column: number
  readonly isNull: Uint8Array | null
}

/**
 * Fresh fake values for a PII column: faker (seeded per chunk and column, so output is reproducible), or our
 * own generators where a reserved space exists, so a value can never be a real person's by construction:
 * emails at example.com/.net/.org (RFC 2606), phones in the fictional 555-01XX block, IPs in the benchmarking and
 * documentation blocks (RFC 2544, RFC 5737). SSN-shaped ids avoid the never-issued areas 000, 666 and 9xx so they
 * pass format checks; unique ids are a keyed bijection of the global row index, so they never repeat.
 */
export function generatePii(options: GeneratePiiOptions): (string | null)[] {
  const { rows, isNull } = options
  const out: (string | null)[] = new Array(rows)
  const f = faker()
  f.seed([options.seed >>> 0, Math.floor(options.seed / 4294967296) >>> 0, options.chunk, options.column])
  const random = createRandom(options.seed, options.chunk, options.column, 0x9111)
  const key = hashSeed(options.seed, options.column, 0x1d)
  for (let r = 0; r < rows; r++) {
    if (isNull !== null && isNull[r] === 1) {
      out[r] = null
      continue
    }
    const rowIndex = options.rowOffset + r
    const token = options.unique ? uniqueToken(rowIndex, key) : ''
    switch (options.kind) {
      case 'email': {
        const email = exampleEmail(random, names())
        out[r] = options.unique ? email.replace('@', `.${token.slice(0, 8)}@`) : email
        break
      }
      case 'person_name':
        out[r] = f.person.fullName()
        break
      case 'phone': {
        // NANP fictional numbers (555-0100 … 555-0199 are reserved for fiction in every area code).
        const area = 201 + random.int(789)
        out[r] = `+1 (${area}) 555-01${pad(random.int(100), 2)}`
        break
      }
      case 'national_id': {
        let area = 1 + random.int(899)
        if (area === 666) area = 665
        const group = 1 + random.int(99)
        const serial = 1 + random.int(9999)
        out[r] = `${pad(area, 3)}-${pad(group, 2)}-${pad(serial, 4)}`
        break
      }
      case 'ip_address': {
        // Never a real host: the benchmarking block 198.18.0.0/15 (RFC 2544) and the documentation blocks
        // TEST-NET-1/2/3 (RFC 5737).
        const pick = random.int(100)
        if (pick < 97) out[r] = `198.${18 + random.int(2)}.${random.int(256)}.${1 + random.int(254)}`
        else out[r] = `${['192.0.2', '198.51.100', '203.0.113'][pick - 97]}.${1 + random.int(254)}`
        break
      }
      case 'street_address':
        out[r] = f.location.streetAddress()
        break
      case 'card_number':
        out[r] = cardNumber(random)
        break
      case 'device_id':
        out[r] = options.unique ? token : f.string.uuid()
        break
      case 'free_text':
        out[r] = f.lorem.sentence()
        break
      case 'id':
        out[r] = token === '' ? uniqueToken(rowIndex, key) : token
        break
    }
  }
  return out
}

interface NameLists {
  readonly first: readonly string[]
  readonly last: readonly string[]
}

let nameLists: NameLists | null = null
/** faker's English first and last names, lower-cased once: the realism of faker at the cost of an array lookup. */
function names(): NameLists {
  if (nameLists === null) {
    const person = faker().definitions.person
    const lower = (list: readonly string[] | undefined): string[] =>
      (list ?? []).map((n) => n.toLowerCase().replace(/[^a-z]/g, ''))
    nameLists = { first: lower(person.first_name?.generic), last: lower(person.last_name?.generic) }
  }
  return nameLists
}

const EMAIL_DOMAINS = ['example.com', 'example.net', 'example.org'] as const // RFC 2606: never a real mailbox
const EMAIL_SEPARATORS = ['.', '_', ''] as const

/** `velda.connelly42@example.org`: a name-like local part at a reserved domain, drawn with our seeded generator. */
function exampleEmail(random: Random, lists: NameLists): string {
  const first = lists.first[random.int(lists.first.length)] ?? 'user'
  const last = lists.last[random.int(lists.last.length)] ?? 'example'
  const separator = EMAIL_SEPARATORS[random.int(EMAIL_SEPARATORS.length)] ?? '.'
  const suffix = random.int(3) === 0 ? '' : String(random.int(100))
  return `${first}${separator}${last}${suffix}@${EMAIL_DOMAINS[random.int(EMAIL_DOMAINS.length)]}`
}

/** A Luhn-valid card number with a Visa (16), Mastercard (16) or Amex (15) prefix, digits only. */
function cardNumber(random: Random): string {
  const network = random.int(10)
  const prefix = network < 6 ? '4' : network < 9 ? `5${1 + random.int(5)}` : `3${random.int(2) === 0 ? 4 : 7}`
  const length = prefix.startsWith('3') ? 15 : 16
  let digits = prefix
  while (digits.length < length - 1) digits += String(random.int(10))
  return digits + String(luhnCheckDigit(digits))
}

/** The digit that makes `digits` + it pass the Luhn check. */
function luhnCheckDigit(digits: string): number {
  let sum = 0
  for (let i = digits.length - 1, double = true; i >= 0; i--, double = !double) {
    let d = digits.charCodeAt(i) - 48
    if (double) {
      d *= 2
      if (d > 9) d -= 9
    }
    sum += d
  }
  return (10 - (sum % 10)) % 10
}

/**
 * A UUID-shaped id whose first 8 hex digits are a keyed bijection of the row index (so ids never repeat for up
 * to 2^32 rows); the other groups are keyed hashes of the row, so ids look random.
 */
function uniqueToken(rowIndex: number, key: number): string {
  const low = rowIndex >>> 0
  const high = Math.floor(rowIndex / 4294967296)
  let x = low
  for (let round = 0; round < 3; round++) x = mix32((x ^ mix32(key + round)) >>> 0)
  const h = mix32((key ^ high ^ 0x5bd1e995) >>> 0)
  const r1 = mix32((x ^ h) >>> 0)
  const r2 = mix32((r1 ^ 0x9e3779b9) >>> 0)
  const r3 = mix32((r2 + 0x7f4a7c15) >>> 0)
  return `${hex(x, 8)}-${hex(r1, 4)}-4${hex(r1 >>> 16, 3)}-${hex(8 | (r2 & 3), 1)}${hex(r2 >>> 4, 3)}-${hex(r2 >>> 16, 4)}${hex(r3, 8)}`
}

const HEX_BYTES: readonly string[] = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'))

/** The lowest `len` hex digits of a 32-bit value (same text as toString(16).padStart(8, '0').slice(8 - len), faster). */
function hex(v: number, len: number): string {
  const full = `${HEX_BYTES[(v >>> 24) & 255]}${HEX_BYTES[(v >>> 16) & 255]}${HEX_BYTES[(v >>> 8) & 255]}${HEX_BYTES[v & 255]}`
  return len === 8 ? full : full.slice(8 - len)
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0')
}
