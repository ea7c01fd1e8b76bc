import { join } from 'node:path'
import { findQuasiIdentifiers, inferSchema, readTable, tableFromRows } from '@modelgate/core'
import { describe, expect, it } from 'vitest'

/** 30 entities × 10 rows: each entity repeats its code, phone and note; amount and channel vary per row. */
function repeatedEntities(entities = 30, rowsEach = 10): Record<string, unknown>[] {
  const rows: Record<string, unknown>[] = []
  for (let r = 0; r < rowsEach; r++) {
    for (let e = 0; e < entities; e++) {
      rows.push({
        who: `entity-${e}`,
        phone: 2125550000 + e * 37,
        note: `note number ${e}`,
        amount: ((e * 7 + r * 13) % 50) + 0.5,
        channel: ['web', 'app', 'store'][(e + r) % 3],
      })
    }
  }
  return rows
}

describe('findQuasiIdentifiers (the entity-memorization rule)', () => {
  it('finds every value that marks a repeated entity, with the columns repeating with it', () => {
    const found = findQuasiIdentifiers(tableFromRows(repeatedEntities()))
    expect(found.map((q) => [q.column, q.values, q.rowCount, q.partners])).toEqual([
      ['who', 30, 300, ['phone', 'note']],
      ['phone', 30, 300, ['who', 'note']],
      ['note', 30, 300, ['who', 'phone']],
    ])
    expect(found[0]?.rows.every((x) => x === 1)).toBe(true)
  })

  it('skips the columns it is told to, which still count as partners', () => {
    const found = findQuasiIdentifiers(tableFromRows(repeatedEntities()), { skip: ['who', 'note'] })
    expect(found.map((q) => q.column)).toEqual(['phone'])
  })

  it('leaves a code and its label alone: one partner is a category, not an entity', () => {
    const rows = repeatedEntities().map(({ who, amount, channel }) => ({ who, label: `${who}-label`, amount, channel }))
    expect(findQuasiIdentifiers(tableFromRows(rows))).toEqual([])
  })

  it('leaves large groups alone: a category holding more than 5% of the rows is not one entity', () => {
    expect(findQuasiIdentifiers(tableFromRows(repeatedEntities(10, 30)))).toEqual([])
    expect(findQuasiIdentifiers(tableFromRows(repeatedEntities(10, 30)), { maxGroupShare: 0.2 })).toHaveLength(3)
  })

  it('finds nothing in UCI Adult or the transactions example (no repeated entities)', async () => {
    const dir = join(__dirname, 'fixtures', 'pii-corpus')
    for (const file of ['adult.csv', 'transactions.csv', 'generated.csv']) {
      const table = await readTable(join(dir, file))
      const found = findQuasiIdentifiers(table).map((q) => q.column)
      // The generated corpus repeats 30 customers on purpose: their name, phone and memo columns are the rule's.
      expect(found).toEqual(file === 'generated.csv' ? ['contact_num', 'customer', 'memo'] : [])
    }
  })

  it('keeps quasi-identifier values and bounds out of an inferred schema, with a warning naming the column', () => {
    const { schema, warnings } = inferSchema(tableFromRows(repeatedEntities()))
    const who = schema.columns.find((c) => c.name === 'who')
    const phone = schema.columns.find((c) => c.name === 'phone')
    expect(who?.values).toBeUndefined()
    expect(phone?.min).toBeUndefined()
    expect(JSON.stringify(schema)).not.toMatch(/entity-|2125550/)
    expect(warnings.filter((w) => w.code === 'MG_SCHEMA_QUASI_IDENTIFIER').map((w) => w.message)).toContain(
      'Column "who" is a quasi-identifier: 30 of its values each mark one repeated entity (300 rows whose phone, note repeat with them); its values and bounds are left out of the schema. Tag it as PII if it is.',
    )
    expect(schema.columns.find((c) => c.name === 'channel')?.values).toEqual(['app', 'store', 'web'])
  })
})
