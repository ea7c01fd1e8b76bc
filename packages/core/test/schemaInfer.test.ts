import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { InferredSchema, Table } from '@modelgate/core'
import { checkTableAgainstSchema, defineSchema, inferSchema, readTable, tableFromRows } from '@modelgate/core'
import { beforeAll, describe, expect, it } from 'vitest'

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url))
const adultPath = resolve(repoRoot, 'test/data/adult.csv')

describe('inferSchema on UCI Adult', () => {
  let adult: Table
  let inferred: InferredSchema
  beforeAll(async () => {
    adult = await readTable(adultPath, { nullValues: ['', '?'] })
    inferred = inferSchema(adult, { name: 'adult' })
  })

  it('drafts the right kind and nullability for every column', () => {
    expect(
      Object.fromEntries(inferred.schema.columns.map((c) => [c.name, `${c.kind}${c.nullable ? '?' : ''}`])),
    ).toEqual({
      age: 'integer',
      workclass: 'categorical?',
      fnlwgt: 'integer',
      education: 'categorical',
      'education-num': 'integer',
      'marital-status': 'categorical',
      occupation: 'categorical?',
      relationship: 'categorical',
      race: 'categorical',
      sex: 'categorical',
      'capital-gain': 'integer',
      'capital-loss': 'integer',
      'hours-per-week': 'integer',
      'native-country': 'categorical?',
      income: 'categorical',
    })
  })

  it('writes numeric bounds and the allowed values of frequent categoricals', () => {
    const col = (name: string) => inferred.schema.columns.find((c) => c.name === name)
    expect(col('age')).toEqual({ name: 'age', kind: 'integer', nullable: false, min: 17, max: 90 })
    expect(col('sex')).toEqual({ name: 'sex', kind: 'categorical', nullable: false, values: ['Female', 'Male'] })
    expect(col('income')?.values).toEqual(['<=50K', '>50K'])
  })

  it('flags no Adult column as PII (no false positives on education-num, sex, race, native-country …)', () => {
    expect(inferred.schema.columns.filter((c) => c.pii !== undefined).map((c) => c.name)).toEqual([])
  })

  it('leaves out the allowed values of native-country, where Holand-Netherlands is seen once, and says so', () => {
    const country = inferred.schema.columns.find((c) => c.name === 'native-country')
    expect(country).toEqual({ name: 'native-country', kind: 'categorical', nullable: true })
    expect(JSON.stringify(inferred)).not.toContain('Holand-Netherlands')
    expect(inferred.warnings).toEqual([
      {
        code: 'MG_SCHEMA_RARE_CATEGORIES',
        column: 'native-country',
        message:
          'Column "native-country" has 1 category seen fewer than 5 times; allowed values are left out of the schema so that rare values never reach it.',
      },
    ])
  })

  it('drafts a schema that is valid and that the same data passes but for the extremes its trimmed bounds leave out', () => {
    expect(defineSchema(inferred.schema)).toEqual(inferred.schema)
    const problems = checkTableAgainstSchema(adult, inferred.schema, { file: 'adult.csv' })
    // fnlwgt's 4 smallest and 4 largest values are each one person's, capital-loss's top value (4,356) is 3 people's:
    // the bounds are the 5th value from each side.
    expect(problems.map((p) => [p.code, p.column, p.count])).toEqual([
      ['MG_SCHEMA_OUT_OF_BOUNDS', 'fnlwgt', 8],
      ['MG_SCHEMA_OUT_OF_BOUNDS', 'capital-loss', 3],
    ])
  })
})

describe('inferSchema rules', () => {
  it('never writes a category seen fewer than k times into the schema bytes', () => {
    const plans = ['basic', 'pro', 'team']
    const rows = Array.from({ length: 300 }, (_, i) => ({
      plan: i < 4 ? 'legacy-gold-2019' : (plans[i % 3] as string),
      region: i === 7 ? 'Atlantis' : i % 2 === 0 ? 'north' : 'south',
      tier: plans[i % 3] as string,
    }))
    const { schema, warnings } = inferSchema(tableFromRows(rows))
    const bytes = JSON.stringify(schema)
    expect(bytes).not.toContain('legacy-gold-2019')
    expect(bytes).not.toContain('Atlantis')
    expect(schema.columns.find((c) => c.name === 'tier')?.values).toEqual(['basic', 'pro', 'team'])
    expect(warnings.map((w) => w.column)).toEqual(['plan', 'region'])
  })

  it('honours a larger k', () => {
    const rows = Array.from({ length: 100 }, (_, i) => ({ tier: i < 8 ? 'gold' : 'silver' }))
    expect(inferSchema(tableFromRows(rows)).schema.columns[0]?.values).toEqual(['gold', 'silver'])
    expect(inferSchema(tableFromRows(rows), { k: 10 }).schema.columns[0]?.values).toBeUndefined()
  })

  it('warns about constant and all-null columns', () => {
    const rows = Array.from({ length: 20 }, (_, i) => ({ id: i + 1, currency: 'EUR', legacy_score: null, live: true }))
    const { schema, warnings } = inferSchema(tableFromRows(rows))
    expect(warnings.map((w) => `${w.code} ${w.message}`)).toMatchInlineSnapshot(`
      [
        "MG_SCHEMA_CONSTANT_COLUMN Column "currency" is constant: every value is the same.",
        "MG_SCHEMA_ALL_NULL_COLUMN Column "legacy_score" has no values (all 20 rows are null); its kind is a guess.",
        "MG_SCHEMA_CONSTANT_COLUMN Column "live" is constant: every value is the same.",
      ]
    `)
    expect(schema.columns.find((c) => c.name === 'legacy_score')?.nullable).toBe(true)
  })

  it('drafts ids, booleans, datetimes, integers and numerics from values and names', () => {
    const rows = Array.from({ length: 60 }, (_, i) => ({
      order_id: 1000 + i,
      customer_key: `C-${String(i).padStart(5, '0')}`,
      refunded: i % 4 === 0 ? 'yes' : 'no',
      ordered_on: `2025-0${1 + (i % 9)}-1${i % 10}`,
      price: 9.99 + i,
      quantity: 1 + (i % 5),
      sku: `SKU-${i}`,
    }))
    const { schema } = inferSchema(tableFromRows(rows))
    expect(schema.columns).toEqual([
      { name: 'order_id', kind: 'id', nullable: false, unique: true },
      { name: 'customer_key', kind: 'id', nullable: false, unique: true },
      { name: 'refunded', kind: 'boolean', nullable: false },
      // Bounds are trimmed: the 5th smallest and largest values, never one record's extreme.
      {
        name: 'ordered_on',
        kind: 'datetime',
        nullable: false,
        format: 'yyyy-MM-dd',
        min: '2025-01-17',
        max: '2025-09-14',
      },
      { name: 'price', kind: 'numeric', nullable: false, min: 13.99, max: 64.99 },
      { name: 'quantity', kind: 'integer', nullable: false, min: 1, max: 5 },
      { name: 'sku', kind: 'text', nullable: false, unique: true },
    ])
  })

  it('refuses a table without columns with MG_SCHEMA_NO_COLUMNS', () => {
    expect(() => inferSchema({ numRows: 0, columns: [] })).toThrow(
      expect.objectContaining({ code: 'MG_SCHEMA_NO_COLUMNS' }),
    )
  })

  it('reports progress per column', () => {
    const seen: string[] = []
    inferSchema(tableFromRows([{ a: 1, b: 'x' }]), { onProgress: (p) => seen.push(`${p.column} ${p.done}/${p.total}`) })
    expect(seen).toEqual(['a 1/2', 'b 2/2'])
  })
})

describe('inferSchema on digit codes with leading zeros', () => {
  it('drafts zip codes as an id (many) or a categorical (few) kept as written, never an integer', async () => {
    const rows = Array.from({ length: 200 }, (_, i) => ({
      zip: String(501 + i * 37).padStart(5, '0'),
      state: ['01', '06', '36', '48'][i % 4] as string,
      plain: String(100 + i),
      count: 100 + i,
    }))
    const { schema } = inferSchema(tableFromRows(rows))
    expect(schema.columns).toEqual([
      { name: 'zip', kind: 'id', nullable: false, unique: true },
      { name: 'state', kind: 'categorical', nullable: false, values: ['01', '06', '36', '48'] },
      // Digit strings without a leading zero stay what they were: text from a JSON string, an integer from a number.
      { name: 'plain', kind: 'text', nullable: false, unique: true },
      { name: 'count', kind: 'integer', nullable: false, min: 104, max: 295 },
    ])
  })
})
