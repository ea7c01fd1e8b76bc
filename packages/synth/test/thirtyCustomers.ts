import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Table } from '@modelgate/core'
import { createRandom, luhnValid, readTable, takeRows } from '@modelgate/core'

/** The identifying columns of the issue #12 table (every one of them repeated on each of a customer's rows). */
export const CUSTOMER_PII = ['customer', 'contact', 'contact_num', 'taxpayer', 'cc', 'memo'] as const

const FIRST = ['Alice', 'Bruno', 'Chiara', 'Dmitri', 'Esther', 'Farid', 'Greta', 'Hiroshi', 'Ingrid', 'Jamal']
const LAST = ['Zorblax', 'Quillfeather', 'Vantrosk', 'Mebbleton', 'Orzhanik', 'Plimsworth', 'Gradlowe', 'Thistlewick']
const TOPICS = [
  'asked about refinancing the loan on the house',
  'disputed a charge from a hotel stay abroad',
  'wants statements mailed to the new flat',
  'reported the card lost after a trip',
  'prefers evening calls because of night shifts',
]

/**
 * The table of issue #12, made up: `customers` people × `rows` rows each. Every customer repeats a name, a contact
 * (an email for 3 in 4, else the placeholder "unknown"), a digit-only phone, a digit-only SSN, a 16-digit card
 * number failing the Luhn check and a free-text memo; amount, channel and time vary per row. Seeded.
 */
export async function makeCustomers(options: {
  customers: number
  rows: number
  seed: number
  /** Index of the first customer (people with different indices have different names). Default 0. */
  first?: number
}): Promise<Table> {
  const random = createRandom(options.seed, 'customers')
  const int = (lo: number, hi: number): number => lo + random.int(hi - lo + 1)
  const digits = (n: number): string => Array.from({ length: n }, () => String(int(0, 9))).join('')
  const lines = ['customer,contact,contact_num,taxpayer,cc,memo,amount,channel,created_at']
  const start = Date.UTC(2026, 2, 1)
  const from = options.first ?? 0
  for (let c = from; c < from + options.customers; c++) {
    const first = FIRST[c % FIRST.length] as string
    const last = `${LAST[Math.floor(c / FIRST.length) % LAST.length] as string}${c >= 80 ? c : ''}`
    const name = `${first} ${last}`
    const contact = c % 4 === 3 ? 'unknown' : `${first}.${last}@mail.test`.toLowerCase()
    const phone = `${int(2, 9)}${digits(2)}555${digits(4)}`
    const ssn = `${int(100, 665)}${String(int(1, 99)).padStart(2, '0')}${String(int(1, 9999)).padStart(4, '0')}`
    let card = `${int(4, 5)}${digits(15)}`
    while (luhnValid(card)) card = `${card.slice(0, 15)}${(Number(card[15]) + 1) % 10}`
    const memo = `${first} ${TOPICS[int(0, TOPICS.length - 1)] as string} and asked for a call back (ref ${digits(5)})`
    for (let r = 0; r < options.rows; r++) {
      const amount = (Math.exp(3 + 1.2 * random.uniform()) + random.uniform()).toFixed(2)
      const channel = ['web', 'app', 'app', 'store'][int(0, 3)] as string
      const created = new Date(start + int(0, 90 * 86_400) * 1000).toISOString()
      lines.push([name, contact, phone, ssn, card, memo, amount, channel, created].join(','))
    }
  }
  const dir = mkdtempSync(join(tmpdir(), 'mg-customers-'))
  try {
    const file = join(dir, 'customers.csv')
    writeFileSync(file, `${lines.join('\n')}\n`)
    return await readTable(file)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** What a synthesizer that memorized its training rows writes: `n` training rows drawn with replacement. */
export function memorized(train: Table, n: number, seed: number): Table {
  const random = createRandom(seed, 'memorized')
  return takeRows(
    train,
    Array.from({ length: n }, () => random.int(train.numRows)),
  )
}
