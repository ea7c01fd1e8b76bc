import { Faker, base, en } from '@faker-js/faker'
import type { PiiKind } from '../types.js'
import { createRandom, hashSeed, mix32 } from './random.js'

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
 * Fresh fake values for a PII column: faker (seeded per chunk and column, so output is reproducible),
 * or our own generators where a format must hold (SSN-style national ids never use invalid areas 000, 666, 9xx;
 * unique ids are a keyed bijection of the global row index, so they can never repeat).
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
        const email = f.internet.exampleEmail()
        out[r] = options.unique ? email.replace('@', `.${token.slice(0, 8)}@`) : email
        break
      }
      case 'person_name':
        out[r] = f.person.fullName()
        break
      case 'phone':
        out[r] = f.phone.number()
        break
      case 'national_id': {
        let area = 1 + random.int(899)
        if (area === 666) area = 665
        const group = 1 + random.int(99)
        const serial = 1 + random.int(9999)
        out[r] = `${pad(area, 3)}-${pad(group, 2)}-${pad(serial, 4)}`
        break
      }
      case 'ip_address':
        out[r] = f.internet.ipv4()
        break
      case 'street_address':
        out[r] = f.location.streetAddress()
        break
      case 'card_number':
        out[r] = f.finance.creditCardNumber()
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
  const hex = (v: number, len: number): string => (v >>> 0).toString(16).padStart(8, '0').slice(8 - len)
  return `${hex(x, 8)}-${hex(r1, 4)}-4${hex(r1 >>> 16, 3)}-${hex(8 | (r2 & 3), 1)}${hex(r2 >>> 4, 3)}-${hex(r2 >>> 16, 4)}${hex(r3, 8)}`
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0')
}
