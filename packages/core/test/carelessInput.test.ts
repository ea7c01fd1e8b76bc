// Issue #12, careless use of the readers: a `__proto__` column in Parquet/Arrow gave an internal error, 100k-deep JSON
// nesting "Maximum call stack size exceeded", UTF-16 input a ragged-row error. Now: handled like any column, a clear
// MG_JSON_TOO_DEEP, UTF-16 with a BOM decoded and without one refused (MG_IO_ENCODING).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { inferSchema, ModelGateError, profileTable, readTable, tableFromRows, writeTable } from '@modelgate/core'
import { afterAll, describe, expect, it } from 'vitest'

const dir = mkdtempSync(join(tmpdir(), 'mg-core-careless-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

async function failure(run: Promise<unknown>): Promise<ModelGateError> {
  const error = await run.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(ModelGateError)
  return error as ModelGateError
}

describe('a column named __proto__ (or constructor)', () => {
  const table = tableFromRows(
    JSON.parse(
      `[${Array.from({ length: 50 }, (_, i) => `{"__proto__":${i % 7},"constructor":"${i % 2 ? 'x' : 'y'}","b":${i}}`).join(',')}]`,
    ) as Record<string, unknown>[],
  )
  for (const ext of ['parquet', 'arrow', 'csv', 'jsonl']) {
    it(`round-trips through ${ext} with its kind and is profiled and inferred`, async () => {
      const file = join(dir, `proto.${ext}`)
      await writeTable(file, table)
      const back = await readTable(file)
      expect(back.columns.map((c) => [c.name, c.kind])).toEqual([
        ['__proto__', 'integer'],
        ['constructor', 'categorical'],
        ['b', 'integer'],
      ])
      expect(profileTable(back).columns[0]?.numeric?.mean).toBeCloseTo(2.94, 6)
      expect(inferSchema(back).schema.columns[0]).toMatchObject({ name: '__proto__', kind: 'integer' })
    })
  }

  it('nested under another key in JSON Lines', async () => {
    const file = join(dir, 'nested.jsonl')
    writeFileSync(file, '{"a":{"__proto__":1},"b":2}\n{"a":{"__proto__":3},"b":4}\n')
    expect((await readTable(file)).columns.map((c) => c.name)).toEqual(['a.__proto__', 'b'])
  })
})

describe('deeply nested JSON', () => {
  it('100,000 nested objects in JSON Lines: MG_JSON_TOO_DEEP with the line, not a stack overflow', async () => {
    const file = join(dir, 'deep.jsonl')
    writeFileSync(file, `{"ok":1}\n${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}\n`)
    const error = await failure(readTable(file, { displayName: 'deep.jsonl' }))
    expect(error.code).toBe('MG_JSON_TOO_DEEP')
    expect(error.message).toMatch(/^deep\.jsonl line 2: nested deeper than 64 levels/)
    expect(error.exitCode).toBe(2)
  })

  it('a 100,000-deep array in a JSON array file', async () => {
    const file = join(dir, 'deep.json')
    writeFileSync(file, `[{"a":${'['.repeat(100_000)}${']'.repeat(100_000)}}]`)
    expect((await failure(readTable(file))).code).toBe('MG_JSON_TOO_DEEP')
  })

  it('nesting up to the limit still reads, as dotted names', async () => {
    const file = join(dir, 'ok.jsonl')
    writeFileSync(file, `${'{"a":'.repeat(10)}1${'}'.repeat(10)}\n`)
    expect((await readTable(file)).columns[0]?.name).toBe(Array(10).fill('a').join('.'))
  })
})

describe('UTF-16 input', () => {
  const text = 'name,amount\nJosé,2\nZoë,4\n'
  it('little endian with a BOM (as Excel writes it) is decoded', async () => {
    const file = join(dir, 'le.csv')
    writeFileSync(file, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]))
    const table = await readTable(file)
    expect(table.numRows).toBe(2)
    expect(table.columns.map((c) => c.name)).toEqual(['name', 'amount'])
  })

  it('big endian with a BOM, and JSON Lines, are decoded', async () => {
    const be = Buffer.from(text, 'utf16le').swap16()
    writeFileSync(join(dir, 'be.csv'), Buffer.concat([Buffer.from([0xfe, 0xff]), be]))
    const table = await readTable(join(dir, 'be.csv'))
    expect(table.columns[0]?.kind === 'text' || table.columns[0]?.kind === 'categorical').toBe(true)
    expect(table.numRows).toBe(2)
    writeFileSync(
      join(dir, 'le.jsonl'),
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('{"name":"José","amount":2}\n', 'utf16le')]),
    )
    expect((await readTable(join(dir, 'le.jsonl'))).columns.map((c) => c.name)).toEqual(['name', 'amount'])
  })

  it('without a BOM is refused clearly (MG_IO_ENCODING), not reported as a ragged row', async () => {
    const file = join(dir, 'nobom.csv')
    writeFileSync(file, Buffer.from(text, 'utf16le'))
    const error = await failure(readTable(file, { displayName: 'nobom.csv' }))
    expect(error.code).toBe('MG_IO_ENCODING')
    expect(error.message).toMatch(/^nobom\.csv looks like UTF-16/)
  })
})
