import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { DuckDBInstance } from '@duckdb/node-api'
import {
  type Column,
  defineSchema,
  formatDatetime,
  getColumn,
  inferSchema,
  inferTextKind,
  loadSchema,
  type ModelGateError,
  parseDatetime,
  parseDatetimeAs,
  type ReadOptions,
  readTable,
  type Table,
  tableFromColumns,
  writeTable,
} from '@modelgate/core'
import { Table as ArrowTable, tableToIPC, Utf8, vectorFromArray } from 'apache-arrow'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rejected } from './support/caughtErrors.js'

// Issue #13, "Dates and times as people write them". Expected instants come from Date.UTC, never from our parser.
let dir = ''
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'mg-datetime-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

async function csv(name: string, content: string, options: ReadOptions = {}): Promise<Table> {
  const file = path.join(dir, name)
  await writeFile(file, content)
  return readTable(file, { displayName: name, ...options })
}

function datetime(column: Column): { format: string; values: Float64Array } {
  if (column.kind !== 'datetime') throw new Error(`${column.name} is ${column.kind}, not datetime`)
  return column
}

const CASES: readonly (readonly [string, string, number])[] = [
  ['Jan 1 2000', 'MMM d yyyy', Date.UTC(2000, 0, 1)],
  ['Jun 12 1998', 'MMM d yyyy', Date.UTC(1998, 5, 12)],
  ['2015/01/01 01:00:00', 'yyyy/MM/dd HH:mm:ss', Date.UTC(2015, 0, 1, 1)],
  ['2001/01/01 00:47', 'yyyy/MM/dd HH:mm', Date.UTC(2001, 0, 1, 0, 47)],
  ['12/06/1998', 'MM/dd/yyyy', Date.UTC(1998, 11, 6)],
  ['13/06/1998', 'dd/MM/yyyy', Date.UTC(1998, 5, 13)],
  ['January 1, 2000', 'MMMM d, yyyy', Date.UTC(2000, 0, 1)],
  ['1 January 2000', 'd MMMM yyyy', Date.UTC(2000, 0, 1)],
  ['01-Jan-2000', 'dd-MMM-yyyy', Date.UTC(2000, 0, 1)],
  ['6/12/98 3:04 PM', 'M/dd/yy h:mm a', Date.UTC(1998, 5, 12, 15, 4)],
  ['Sat, 01 Jan 2000 10:00:00 +0200', 'EEE, dd MMM yyyy HH:mm:ss xx', Date.UTC(2000, 0, 1, 8)],
  ['Sat, 01 Jan 2000 10:00:00 GMT', "EEE, dd MMM yyyy HH:mm:ss 'GMT'", Date.UTC(2000, 0, 1, 10)],
  ['2024-01-31', 'yyyy-MM-dd', Date.UTC(2024, 0, 31)],
  ['2024-01-31 12:34', 'yyyy-MM-dd HH:mm', Date.UTC(2024, 0, 31, 12, 34)],
  ['2024-01-31T12:34:56', "yyyy-MM-dd'T'HH:mm:ss", Date.UTC(2024, 0, 31, 12, 34, 56)],
  ['2024-01-31T12:34:56.789+02:00', "yyyy-MM-dd'T'HH:mm:ssXXX", Date.UTC(2024, 0, 31, 10, 34, 56, 789)],
]

describe('parseDatetime', () => {
  it.each(CASES)('reads %j as %j', (text, format, ms) => {
    expect(parseDatetime(text)).toEqual({ ms, format })
    expect(parseDatetimeAs(text, format)).toBe(ms)
  })

  it('writes each pattern back as it was read (offsets are written as UTC)', () => {
    for (const [text, format, ms] of CASES) {
      const written = formatDatetime(ms, format)
      if (text.includes('+02')) expect(written).toMatch(/(\+0000|Z)$/)
      else expect(written).toBe(text)
    }
    expect(formatDatetime(Date.UTC(2001, 0, 5), 'MMM d yyyy')).toBe('Jan 5 2001')
  })

  it('reads 01/02/2000 month first by default and day first when asked', () => {
    expect(parseDatetime('01/02/2000')).toEqual({ ms: Date.UTC(2000, 0, 2), format: 'MM/dd/yyyy' })
    expect(parseDatetime('01/02/2000', { dayFirst: true })).toEqual({ ms: Date.UTC(2000, 1, 1), format: 'dd/MM/yyyy' })
  })

  it('is not fooled by text, version numbers or impossible dates', () => {
    for (const text of ['hello', '1.5.2', '12/13/14/15', '31/02/2000', 'Jan 32 2000', '2015/13/01', 'Foo 1 2000'])
      expect(parseDatetime(text)).toBeNull()
  })

  it('rejects text in another format than the one asked for', () => {
    expect(parseDatetimeAs('2000-01-01', 'MMM d yyyy')).toBeNaN()
    expect(parseDatetimeAs('Jan 1 2000', 'yyyy-MM-dd')).toBeNaN()
    // ISO 8601 patterns take every ISO 8601 form.
    expect(parseDatetimeAs('2000-01-01T10:00:00Z', 'yyyy-MM-dd')).toBe(Date.UTC(2000, 0, 1, 10))
  })
})

describe('inferTextKind on a column of dates', () => {
  it('is proved day first by a first field above 12', () => {
    expect(inferTextKind(['12/06/1998', '13/06/1998', null])).toEqual({
      kind: 'datetime',
      format: 'dd/MM/yyyy',
      dateOrder: 'proved-day-first',
    })
    expect(inferTextKind(['06/12/1998', '06/13/1998'], { dayFirst: true })).toEqual({
      kind: 'datetime',
      format: 'MM/dd/yyyy',
      dateOrder: 'proved-month-first',
    })
  })

  it('is proved day first by the last of 3,000 values', () => {
    const values = Array.from(
      { length: 3000 },
      (_, i) => `${String(1 + (i % 12)).padStart(2, '0')}/0${1 + (i % 9)}/2000`,
    )
    expect(inferTextKind(values)).toMatchObject({ format: 'MM/dd/yyyy', dateOrder: 'assumed' })
    expect(inferTextKind([...values, '13/01/2000'])).toMatchObject({
      format: 'dd/MM/yyyy',
      dateOrder: 'proved-day-first',
    })
    // A column that writes both orders is no date column.
    expect(inferTextKind([...values, '01/13/2000', '13/01/2000']).kind).not.toBe('datetime')
  })

  it('assumes month first, or day first when asked, when nothing proves the order', () => {
    expect(inferTextKind(['12/06/1998', '01/02/1998'])).toMatchObject({ format: 'MM/dd/yyyy', dateOrder: 'assumed' })
    expect(inferTextKind(['12/06/1998', '01/02/1998'], { dayFirst: true })).toMatchObject({ format: 'dd/MM/yyyy' })
  })

  it('keeps one-digit fields unpadded when the data writes them so', () => {
    expect(inferTextKind(['1/5/2001', '12/15/2001'])).toMatchObject({ format: 'M/d/yyyy' })
    expect(inferTextKind(['Jan 1 2000', 'Jun 12 1998'])).toMatchObject({ format: 'MMM d yyyy' })
    expect(inferTextKind(['Jan 01 2000', 'Jun 12 1998'])).toMatchObject({ format: 'MMM dd yyyy' })
  })

  it('reads epoch seconds and milliseconds only where the column name says time', () => {
    expect(inferTextKind(['1420070400', '1420074000'], { name: 'created_at' })).toEqual({
      kind: 'datetime',
      format: 't',
    })
    expect(inferTextKind(['1420070400000', '1420074000000'], { name: 'timestamp' })).toEqual({
      kind: 'datetime',
      format: 'T',
    })
    expect(inferTextKind(['1420070400', '1420074000'], { name: 'population' })).toEqual({ kind: 'integer' })
    // Out of the 1990–2100 range in either unit: a count, not a time.
    expect(inferTextKind(['12', '13'], { name: 'time' })).toEqual({ kind: 'integer' })
    // Without the name, 13-digit integers from 2001 to 2049 are milliseconds; seconds need the name.
    expect(inferTextKind(['1420070400000', '1420074000000'])).toEqual({ kind: 'datetime', format: 'T' })
    expect(inferTextKind(['1420070400000', '4420794960000'])).toEqual({ kind: 'integer' })
  })

  it('does not mix formats in one column', () => {
    expect(inferTextKind(['Jan 1 2000', '2000-01-02']).kind).toBe('text')
    expect(inferTextKind(['2000-01-02', 'Jan 1 2000']).kind).toBe('text')
  })
})

const FORMATS = ['csv', 'json', 'jsonl', 'parquet', 'arrow'] as const

describe('readers and writers keep the format', () => {
  const rows = [
    ['Jan 1 2000', '2015/01/01 01:00:00', '13/06/1998', '1420070400'],
    ['Jun 12 1998', '2015/01/01 02:00:00', '01/02/1999', '1420074000'],
    ['Feb 29 2000', '2016/02/29 23:59:59', '29/02/2000', '1420077600'],
  ]
  const text = `day,at,dmy,created_at\n${rows.map((r) => r.join(',')).join('\n')}\n`

  it('reads CSV columns of dates as datetimes with their patterns', async () => {
    const t = await csv('dates.csv', text)
    expect(t.columns.map((c) => (c.kind === 'datetime' ? c.format : c.kind))).toEqual([
      'MMM d yyyy',
      'yyyy/MM/dd HH:mm:ss',
      'dd/MM/yyyy',
      't',
    ])
    expect([...datetime(getColumn(t, 'day')).values]).toEqual([
      Date.UTC(2000, 0, 1),
      Date.UTC(1998, 5, 12),
      Date.UTC(2000, 1, 29),
    ])
    expect(datetime(getColumn(t, 'created_at')).values[1]).toBe(Date.UTC(2015, 0, 1, 1))
  })

  it.each(FORMATS)('writes %s and reads it back in the same format', async (format) => {
    const t = await csv('dates.csv', text)
    const file = path.join(dir, `dates.${format}`)
    await writeTable(file, t)
    const back = await readTable(file)
    expect(back.columns.map((c) => (c.kind === 'datetime' ? c.format : c.kind))).toEqual([
      'MMM d yyyy',
      'yyyy/MM/dd HH:mm:ss',
      'dd/MM/yyyy',
      't',
    ])
    await writeTable(path.join(dir, `again-${format}.csv`), back)
    expect(await readFile(path.join(dir, `again-${format}.csv`), 'utf8')).toBe(text)
  })

  it('writes synthetic instants in the column format', async () => {
    const column: Column = {
      kind: 'datetime',
      name: 'day',
      values: new Float64Array([Date.UTC(2001, 0, 5)]),
      valid: null,
      format: 'MMM d yyyy',
    }
    for (const format of ['csv', 'json', 'jsonl'] as const) {
      const file = path.join(dir, `one.${format}`)
      await writeTable(file, tableFromColumns([column]))
      expect(await readFile(file, 'utf8')).toContain('Jan 5 2001')
    }
  })

  it('reads strings of dates in JSON, Parquet and Arrow files written elsewhere', async () => {
    const values = ['2015/01/01 01:00:00', '2001/01/01 00:47:00', null]
    await writeFile(path.join(dir, 's.json'), JSON.stringify(values.map((at) => ({ at }))))
    await writeFile(path.join(dir, 's.arrow'), tableToIPC(new ArrowTable({ at: vectorFromArray(values, new Utf8()) })))
    const instance = await DuckDBInstance.create(':memory:')
    const db = await instance.connect()
    try {
      await db.run(
        `COPY (SELECT * FROM (VALUES ('2015/01/01 01:00:00'), ('2001/01/01 00:47:00'), (NULL)) t("at")) TO '${path.join(dir, 's.parquet')}' (FORMAT parquet)`,
      )
    } finally {
      db.closeSync()
      instance.closeSync()
    }
    for (const format of ['json', 'parquet', 'arrow'] as const) {
      const back = await readTable(path.join(dir, `s.${format}`))
      expect(datetime(getColumn(back, 'at'))).toMatchObject({ format: 'yyyy/MM/dd HH:mm:ss' })
      expect(datetime(getColumn(back, 'at')).values[1]).toBe(Date.UTC(2001, 0, 1, 0, 47))
    }
    // Two shapes (with and without seconds) are not one format: the column stays text.
    await writeFile(
      path.join(dir, 'mixed.json'),
      JSON.stringify([{ at: '2015/01/01 01:00:00' }, { at: '2001/01/01 00:47' }]),
    )
    expect(getColumn(await readTable(path.join(dir, 'mixed.json')), 'at').kind).toBe('text')
  })

  it('reads day first with dayFirst when nothing proves the order', async () => {
    const t = await csv('dm.csv', 'd\n01/02/2000\n03/04/2000\n', { dayFirst: true })
    expect(datetime(getColumn(t, 'd'))).toMatchObject({ format: 'dd/MM/yyyy' })
    expect(datetime(getColumn(t, 'd')).values[0]).toBe(Date.UTC(2000, 1, 1))
  })

  it('reads day first with dayFirst in an Arrow stream whose first batch holds only nulls', async () => {
    // the column's kind is inferred at the second batch: the chunk's conversion context must carry dayFirst
    const empty = new ArrowTable({ d: vectorFromArray([null, null], new Utf8()) })
    const dates = new ArrowTable({ d: vectorFromArray(['01/02/2000', '03/04/2000'], new Utf8()) })
    await writeFile(path.join(dir, 'late.arrow'), tableToIPC(empty.concat(dates), 'stream'))
    const back = await readTable(path.join(dir, 'late.arrow'), { dayFirst: true })
    expect(datetime(getColumn(back, 'd')).values[2]).toBe(Date.UTC(2000, 1, 1))
  })

  it('names the row and column of a value in another format than the declared one', async () => {
    const schema = defineSchema({ version: 2, columns: [{ name: 'day', kind: 'datetime', format: 'MMM d yyyy' }] })
    const error = await rejected(csv('bad.csv', 'day\nJan 1 2000\n2000-01-02\n', { schema }))
    expect(error.code).toBe('MG_DATA_TYPE_MISMATCH')
    expect(error.message).toBe(
      'Column "day" in bad.csv row 2: expected a datetime written "MMM d yyyy", got "2000-01-02".',
    )
  })
})

describe('schemas', () => {
  it('infers version 2 with the pattern, and says when the data proves day first', async () => {
    const t = await csv('dm2.csv', 'd,e\n13/06/1998,01/02/2000\n01/02/1999,03/04/2000\n')
    const { schema, notes, warnings } = inferSchema(t)
    expect(schema.version).toBe(2)
    expect(schema.columns.map((c) => c.format)).toEqual(['dd/MM/yyyy', 'MM/dd/yyyy'])
    expect(notes.map((n) => n.message)).toEqual([
      'Column "d" is read day first (dd/MM/yyyy): some values have a day above 12 in the first field.',
    ])
    expect(warnings.find((w) => w.code === 'MG_SCHEMA_DATE_ORDER_ASSUMED')?.column).toBe('e')
  })

  it('still reads version 1 files with the old format names', async () => {
    const file = path.join(dir, 'v1.json')
    await writeFile(file, JSON.stringify({ version: 1, columns: [{ name: 'at', kind: 'datetime', format: 'iso' }] }))
    const schema = await loadSchema(file)
    const t = await csv('v1.csv', 'at\n2024-01-31T10:00:00Z\n2024-02-01\n', { schema })
    expect(datetime(getColumn(t, 'at')).values[1]).toBe(Date.UTC(2024, 1, 1))
    await writeTable(path.join(dir, 'v1-out.csv'), t)
    expect(await readFile(path.join(dir, 'v1-out.csv'), 'utf8')).toBe(
      'at\n2024-01-31T10:00:00Z\n2024-02-01T00:00:00Z\n',
    )
  })

  it('refuses a format that is not a pattern, naming the column', () => {
    let error: ModelGateError | undefined
    try {
      defineSchema({ version: 2, columns: [{ name: 'at', kind: 'datetime', format: 'yyyy-QQ' }] })
    } catch (e) {
      error = e as ModelGateError
    }
    expect(error?.code).toBe('MG_SCHEMA_INVALID')
    expect(error?.message).toContain('column "at": Datetime format "yyyy-QQ": "QQ" is not a supported field.')
  })
})
