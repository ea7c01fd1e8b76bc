import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadSchema } from '@modelgate/core'
import { afterAll, describe, expect, it } from 'vitest'
import { runCli } from './support/runCli.js'

const dir = mkdtempSync(join(tmpdir(), 'mg-cli-schema-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const lines = ['customer_id,email,phone,plan,amount,signup_day']
for (let i = 1; i <= 60; i++) {
  const plan = i === 60 ? 'legacy-platinum' : ['basic', 'pro', 'team'][i % 3]
  lines.push(
    `${i},client${i}@example.com,+1 (555) 010-${String(1000 + i)},${plan},${(i * 7.25).toFixed(2)},2025-02-${String(1 + (i % 28)).padStart(2, '0')}`,
  )
}
writeFileSync(join(dir, 'customers.csv'), `${lines.join('\n')}\n`)

const run = (args: string[]) => runCli(args, dir)

describe('modelgate schema infer', () => {
  it('prints one line per column with kind, nullability, bounds and PII flags with reasons', async () => {
    const { code, out } = await run(['schema', 'infer', 'customers.csv'])
    expect(code).toBe(0)
    expect(out).toMatchInlineSnapshot(`
      "Draft schema for customers.csv — 60 rows, 6 columns, 2 flagged as PII

        customer_id  id           not null  unique
        email        text         not null  PII email — name matches "email"; 100% of 60 sampled values look like email addresses
        phone        text         not null  PII phone — name matches "phone"; 100% of 60 sampled values look like phone numbers
        plan         categorical  not null  values left out (rare categories)
        amount       numeric      not null  36.25 … 406
        signup_day   datetime     not null  2025-02-02 … 2025-02-26  format yyyy-MM-dd

      warn Column "plan" has 1 category seen fewer than 5 times; allowed values are left out of the schema so that rare values never reach it.

      Not written: pass --out schema.json to save it, then review and edit it.
      "
    `)
  })

  it('writes the schema with --out; the file loads and holds no PII value or rare category', async () => {
    const { code } = await run(['schema', 'infer', 'customers.csv', '--out', 'customers.schema.json'])
    expect(code).toBe(0)
    const text = readFileSync(join(dir, 'customers.schema.json'), 'utf8')
    expect(text).not.toMatch(/client\d+@/)
    expect(text).not.toContain('555')
    expect(text).not.toContain('legacy-platinum')
    const schema = await loadSchema(join(dir, 'customers.schema.json'))
    expect(schema.columns.map((c) => c.pii?.type ?? '-')).toEqual(['-', 'email', 'phone', '-', '-', '-'])
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([])
  })

  it('prints machine-readable JSON with --json', async () => {
    const { code, out } = await run(['schema', 'infer', 'customers.csv', '--json', '--pii-sample', '10'])
    expect(code).toBe(0)
    const parsed = JSON.parse(out) as {
      schema: { columns: { name: string; pii?: { reason: string } }[] }
      warnings: { code: string }[]
    }
    expect(parsed.schema.columns.find((c) => c.name === 'email')?.pii?.reason).toBe(
      'name matches "email"; 100% of 10 sampled values look like email addresses',
    )
    expect(parsed.warnings.map((w) => w.code)).toEqual(['MG_SCHEMA_RARE_CATEGORIES'])
  })

  it('exits 2 on a bad --pii-sample and on a missing data file', async () => {
    const bad = await run(['schema', 'infer', 'customers.csv', '--pii-sample', 'many'])
    expect(bad.code).toBe(2)
    expect(bad.err).toContain('--pii-sample expects a positive integer, got "many"')
    const missing = await run(['schema', 'infer', 'nope.csv'])
    expect(missing.code).toBe(2)
    expect(missing.err).toContain('nope.csv')
  })
})

describe('modelgate schema jsonschema', () => {
  it('prints the JSON Schema of one row, with x-pii annotations', async () => {
    await run(['schema', 'infer', 'customers.csv', '--out', 's.json'])
    const { code, out } = await run(['schema', 'jsonschema', 's.json'])
    expect(code).toBe(0)
    const json = JSON.parse(out) as { properties: Record<string, Record<string, unknown>> }
    expect(json.properties.email).toMatchObject({ type: 'string', format: 'email', 'x-pii': { type: 'email' } })
    expect(json.properties.amount).toMatchObject({ type: 'number', minimum: 36.25, maximum: 406 })
  })

  it('prints the JSON Schema of the schema file format with --format', async () => {
    const { code, out } = await run(['schema', 'jsonschema', '--format'])
    expect(code).toBe(0)
    expect(JSON.parse(out)).toMatchObject({ title: 'ModelGate table schema', type: 'object' })
  })

  it('names the schema file and field when the schema is invalid', async () => {
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ version: 1, columns: [{ name: 'amount', kind: 'money' }] }))
    const { code, err } = await run(['schema', 'jsonschema', 'bad.json'])
    expect(code).toBe(2)
    expect(err).toContain('error MG_SCHEMA_INVALID:')
    expect(err).toContain('column "amount" field "kind" (columns[0].kind): expected one of')
  })
})

describe('modelgate profile', () => {
  it('prints the per-column profile without PII values', async () => {
    const { code, out } = await run(['profile', 'customers.csv'])
    expect(code).toBe(0)
    expect(out).toContain('customers.csv — 60 rows × 6 columns')
    expect(out).toMatch(/email\s+text PII\s+0\s+60\s+email — values not shown/)
    expect(out).not.toMatch(/client\d+@/)
    expect(out).not.toContain('legacy-platinum')
  })

  it('exits 1 and lists the problems when the data breaks the --schema', async () => {
    writeFileSync(
      join(dir, 'strict.json'),
      JSON.stringify({
        version: 1,
        columns: [
          { name: 'amount', kind: 'numeric', max: 100 },
          { name: 'plan', kind: 'categorical', values: ['basic', 'pro', 'team'] },
        ],
      }),
    )
    const { code, out } = await run(['profile', 'customers.csv', '--schema', 'strict.json'])
    expect(code).toBe(1)
    expect(out).toContain('2 schema problems (strict.json):')
    expect(out).toContain(
      'MG_SCHEMA_OUT_OF_BOUNDS  Column "amount" in customers.csv row 14: expected a number ≤ 100, got 101.5 (47 rows in all)',
    )
    expect(out).toContain(
      'MG_SCHEMA_VALUE_NOT_ALLOWED  Column "plan" in customers.csv row 60: expected one of the 3 allowed values, got a value not in the list',
    )
    expect(out).not.toContain('legacy-platinum')
  })

  it('exits 2 naming the column when the data lacks a column the --schema marks', async () => {
    writeFileSync(
      join(dir, 'device.json'),
      JSON.stringify({ version: 1, columns: [{ name: 'device_fingerprint', kind: 'id' }] }),
    )
    const { code, err } = await run(['profile', 'customers.csv', '--schema', 'device.json'])
    expect(code).toBe(2)
    expect(err).toContain('"device_fingerprint"')
  })

  it('prints JSON with --json', async () => {
    const { out } = await run(['profile', 'customers.csv', '--json'])
    const profile = JSON.parse(out) as { numRows: number; columns: { name: string }[] }
    expect(profile.numRows).toBe(60)
    expect(profile.columns.map((c) => c.name)).toEqual([
      'customer_id',
      'email',
      'phone',
      'plan',
      'amount',
      'signup_day',
    ])
  })
})
