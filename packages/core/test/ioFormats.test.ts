import { readFileSync } from 'node:fs'
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { DuckDBInstance } from '@duckdb/node-api'
import {
  createTableWriter,
  getColumn,
  readTable,
  sliceTable,
  streamTable,
  type Table,
  tableFromRows,
  tableToRows,
  valueAt,
  writeTable,
} from '@modelgate/core'
import {
  Table as ArrowTable,
  Bool,
  DateDay,
  Dictionary,
  Float64,
  Int32,
  TimestampMicrosecond,
  tableToIPC,
  Utf8,
  vectorFromArray,
} from 'apache-arrow'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rejected } from './support/caughtErrors.js'

const here = path.dirname(fileURLToPath(import.meta.url))
const fixtures = path.join(here, 'fixtures/parquet')
const expected = JSON.parse(readFileSync(path.join(fixtures, 'duckdb-expected.json'), 'utf8')) as {
  summary: {
    rows: number
    amount_non_null: number
    amount_sum: number
    flag_true: number
    big_sum: number
    day_min: string
    ts_max: string
    colors: number
  }
  firstRows: Record<string, unknown>[]
}
let dir = ''

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'mg-io-formats-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

/** A table with every kind, nulls, quotes, newlines, non-ASCII text, dates and timestamps with milliseconds. */
function sample(): Table {
  const rows = Array.from({ length: 120 }, (_, i) => ({
    id: i,
    amount: i % 9 === 0 ? null : Math.round((i * 3.7 - 50) * 100) / 100,
    plan: ['free', 'pro', 'team'][i % 3],
    active: i % 4 === 0 ? null : i % 2 === 0,
    signup: new Date(Date.UTC(2023, i % 12, 1 + (i % 27), i % 24, i % 60, i % 60, (i * 7) % 1000)),
    comment: i % 10 === 0 ? null : `said "hi", line ${i}${i % 7 === 0 ? '\nsecond line' : ''} — ünïcode`,
  }))
  return tableFromRows(rows)
}

function summaryOf(t: Table): Record<string, unknown> {
  const amount = getColumn(t, 'amount')
  const flag = getColumn(t, 'flag')
  const big = getColumn(t, 'big')
  const color = getColumn(t, 'color')
  let amountSum = 0
  let amountNonNull = 0
  let flagTrue = 0
  let bigSum = 0
  for (let i = 0; i < t.numRows; i++) {
    const a = valueAt(amount, i)
    if (a !== null) {
      amountSum += a as number
      amountNonNull++
    }
    if (valueAt(flag, i) === true) flagTrue++
    bigSum += valueAt(big, i) as number
  }
  const days = Array.from({ length: t.numRows }, (_, i) => (valueAt(getColumn(t, 'day'), i) as Date).getTime())
  const ts = Array.from({ length: t.numRows }, (_, i) => (valueAt(getColumn(t, 'ts'), i) as Date).getTime())
  return {
    rows: t.numRows,
    amount_non_null: amountNonNull,
    amount_sum: Math.round(amountSum * 100) / 100,
    flag_true: flagTrue,
    big_sum: bigSum,
    day_min: new Date(Math.min(...days)).toISOString().slice(0, 10),
    ts_max: `${new Date(Math.max(...ts)).toISOString().slice(0, 19)}Z`,
    colors: color.kind === 'categorical' ? color.dictionary.length : -1,
  }
}

describe('Parquet written by DuckDB', () => {
  for (const codec of ['snappy', 'gzip', 'zstd', 'zstd-v2']) {
    it(`reads the ${codec} file with the values DuckDB reads`, async () => {
      const t = await readTable(path.join(fixtures, `duckdb-${codec}.parquet`))
      expect(t.columns.map((c) => (c.kind === 'datetime' ? `${c.kind}/${c.format}` : c.kind))).toEqual([
        'integer',
        'numeric',
        'categorical',
        'boolean',
        'datetime/yyyy-MM-dd',
        "datetime/yyyy-MM-dd'T'HH:mm:ssXXX",
        'integer',
        'text',
      ])
      expect(summaryOf(t)).toEqual(expected.summary)
      const first = tableToRows(t)
        .slice(0, 8)
        .map((r) => ({
          ...r,
          day: (r.day as Date).toISOString().slice(0, 10),
          ts: `${(r.ts as Date).toISOString().slice(0, 19)}Z`,
        }))
      expect(first).toEqual(expected.firstRows)
    })
  }

  it('streams a Parquet file in chunks of chunkRows', async () => {
    const sizes: number[] = []
    for await (const chunk of streamTable(path.join(fixtures, 'duckdb-zstd.parquet'), { chunkRows: 128 }))
      sizes.push(chunk.numRows)
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(300)
    expect(Math.max(...sizes)).toBeLessThanOrEqual(128)
  })

  it('reads a nested LIST column through the general path as JSON text', async () => {
    const t = await readTable(path.join(fixtures, 'duckdb-nested.parquet'))
    expect(t.columns.map((c) => c.kind)).toEqual(['integer', 'text'])
    expect(tableToRows(t).slice(0, 3)).toEqual([
      { id: 0, tags: null },
      { id: 1, tags: '["a","b1"]' },
      { id: 2, tags: '["a","b2"]' },
    ])
  })

  it('reads only the requested columns', async () => {
    const t = await readTable(path.join(fixtures, 'duckdb-snappy.parquet'), { columns: ['note', 'id'] })
    expect(t.columns.map((c) => c.name)).toEqual(['note', 'id'])
  })
})

describe('round trips', () => {
  for (const ext of ['csv', 'tsv', 'jsonl', 'json', 'parquet', 'arrow']) {
    it(`writes and reads back ${ext} with the same kinds and values`, async () => {
      const t = sample()
      const file = path.join(dir, `round.${ext}`)
      const summary = await writeTable(file, t)
      expect(summary).toMatchObject({ format: ext, rows: 120 })
      const back = await readTable(file)
      expect(back.columns.map((c) => (c.kind === 'datetime' ? `${c.kind}/${c.format}` : c.kind))).toEqual(
        t.columns.map((c) => (c.kind === 'datetime' ? `${c.kind}/${c.format}` : c.kind)),
      )
      expect(tableToRows(back)).toEqual(tableToRows(t))
    })
  }

  it('keeps dates, timestamps and 64-bit integers of a DuckDB file through every format', async () => {
    const t = await readTable(path.join(fixtures, 'duckdb-gzip.parquet'))
    for (const ext of ['csv', 'jsonl', 'parquet', 'arrow']) {
      const file = path.join(dir, `duck-round.${ext}`)
      await writeTable(file, t)
      expect(tableToRows(await readTable(file))).toEqual(tableToRows(t))
    }
  })

  it('round-trips a table with columns but no rows; an empty JSONL file is an error', async () => {
    const empty = sliceTable(tableFromRows([{ a: 1, b: 'x', c: true }]), 0, 0)
    for (const ext of ['csv', 'parquet', 'arrow']) {
      const file = path.join(dir, `empty.${ext}`)
      await writeTable(file, empty)
      const back = await readTable(file)
      expect(back.numRows).toBe(0)
      expect(back.columns.map((c) => c.name)).toEqual(['a', 'b', 'c'])
    }
    const jsonl = path.join(dir, 'empty.jsonl')
    await writeTable(jsonl, empty)
    const error = await rejected(readTable(jsonl, { displayName: 'empty.jsonl' }))
    expect(error.code).toBe('MG_IO_EMPTY_FILE')
    expect(error.message).toBe('empty.jsonl is empty; expected one JSON object per line.')
  })

  it('writes byte-identical files for the same input', async () => {
    for (const ext of ['csv', 'parquet', 'arrow', 'jsonl']) {
      await writeTable(path.join(dir, `a.${ext}`), sample())
      await writeTable(path.join(dir, `b.${ext}`), sample())
      expect((await readFile(path.join(dir, `a.${ext}`))).equals(await readFile(path.join(dir, `b.${ext}`)))).toBe(true)
    }
  })

  it('writes datetimes in CSV in their original format', async () => {
    const file = path.join(dir, 'dates.csv')
    await writeFile(
      file,
      'd,t,l\n2024-01-31,2024-01-31 12:00:00,2024-01-31T12:00:00.250\n2024-02-01,2024-02-01 13:30:05,2024-02-01T00:00:00\n',
    )
    const out = path.join(dir, 'dates-out.csv')
    await writeTable(out, await readTable(file))
    expect(await readFile(out, 'utf8')).toBe(await readFile(file, 'utf8'))
  })

  it('writes a stream of chunks with one header and a growing dictionary', async () => {
    const a = tableFromRows([
      { c: 'x', n: 1 },
      { c: 'y', n: 2 },
    ])
    const b = tableFromRows([{ c: 'z', n: 3 }])
    for (const ext of ['csv', 'parquet', 'arrow']) {
      const file = path.join(dir, `chunks.${ext}`)
      async function* chunks(): AsyncGenerator<Table> {
        yield a
        yield b
      }
      await writeTable(file, chunks(), { rowGroupSize: 2 })
      expect(tableToRows(await readTable(file))).toEqual([
        { c: 'x', n: 1 },
        { c: 'y', n: 2 },
        { c: 'z', n: 3 },
      ])
    }
  })
})

describe('our Parquet read by DuckDB', () => {
  it('DuckDB reads our snappy and gzip files with the same values and types', async () => {
    const instance = await DuckDBInstance.create(':memory:')
    const db = await instance.connect()
    try {
      for (const codec of ['snappy', 'gzip'] as const) {
        const file = path.join(dir, `ours-${codec}.parquet`)
        await writeTable(file, sample(), { codec, rowGroupSize: 50 })
        const types = (await db.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet('${file}')`)).getRowObjectsJson()
        expect(Object.fromEntries(types.map((r) => [r.column_name, r.column_type]))).toEqual({
          id: 'BIGINT',
          amount: 'DOUBLE',
          plan: 'VARCHAR',
          active: 'BOOLEAN',
          signup: 'TIMESTAMP WITH TIME ZONE',
          comment: 'VARCHAR',
        })
        const rows = (
          await db.runAndReadAll(
            `SELECT id::INTEGER AS id, amount, plan, active, epoch_ms(signup)::DOUBLE AS signup, comment FROM read_parquet('${file}') ORDER BY id`,
          )
        ).getRowObjectsJson()
        const ours = tableToRows(sample()).map((r) => ({ ...r, signup: (r.signup as Date).getTime() }))
        expect(rows).toEqual(ours)
      }
    } finally {
      db.closeSync()
      instance.closeSync()
    }
  })
})

describe('JSON input', () => {
  it('flattens nested objects to dotted names and keeps arrays as JSON text', async () => {
    const file = path.join(dir, 'nested.jsonl')
    await writeFile(
      file,
      '{"user":{"id":1,"geo":{"cc":"DE"}},"tags":["a","b"]}\n\n{"user":{"id":2,"geo":{"cc":null}},"tags":[]}\n',
    )
    const t = await readTable(file)
    expect(tableToRows(t)).toEqual([
      { 'user.id': 1, 'user.geo.cc': 'DE', tags: '["a","b"]' },
      { 'user.id': 2, 'user.geo.cc': null, tags: '[]' },
    ])
  })

  it('streams a JSON array with strings holding brackets, braces and escaped quotes', async () => {
    const file = path.join(dir, 'array.json')
    await writeFile(file, ' [ {"s": "a ] } , [ \\" x", "n": 1.5}, {"s": "{", "n": 2} ] \n')
    expect(tableToRows(await readTable(file))).toEqual([
      { s: 'a ] } , [ " x', n: 1.5 },
      { s: '{', n: 2 },
    ])
  })

  it('names the line of invalid JSON', async () => {
    const file = path.join(dir, 'bad.jsonl')
    await writeFile(file, '{"a":1}\n{"a":\n')
    const error = await rejected(readTable(file, { displayName: 'bad.jsonl' }))
    expect(error.code).toBe('MG_JSON_INVALID')
    expect(error.message).toMatch(/^bad\.jsonl line 2: invalid JSON/)
  })

  it('rejects a JSON document that is not an array of objects', async () => {
    const file = path.join(dir, 'obj.json')
    await writeFile(file, '{"a":1}')
    expect((await rejected(readTable(file))).code).toBe('MG_JSON_NOT_ARRAY')
  })
})

describe('Arrow IPC and gzip input', () => {
  it('reads Arrow dictionary columns as categorical, from the file and the stream format', async () => {
    const arrow = new ArrowTable({
      color: vectorFromArray(['red', 'blue', null, 'red'], new Dictionary(new Utf8(), new Int32())),
      score: vectorFromArray([1.5, null, 3, 4.25], new Float64()),
    })
    for (const format of ['file', 'stream'] as const) {
      const file = path.join(dir, `dict-${format}.arrow`)
      await writeFile(file, tableToIPC(arrow, format))
      const t = await readTable(file)
      expect(t.columns.map((c) => c.kind)).toEqual(['categorical', 'numeric'])
      expect(tableToRows(t)).toEqual([
        { color: 'red', score: 1.5 },
        { color: 'blue', score: null },
        { color: null, score: 3 },
        { color: 'red', score: 4.25 },
      ])
    }
  })

  it('reads Arrow microsecond timestamps, day dates and booleans from another writer', async () => {
    const arrow = new ArrowTable({
      at: vectorFromArray([new Date('2024-05-01T10:20:30.123Z'), null], new TimestampMicrosecond()),
      day: vectorFromArray([new Date('2024-05-01T00:00:00Z'), new Date('1969-12-31T00:00:00Z')], new DateDay()),
      ok: vectorFromArray([null, true], new Bool()),
    })
    const file = path.join(dir, 'times.arrow')
    await writeFile(file, tableToIPC(arrow, 'file'))
    const t = await readTable(file)
    expect(t.columns.map((c) => (c.kind === 'datetime' ? `${c.kind}/${c.format}` : c.kind))).toEqual([
      "datetime/yyyy-MM-dd'T'HH:mm:ssXXX",
      'datetime/yyyy-MM-dd',
      'boolean',
    ])
    expect(tableToRows(t)).toEqual([
      { at: new Date('2024-05-01T10:20:30.123Z'), day: new Date('2024-05-01T00:00:00Z'), ok: null },
      { at: null, day: new Date('1969-12-31T00:00:00Z'), ok: true },
    ])
  })

  it('writes gzip-compressed CSV and JSONL, one gzip member per chunk, that gunzip and our reader read back', async () => {
    const { gunzipSync } = await import('node:zlib')
    const a = tableFromRows([{ a: 1, b: 'x' }])
    const b = tableFromRows([{ a: 2, b: 'y' }])
    async function* chunks(): AsyncGenerator<Table> {
      yield a
      yield b
    }
    await writeTable(path.join(dir, 'out.csv.gz'), chunks())
    expect(gunzipSync(await readFile(path.join(dir, 'out.csv.gz'))).toString()).toBe('a,b\n1,x\n2,y\n')
    await writeTable(path.join(dir, 'out.jsonl.gz'), chunks())
    expect(tableToRows(await readTable(path.join(dir, 'out.jsonl.gz')))).toEqual([
      { a: 1, b: 'x' },
      { a: 2, b: 'y' },
    ])
  })

  it('reads gzip-compressed CSV and JSONL', async () => {
    await writeFile(path.join(dir, 'z.csv.gz'), gzipSync('a,b\n1,x\n2,y\n'))
    await writeFile(path.join(dir, 'z.jsonl.gz'), gzipSync('{"a":1,"b":"x"}\n{"a":2,"b":"y"}\n'))
    for (const name of ['z.csv.gz', 'z.jsonl.gz']) {
      expect(tableToRows(await readTable(path.join(dir, name)))).toEqual([
        { a: 1, b: 'x' },
        { a: 2, b: 'y' },
      ])
    }
  })
})

describe('atomic writes', () => {
  it('leaves no file behind when a chunk fails half-way', async () => {
    const sub = await mkdtemp(path.join(dir, 'atomic-'))
    const file = path.join(sub, 'out.jsonl')
    async function* chunks(): AsyncGenerator<Table> {
      yield tableFromRows([{ x: 1 }])
      yield tableFromRows([{ x: Number.POSITIVE_INFINITY }], { allowNonFinite: true })
    }
    const error = await rejected(writeTable(file, chunks()))
    expect(error.code).toBe('MG_DATA_NOT_FINITE')
    expect(await readdir(sub)).toEqual([])
  })

  it('stops between chunks once its signal is aborted: MG_CANCELLED with exit code 1, and no file behind', async () => {
    const sub = await mkdtemp(path.join(dir, 'atomic-'))
    const file = path.join(sub, 'out.csv')
    const controller = new AbortController()
    let drawn = 0
    async function* chunks(): AsyncGenerator<Table> {
      for (let i = 0; i < 100; i++) {
        drawn++
        if (i === 3) controller.abort()
        yield tableFromRows([{ x: i }, { x: i + 0.5 }])
      }
    }
    const error = await rejected(writeTable(file, chunks(), { signal: controller.signal, displayName: 'out.csv' }))
    expect(error.code).toBe('MG_CANCELLED')
    expect(error.exitCode).toBe(1)
    expect(error.message).toBe('Writing out.csv was cancelled after 6 rows; nothing was written.')
    expect(drawn).toBe(4)
    expect(await readdir(sub)).toEqual([])
  })

  it('leaves no file behind on abort and keeps an existing file untouched until close', async () => {
    const sub = await mkdtemp(path.join(dir, 'atomic-'))
    const file = path.join(sub, 'out.parquet')
    await writeFile(file, 'old')
    const writer = await createTableWriter(file)
    await writer.write(sample())
    expect(await readFile(file, 'utf8')).toBe('old')
    await writer.abort()
    expect(await readdir(sub)).toEqual(['out.parquet'])
    expect(await readFile(file, 'utf8')).toBe('old')
  })

  it('rejects chunks whose columns differ from the first and removes the temp file', async () => {
    const sub = await mkdtemp(path.join(dir, 'atomic-'))
    const writer = await createTableWriter(path.join(sub, 'x.csv'))
    await writer.write(tableFromRows([{ a: 1 }]))
    const error = await rejected(writer.write(tableFromRows([{ b: 1 }])))
    expect(error.code).toBe('MG_IO_WRITE_COLUMNS_CHANGED')
    expect(await readdir(sub)).toEqual([])
  })
})
