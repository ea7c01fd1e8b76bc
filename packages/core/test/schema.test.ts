import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TableSchema } from '@modelgate/core'
import {
  checkTableAgainstSchema,
  defineSchema,
  loadSchema,
  rowValidator,
  schemaToJsonSchema,
  tableFromRows,
  tableSchemaJsonSchema,
} from '@modelgate/core'
import { Ajv } from 'ajv'
import addFormatsModule from 'ajv-formats'
import { afterAll, describe, expect, it } from 'vitest'
import { rejected, thrown } from './support/caughtErrors.js'

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv

const dir = mkdtempSync(join(tmpdir(), 'mg-schema-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const payments: TableSchema = defineSchema({
  version: 1,
  name: 'payments',
  columns: [
    { name: 'amount', kind: 'numeric', nullable: false, min: 0, max: 10_000 },
    { name: 'items', kind: 'integer', min: 1 },
    { name: 'channel', kind: 'categorical', nullable: false, values: ['web', 'ios', 'android'] },
    { name: 'is_fraud', kind: 'boolean', nullable: false },
    { name: 'created_at', kind: 'datetime', format: 'iso', min: '2024-01-01T00:00:00.000Z' },
    { name: 'email', kind: 'text', pii: { type: 'email', reason: 'name matches "email"' } },
    { name: 'client_ip', kind: 'text', pii: { type: 'ip_address' } },
    { name: 'device_fingerprint', kind: 'id', pii: { type: 'device_id' } },
  ],
})

const goodRow = {
  amount: 12.5,
  items: 2,
  channel: 'ios',
  is_fraud: false,
  created_at: '2025-03-01T10:00:00Z',
  email: 'a.person@example.com',
  client_ip: '10.1.2.3',
  device_fingerprint: null,
}

describe('defineSchema', () => {
  it('fills defaults: columns are nullable unless they say otherwise', () => {
    expect(payments.columns.find((c) => c.name === 'items')?.nullable).toBe(true)
    expect(payments.columns.find((c) => c.name === 'amount')?.nullable).toBe(false)
  })

  it('names the column and the problem when a kind is unknown', () => {
    const error = thrown(() => defineSchema({ version: 1, columns: [{ name: 'amount', kind: 'float' as 'numeric' }] }))
    expect(error.code).toBe('MG_SCHEMA_INVALID')
    expect(error.message).toMatchInlineSnapshot(
      `"Schema: column "amount" field "kind" (columns[0].kind): expected one of "numeric", "integer", "categorical", "boolean", "datetime", "text", "id", got "float""`,
    )
  })

  it('rejects bounds that do not fit the kind, min above max, duplicate names, values on a non-categorical column', () => {
    const cases: [string, Parameters<typeof defineSchema>[0]][] = [
      ['text bounds', { version: 1, columns: [{ name: 'city', kind: 'text', min: 1 }] }],
      ['min > max', { version: 1, columns: [{ name: 'age', kind: 'integer', min: 90, max: 17 }] }],
      [
        'duplicate',
        {
          version: 1,
          columns: [
            { name: 'a', kind: 'text' },
            { name: 'a', kind: 'integer' },
          ],
        },
      ],
      ['values', { version: 1, columns: [{ name: 'age', kind: 'integer', values: ['1'] }] }],
      ['bad date', { version: 1, columns: [{ name: 'ts', kind: 'datetime', min: 'yesterday' }] }],
    ]
    expect(
      cases.map(([label, input]) => `${label}: ${thrown(() => defineSchema(input)).message}`),
    ).toMatchInlineSnapshot(`
      [
        "text bounds: Schema: column "city": min/max are only allowed on numeric, integer and datetime columns, not text",
        "min > max: Schema: column "age": min 90 is greater than max 17",
        "duplicate: Schema: column "a": is defined twice; column names must be unique",
        "values: Schema: column "age": allowed values are only for categorical columns, not integer",
        "bad date: Schema: column "ts": min and max of a datetime column must be ISO date strings, got "yesterday"",
      ]
    `)
  })
})

describe('loadSchema', () => {
  const write = (name: string, content: string): string => {
    const path = join(dir, name)
    writeFileSync(path, content)
    return path
  }

  it('reads a schema file written by schema infer', async () => {
    const path = write('ok.json', JSON.stringify(payments))
    expect(await loadSchema(path)).toEqual(payments)
  })

  it('names the file and the zod issue path, with the column name, when a field is wrong', async () => {
    const path = write(
      'bad.json',
      JSON.stringify({
        version: 1,
        columns: [
          { name: 'age', kind: 'integer' },
          { name: 'email', kind: 'text', pii: { type: 'mail' } },
        ],
      }),
    )
    const error = await rejected(loadSchema(path))
    expect(error.code).toBe('MG_SCHEMA_INVALID')
    expect(error.location?.file).toBe(path)
    expect(error.message.replace(dir, '<tmp>')).toMatchInlineSnapshot(
      `"Schema <tmp>/bad.json: column "email" field "pii.type" (columns[1].pii.type): expected one of "email", "person_name", "phone", "national_id", "ip_address", "street_address", "card_number", "device_id", "free_text", got "mail""`,
    )
  })

  it('refuses a newer schema version with MG_SCHEMA_VERSION and an upgrade hint', async () => {
    const path = write(
      'v3.json',
      JSON.stringify({ version: 3, columns: [{ name: 'a', kind: 'text', sensitivity: 'high' }] }),
    )
    const error = await rejected(loadSchema(path))
    expect(error.code).toBe('MG_SCHEMA_VERSION')
    expect(error.message.replace(dir, '<tmp>')).toMatchInlineSnapshot(
      `"Schema <tmp>/v3.json has version 3, but this ModelGate reads schema versions 1 and 2."`,
    )
    expect(error.hint).toContain('Upgrade ModelGate')
  })

  it('reports invalid JSON and a missing file with their own codes', async () => {
    const broken = write('broken.json', '{"version": 1, "columns": [')
    expect((await rejected(loadSchema(broken))).code).toBe('MG_SCHEMA_INVALID_JSON')
    const missing = await rejected(loadSchema(join(dir, 'nope.json')))
    expect(missing.code).toBe('MG_SCHEMA_NOT_FOUND')
    expect(missing.hint).toContain('inferSchema()')
  })
})

describe('rowValidator and schemaToJsonSchema', () => {
  const ajv = addFormats(new Ajv({ allErrors: true, strict: false }))
  const validate = ajv.compile(schemaToJsonSchema(payments))

  const badRows: [string, Record<string, unknown>][] = [
    ['negative amount', { ...goodRow, amount: -1 }],
    ['amount above max', { ...goodRow, amount: 10_000.5 }],
    ['fractional items', { ...goodRow, items: 1.5 }],
    ['unknown channel', { ...goodRow, channel: 'fax' }],
    ['null in a non-nullable column', { ...goodRow, channel: null }],
    ['string boolean', { ...goodRow, is_fraud: 'no' }],
    ['not an email', { ...goodRow, email: 'not-an-email' }],
    ['not an IP', { ...goodRow, client_ip: '999.1.1.1' }],
    ['not a datetime', { ...goodRow, created_at: 'March 1st' }],
    ['missing field', Object.fromEntries(Object.entries(goodRow).filter(([k]) => k !== 'device_fingerprint'))],
    ['extra field', { ...goodRow, extra: 1 }],
  ]

  it('accepts a good row, both as JSON Schema (ajv) and as the zod validator', () => {
    expect(validate(goodRow)).toBe(true)
    expect(rowValidator(payments).safeParse(goodRow).success).toBe(true)
  })

  it.each(badRows)('rejects a row with %s, in JSON Schema and in zod alike', (_label, row) => {
    expect(validate(row)).toBe(false)
    expect(rowValidator(payments).safeParse(row).success).toBe(false)
  })

  it('rejects a datetime before the schema minimum in the zod validator', () => {
    expect(rowValidator(payments).safeParse({ ...goodRow, created_at: '2023-12-31T23:59:59Z' }).success).toBe(false)
  })

  it('checks datetime text in the column format: date, iso, iso-local, datetime', () => {
    const formats = defineSchema({
      version: 1,
      columns: ['date', 'iso', 'iso-local', 'datetime'].map((format) => ({
        name: format,
        kind: 'datetime' as const,
        format,
        nullable: false,
      })),
    })
    const ok = {
      date: '2025-03-01',
      iso: '2025-03-01T10:00:00+01:00',
      'iso-local': '2025-03-01T10:00:00',
      datetime: '2025-03-01 10:00:00',
    }
    const validateFormats = ajv.compile(schemaToJsonSchema(formats))
    expect(rowValidator(formats).safeParse(ok).success).toBe(true)
    expect(validateFormats(ok)).toBe(true)
    for (const [field, bad] of [
      ['date', '2025-03-01T10:00:00Z'],
      ['iso', '2025-03-01T10:00:00'],
      ['iso-local', '2025-03-01 10:00:00'],
      ['datetime', '01/03/2025'],
    ]) {
      const row = { ...ok, [field as string]: bad }
      expect(rowValidator(formats).safeParse(row).success).toBe(false)
      expect(validateFormats(row)).toBe(false)
    }
  })

  it('allows extra fields when asked', () => {
    const loose = ajv.compile(schemaToJsonSchema(payments, { allowExtraFields: true }))
    expect(loose({ ...goodRow, extra: 1 })).toBe(true)
  })

  it('writes types, nullability, bounds, enum, formats and x-pii into the row schema', () => {
    const json = schemaToJsonSchema(payments) as {
      properties: Record<string, unknown>
      required: string[]
      title: string
    }
    expect(json.title).toBe('payments')
    expect(json.required).toEqual(payments.columns.map((c) => c.name))
    expect(json.properties.amount).toEqual({ type: 'number', minimum: 0, maximum: 10000, 'x-kind': 'numeric' })
    expect(json.properties.items).toEqual({
      anyOf: [{ type: 'integer', minimum: 1 }, { type: 'null' }],
      'x-kind': 'integer',
    })
    expect(json.properties.channel).toEqual({
      type: 'string',
      enum: ['web', 'ios', 'android'],
      'x-kind': 'categorical',
    })
    expect(json.properties.email).toMatchObject({ 'x-pii': { type: 'email', reason: 'name matches "email"' } })
    expect(JSON.stringify(json.properties.email)).toContain('"format":"email"')
    expect(JSON.stringify(json.properties.client_ip)).toContain('"format":"ipv4"')
    expect(JSON.stringify(json.properties.created_at)).toContain('"format":"date-time"')
  })
})

describe('tableSchemaJsonSchema', () => {
  const ajv = new Ajv({ allErrors: true, strict: false })
  const validate = ajv.compile(tableSchemaJsonSchema())

  it('accepts schema files and rejects malformed ones', () => {
    expect(validate(payments)).toBe(true)
    expect(validate({ version: 1, columns: [] })).toBe(false)
    expect(validate({ version: 1, columns: [{ name: 'a', kind: 'float' }] })).toBe(false)
    expect(validate({ version: 1, columns: [{ name: 'a', kind: 'text', pii: { type: 'dna' } }] })).toBe(false)
  })
})

describe('checkTableAgainstSchema', () => {
  const schema = defineSchema({
    version: 1,
    columns: [
      { name: 'age', kind: 'integer', nullable: false, min: 17, max: 90 },
      { name: 'plan', kind: 'categorical', values: ['basic', 'pro'] },
      { name: 'ssn', kind: 'integer', pii: { type: 'national_id' }, min: 0, max: 999_999_999 },
      { name: 'device_fingerprint', kind: 'id', pii: { type: 'device_id' } },
    ],
  })
  const table = tableFromRows([
    { age: 30, plan: 'basic', ssn: 123456789 },
    { age: 12, plan: 'pro', ssn: 1234567890 },
    { age: null, plan: 'enterprise', ssn: 5 },
    { age: 95, plan: 'pro', ssn: 6 },
  ])

  it('lists each problem with file, first row, column and what was expected, never quoting PII or categories', () => {
    const problems = checkTableAgainstSchema(table, schema, { file: 'users.csv' })
    expect(problems.map((p) => `${p.code} ${p.message}`)).toMatchInlineSnapshot(`
      [
        "MG_SCHEMA_UNEXPECTED_NULL Column "age" in users.csv row 3: expected a value (the column is not nullable), got null",
        "MG_SCHEMA_OUT_OF_BOUNDS Column "age" in users.csv row 2: expected an integer in [17, 90], got 12 (2 rows in all)",
        "MG_SCHEMA_VALUE_NOT_ALLOWED Column "plan" in users.csv row 3: expected one of the 2 allowed values, got a value not in the list",
        "MG_SCHEMA_OUT_OF_BOUNDS Column "ssn" in users.csv row 2: expected an integer in [0, 999999999], got a value out of bounds",
        "MG_SCHEMA_MISSING_COLUMN Column "device_fingerprint" (id) is in the schema but missing from users.csv (columns: age, plan, ssn)",
      ]
    `)
    const bytes = JSON.stringify(problems)
    expect(bytes).not.toContain('1234567890')
    expect(bytes).not.toContain('enterprise')
  })

  it('throws the first problem as a ModelGateError when asked', () => {
    const error = thrown(() => checkTableAgainstSchema(table, schema, { file: 'users.csv', throwOnProblem: true }))
    expect(error.code).toBe('MG_SCHEMA_UNEXPECTED_NULL')
    expect(error.location).toEqual({ file: 'users.csv', column: 'age', row: 3 })
  })

  it('reports a column of the wrong kind', () => {
    const problems = checkTableAgainstSchema(
      tableFromRows([{ age: 'old', plan: 'pro', ssn: 1, device_fingerprint: 'x' }]),
      schema,
    )
    expect(problems.map((p) => p.message)).toEqual([
      'Column "age": expected an integer column (integer), got a text column',
    ])
  })

  it('finds nothing wrong with data that fits', () => {
    const ok = tableFromRows([
      { age: 30, plan: 'basic', ssn: 1, device_fingerprint: 'abc' },
      { age: 90, plan: null, ssn: null, device_fingerprint: null },
    ])
    expect(checkTableAgainstSchema(ok, schema, { file: 'ok.csv' })).toEqual([])
  })
})
