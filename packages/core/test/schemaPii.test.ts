import type { ColumnSchema, PiiType } from '@modelgate/core'
import { createRandom, detectPii, inferSchema, piiTypeFromName, tableFromRows } from '@modelgate/core'
import { describe, expect, it } from 'vitest'

/** Seeded (core's createRandom) so the table is the same on every run. */
const seeded = createRandom('schemaPii test', 42)
const random = (): number => seeded.uniform()
const int = (lo: number, hi: number): number => lo + Math.floor(random() * (hi - lo + 1))
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T
const digits = (n: number): string => Array.from({ length: n }, () => String(int(0, 9))).join('')
const hex = (n: number): string => Array.from({ length: n }, () => '0123456789abcdef'[int(0, 15)]).join('')

const FIRST = [
  'Ada',
  'Grace',
  'Alan',
  'Katherine',
  'Linus',
  'Margaret',
  'Dennis',
  'Barbara',
  'Ken',
  'Frances',
  'Tim',
  'Radia',
  'Edsger',
  'Donald',
  'Leslie',
  'Shafi',
  'Niklaus',
  'Sophie',
  'John',
  'Hedy',
  'Claude',
  'Annie',
  'Guido',
  'Jean',
]
const LAST = [
  'Lovelace',
  'Hopper',
  'Turing',
  'Johnson',
  'Torvalds',
  'Hamilton',
  'Ritchie',
  'Liskov',
  'Thompson',
  'Allen',
  'Berners-Lee',
  "O'Neil",
  'Dijkstra',
  'Knuth',
  'Lamport',
  'Goldwasser',
  'Wirth',
  'Wilson',
  'McCarthy',
  'Lamarr',
  'Shannon',
  'Easley',
  'van Rossum',
  'Sammet',
]
const STREETS = ['Main St', 'Oak Avenue', 'Elm Street', 'Sunset Blvd', 'Maple Rd', 'Park Lane', 'Mill Road', 'Cedar Dr']

function cardNumber(): string {
  const body = `4${digits(14)}`
  for (let check = 0; check <= 9; check++) {
    const candidate = body + check
    let sum = 0
    for (let i = 0; i < candidate.length; i++) {
      let d = Number(candidate[candidate.length - 1 - i])
      if (i % 2 === 1) {
        d *= 2
        if (d > 9) d -= 9
      }
      sum += d
    }
    if (sum % 10 === 0) return random() < 0.5 ? candidate : candidate.replace(/(\d{4})(?=\d)/g, '$1 ')
  }
  throw new Error('unreachable')
}

const phone = (): string =>
  pick([
    () => `+1 (${digits(3)}) ${digits(3)}-${digits(4)}`,
    () => `${digits(3)}-${digits(3)}-${digits(4)}`,
    () => `+44 20 ${digits(4)} ${digits(4)}`,
  ])()
const ipv4 = (): string => `${int(1, 223)}.${int(0, 255)}.${int(0, 255)}.${int(1, 254)}`
const ipv6 = (): string => `2001:db8:${hex(4)}:${hex(4)}::${hex(3)}`
const uuid = (): string => `${hex(8)}-${hex(4)}-4${hex(3)}-${pick(['8', '9', 'a', 'b'])}${hex(3)}-${hex(12)}`
const person = (): string => `${pick(FIRST)} ${pick(LAST)}`
const street = (): string => `${int(1, 9999)} ${pick(STREETS)}${random() < 0.3 ? `, Apt ${int(1, 40)}` : ''}`
const sentence = (i: number): string =>
  `Order ${i}: I ordered the ${pick(['blue', 'red', 'large', 'spare'])} ${pick(['kettle', 'charger', 'jacket'])} on ${pick(['Monday', 'Friday'])} but it arrived ${int(2, 9)} days late and the box was damaged`

const N = 1200
const rows = Array.from({ length: N }, (_, i) => ({
  // Flagged by name and values.
  email: `${pick(FIRST).toLowerCase()}.${pick(LAST).toLowerCase().replace(/[' ]/g, '')}${i}@${pick(['example.com', 'mail.test', 'corp.example.org'])}`,
  phone: phone(),
  ssn: `${digits(3)}-${digits(2)}-${digits(4)}`,
  ip_address: random() < 0.8 ? ipv4() : ipv6(),
  cc_num: cardNumber(),
  full_name: person(),
  first_name: pick(FIRST),
  street: street(),
  device_id: uuid(),
  device_fingerprint: i % 10 === 0 ? null : hex(40),
  // Flagged by values alone (neutral names).
  contact: `${pick(FIRST).toLowerCase()}${i}@example.net`,
  tax_ref: `${digits(3)}-${digits(2)}-${digits(4)}`,
  reach: phone(),
  origin: ipv4(),
  pay_ref: cardNumber(),
  holder: person(),
  location: street(),
  aid: uuid(),
  body: sentence(i),
  // Not PII.
  order_id: uuid(),
  amount: Math.round(random() * 50_000) / 100,
  'education-num': int(1, 16),
  status: pick(['new', 'paid', 'shipped', 'returned']),
  country: pick(['United-States', 'Mexico', 'Philippines', 'Germany']),
  file_name: `report_${i}.pdf`,
  model_name: pick(['fraud-v1', 'fraud-v2']),
  is_mobile: random() < 0.4,
  card_type: pick(['visa', 'mastercard', 'amex']),
  created_at: new Date(Date.UTC(2025, 0, 1) + i * 3_600_000).toISOString(),
  zip: digits(5),
  version: `${int(1, 3)}.${int(0, 9)}.${int(0, 20)}`,
  epoch: 1_700_000_000 + i * 17,
}))

const table = tableFromRows(rows)
const { schema } = inferSchema(table, { piiSample: 500 })
const column = (name: string): ColumnSchema => {
  const c = schema.columns.find((x) => x.name === name)
  if (c === undefined) throw new Error(`no column ${name}`)
  return c
}

describe('PII detection on a generated table', () => {
  const expected: [string, PiiType, RegExp][] = [
    ['email', 'email', /^name matches "email"; 100% of 500 sampled values look like email addresses$/],
    ['phone', 'phone', /^name matches "phone"; 100% of 500 sampled values look like phone numbers$/],
    ['ssn', 'national_id', /^name matches "ssn"; 100% of 500 sampled values look like US social security numbers/],
    ['ip_address', 'ip_address', /^name matches "ip_address"; 100% of 500 sampled values look like IP addresses$/],
    ['cc_num', 'card_number', /^name matches "cc_num"; 100% of 500 sampled values look like card numbers/],
    ['full_name', 'person_name', /^name matches "full_name"; 100% of 500 sampled values look like person names$/],
    ['first_name', 'person_name', /^name matches "first_name"$/],
    ['street', 'street_address', /^name matches "street"; 100% of 500 sampled values look like street addresses$/],
    ['device_id', 'device_id', /^name matches "device_id"; 100% of 500 sampled values look like UUID-like device ids$/],
    [
      'device_fingerprint',
      'device_id',
      /^name matches "device_fingerprint"; 100% of 500 sampled values look like hex device fingerprints$/,
    ],
  ]
  it.each(expected)('flags %s as %s, by name and values, saying why', (name, type, reason) => {
    expect(column(name).pii?.type).toBe(type)
    expect(column(name).pii?.reason).toMatch(reason)
  })

  const byValues: [string, PiiType, string][] = [
    ['contact', 'email', 'email addresses'],
    ['tax_ref', 'national_id', 'US social security numbers (###-##-####)'],
    ['reach', 'phone', 'phone numbers'],
    ['origin', 'ip_address', 'IP addresses'],
    ['pay_ref', 'card_number', 'card numbers (13–19 digits, Luhn-valid)'],
    ['holder', 'person_name', 'person names'],
    ['location', 'street_address', 'street addresses'],
    ['aid', 'device_id', 'UUID-like device ids'],
    ['body', 'free_text', 'free text'],
  ]
  it.each(byValues)('flags %s as %s from its values alone', (name, type, label) => {
    expect(column(name).pii).toEqual({ type, reason: `100% of 500 sampled values look like ${label}` })
  })

  it.each([
    'order_id',
    'amount',
    'education-num',
    'status',
    'country',
    'file_name',
    'model_name',
    'is_mobile',
    'card_type',
    'created_at',
    'zip',
    'version',
    'epoch',
  ])('does not flag %s', (name) => {
    expect(column(name).pii).toBeUndefined()
  })

  it('keeps the UUID order_id as an id, not a device id', () => {
    expect(column('order_id').kind).toBe('id')
  })

  it('writes no bounds, values or raw PII into the schema', () => {
    const bytes = JSON.stringify(schema)
    for (const name of [...expected.map(([n]) => n), ...byValues.map(([n]) => n)]) {
      const c = column(name)
      expect(c.min).toBeUndefined()
      expect(c.max).toBeUndefined()
      expect(c.values).toBeUndefined()
      const sample = rows.slice(0, 200).map((r) => r[name as keyof (typeof rows)[number]])
      for (const value of sample) if (typeof value === 'string' && value.length > 3) expect(bytes).not.toContain(value)
    }
    for (const name of [...FIRST, ...LAST]) expect(bytes).not.toContain(name)
  })

  it('counts a 10% null rate out of the sample: the fingerprint sample holds only values', () => {
    expect(column('device_fingerprint').nullable).toBe(true)
  })
})

describe('detectPii thresholds and names', () => {
  it('does not flag by values when fewer than 80% of sampled values look like PII', () => {
    const mixed = tableFromRows(
      Array.from({ length: 100 }, (_, i) => ({ handle: i < 70 ? `u${i}@example.com` : `user-${i}` })),
    )
    expect(detectPii(mixed.columns[0] as never, 100)).toBeUndefined()
    expect(detectPii(mixed.columns[0] as never, 100, { threshold: 0.6 })?.reason).toBe(
      '70% of 100 sampled values look like email addresses',
    )
  })

  it('reads names in snake, kebab, camel and Pascal case, and leaves look-alikes alone', () => {
    const names = [
      'userEmail',
      'E-Mail',
      'CustomerPhone',
      'mobile_number',
      'national_id',
      'IPAddress',
      'billing_address',
      'cardNumber',
      'idfa',
      'LastName',
      'name',
    ]
    expect(names.map((n) => `${n}=${piiTypeFromName(n) ?? '-'}`)).toMatchInlineSnapshot(`
      [
        "userEmail=email",
        "E-Mail=email",
        "CustomerPhone=phone",
        "mobile_number=phone",
        "national_id=national_id",
        "IPAddress=ip_address",
        "billing_address=street_address",
        "cardNumber=card_number",
        "idfa=device_id",
        "LastName=person_name",
        "name=person_name",
      ]
    `)
    const safe = [
      'filename',
      'file_name',
      'product_name',
      'hostname',
      'card_type',
      'emailed_at_count',
      'typical',
      'shipping_days',
      'education-num',
      'relationship',
      'email_count',
      'phone_type',
      'email_domain',
      'ip_country',
      'address_verified',
    ]
    expect(safe.map((n) => `${n}=${piiTypeFromName(n) ?? '-'}`)).toMatchInlineSnapshot(`
      [
        "filename=-",
        "file_name=-",
        "product_name=-",
        "hostname=-",
        "card_type=-",
        "emailed_at_count=-",
        "typical=-",
        "shipping_days=-",
        "education-num=-",
        "relationship=-",
        "email_count=-",
        "phone_type=-",
        "email_domain=-",
        "ip_country=-",
        "address_verified=-",
      ]
    `)
  })

  it('flags a column the user names with --pii even when nothing gives it away', () => {
    const t = tableFromRows(Array.from({ length: 30 }, (_, i) => ({ code: `K${i % 7}` })))
    expect(inferSchema(t, { pii: ['code'] }).schema.columns[0]).toEqual({
      name: 'code',
      kind: 'text',
      nullable: false,
      pii: { type: 'free_text', reason: 'flagged by the user' },
    })
  })
})

describe('detectPii on the shapes issue #12 found missed', () => {
  const detect = (name: string, values: readonly unknown[]) => {
    const t = tableFromRows(values.map((v) => ({ [name]: v })))
    return detectPii(t.columns[0] as never, t.numRows)
  }
  const repeated = <T>(xs: readonly T[], times: number): T[] => xs.flatMap((x) => Array<T>(times).fill(x))

  it('measures shares without placeholders: 75% emails and 25% "unknown" is an email column', () => {
    const values = Array.from({ length: 40 }, (_, i) => (i % 4 === 3 ? 'unknown' : `p${i}@example.com`))
    expect(detect('contact', values)?.reason).toBe(
      '100% of 30 sampled values (10 placeholder values left out) look like email addresses',
    )
  })

  it('reads digit-only phones and SSNs stored as numbers', () => {
    const phones = Array.from({ length: 30 }, (_, i) => 2125550100 + i * 9173)
    expect(detect('contact_num', phones)?.type).toBe('phone')
    const ssns = Array.from({ length: 30 }, (_, i) => 123456789 + i * 7_654_321)
    expect(detect('taxpayer', ssns)?.reason).toBe(
      '100% of 30 sampled values look like digit-only US social security numbers (9 digits)',
    )
  })

  it('takes 16 digits failing the Luhn check as card numbers only under a card-like name', () => {
    const cards = Array.from({ length: 30 }, (_, i) => `40${String(12345678901230 + i * 10).padStart(14, '0')}`).map(
      (c) => `${c.slice(0, 15)}${(Number(c[15]) + 1) % 10}`,
    )
    expect(detect('cc', cards)?.reason).toBe('100% of 30 sampled values look like card numbers under a card-like name')
    expect(detect('reference', cards)).toBeUndefined()
  })

  it('flags person names and free text repeated over few distinct values', () => {
    const names = repeated(['Alice Zorblax', 'Pavel Vantrosk', 'Maria Quenwick', 'John Pellimore'], 10)
    expect(detect('customer', names)?.type).toBe('person_name')
    const memos = repeated(
      ['Alice asked about refinancing the loan on the house', 'Pavel disputed a hotel charge abroad last week'],
      20,
    )
    expect(detect('memo', memos)?.type).toBe('free_text')
  })

  it('leaves epoch-ms timestamps, ZIP codes, counters, product codes and city names alone', () => {
    const n = 40
    expect(
      detect(
        'created',
        Array.from({ length: n }, (_, i) => 1_767_225_600_000 + i * 3_600_123),
      ),
    ).toBeUndefined()
    expect(
      detect(
        'zip',
        Array.from({ length: n }, (_, i) => String(10001 + i * 211).padStart(5, '0')),
      ),
    ).toBeUndefined()
    expect(
      detect(
        'order_number',
        Array.from({ length: n }, (_, i) => 2_000_000_000 + i * 7),
      ),
    ).toBeUndefined()
    expect(
      detect(
        'product',
        Array.from({ length: n }, (_, i) => `SKU-${10000 + i}`),
      ),
    ).toBeUndefined()
    const cities = ['New York', 'Baton Rouge', 'Des Moines', 'Hong Kong', 'Salt Lake City', 'Corpus Christi']
    expect(detect('city', repeated(cities, 7))).toBeUndefined()
  })
})
