// Issue #12 (found on the way): `contracts generate` crashed ("The integer matcher was passed '+1 (416) 555-0187'")
// on an integer-kind column tagged as PII — a phone or SSN stored as digits. Its fake value now has the column's kind.
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { generateContracts } from '@modelgate/contracts'
import { defineSchema } from '@modelgate/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const request = defineSchema({
  version: 1,
  columns: [
    { name: 'amount', kind: 'numeric', min: 0, max: 100 },
    { name: 'phone', kind: 'integer', nullable: false, pii: { type: 'phone' } },
    {
      name: 'taxpayer',
      kind: 'integer',
      nullable: false,
      pii: { type: 'national_id' },
      min: 100_000_000,
      max: 899_999_999,
    },
    { name: 'contact', kind: 'numeric', nullable: false, pii: { type: 'email' } },
  ],
})
const response = defineSchema({ version: 1, columns: [{ name: 'score', kind: 'numeric', min: 0, max: 1 }] })
const REAL = [2025550143, 2025550199, 123456789, 223456789]
const examples = Array.from({ length: 20 }, (_, i) => ({
  amount: 5 * i,
  phone: REAL[i % 2],
  taxpayer: REAL[2 + (i % 2)],
  contact: 7,
}))

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'mg-contracts-intpii-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('generateContracts with integer and numeric PII columns', () => {
  for (const withExamples of [false, true]) {
    it(`writes fake numbers of the column's kind ${withExamples ? 'in place of the real examples' : 'from the schema'}`, async () => {
      const outDir = path.join(dir, withExamples ? 'examples' : 'schema')
      const result = await generateContracts({
        consumer: 'web',
        provider: 'scorer',
        request,
        response,
        ...(withExamples ? { examples } : {}),
        outDir,
      })
      const text = await readFile(result.pactFile, 'utf8')
      const pact = JSON.parse(text) as { interactions: { request: { body: { content: Record<string, unknown> } } }[] }
      expect(pact.interactions.length).toBeGreaterThan(1)
      for (const interaction of pact.interactions) {
        const body = interaction.request.body.content
        expect(Number.isInteger(body.phone)).toBe(true)
        expect(body.taxpayer).toBeGreaterThanOrEqual(100_000_000)
        expect(body.taxpayer).toBeLessThanOrEqual(899_999_999)
        expect(typeof body.contact).toBe('number')
      }
      for (const real of REAL) expect(text).not.toContain(String(real))
    })
  }
})
