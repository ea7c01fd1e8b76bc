import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  concatTables,
  getColumn,
  type ReadOptions,
  readTable,
  streamTable,
  type Table,
  tableToRows,
  valueAt,
} from '@modelgate/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rejected } from './support/caughtErrors.js'

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')
const adultPath = path.resolve(repoRoot, 'test/data/adult.csv')
let dir = ''

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'mg-io-csv-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

async function csv(name: string, content: string | Buffer, options: ReadOptions = {}): Promise<Table> {
  const file = path.join(dir, name)
  await writeFile(file, content)
  return readTable(file, { displayName: name, ...options })
}

describe('RFC 4180 parsing', () => {
  it('reads quoted fields with delimiters, doubled quotes and embedded newlines', async () => {
    const t = await csv('quotes.csv', 'name,quote\n"Smith, J","He said ""hi"""\n"multi\nline",plain\n')
    expect(tableToRows(t)).toEqual([
      { name: 'Smith, J', quote: 'He said "hi"' },
      { name: 'multi\nline', quote: 'plain' },
    ])
  })

  it('strips a UTF-8 BOM and accepts CRLF line ends', async () => {
    const t = await csv(
      'bom.csv',
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('id,city\r\n1,Zürich\r\n2,"São\r\nPaulo"\r\n')]),
    )
    expect(t.columns.map((c) => c.name)).toEqual(['id', 'city'])
    expect(tableToRows(t)).toEqual([
      { id: 1, city: 'Zürich' },
      { id: 2, city: 'São\r\nPaulo' },
    ])
  })

  it('reads .tsv with tabs and a custom delimiter with the delimiter option', async () => {
    const tsv = await csv('data.tsv', 'a\tb\n1\tx y\n')
    expect(tableToRows(tsv)).toEqual([{ a: 1, b: 'x y' }])
    const semi = await csv('semi.csv', 'a;b\n1,5;2\n', { delimiter: ';', kinds: { a: 'text' } })
    expect(tableToRows(semi)).toEqual([{ a: '1,5', b: 2 }])
  })

  it('trims spaces around unquoted values by default but keeps spaces inside quotes', async () => {
    const t = await csv('spaces.csv', 'a,b\n  x , " y "\n')
    expect(tableToRows(t)).toEqual([{ a: 'x', b: ' y ' }])
    const raw = await csv('spaces2.csv', 'a,b\n  x ,z\n', { trim: false })
    expect(tableToRows(raw)).toEqual([{ a: '  x ', b: 'z' }])
  })

  it('reads a last line without a trailing newline and skips blank lines', async () => {
    const t = await csv('nonl.csv', 'a,b\n1,2\n\n3,4')
    expect(tableToRows(t)).toEqual([
      { a: 1, b: 2 },
      { a: 3, b: 4 },
    ])
  })
})

describe('bad CSV input', () => {
  it('names file, row, line and field counts for a ragged row', async () => {
    const error = await rejected(csv('ragged.csv', 'a,b,c\n1,2,3\n4,5\n'))
    expect(error.code).toBe('MG_CSV_RAGGED_ROW')
    expect(error.exitCode).toBe(2)
    expect(error.message).toMatchInlineSnapshot(
      `"ragged.csv row 2 (line 3): expected 3 fields like the header, got 2."`,
    )
    expect(error.location).toEqual({ file: 'ragged.csv', row: 2 })
  })

  it('reports an unterminated quote with its row', async () => {
    const error = await rejected(csv('open.csv', 'a,b\n1,2\n3,"never closed\n4,5\n'))
    expect(error.code).toBe('MG_CSV_UNTERMINATED_QUOTE')
    expect(error.message).toMatchInlineSnapshot(`"open.csv row 2 (line 3): a quoted field is never closed."`)
  })

  it('rejects an empty file with MG_IO_EMPTY_FILE', async () => {
    expect((await rejected(csv('empty.csv', ''))).code).toBe('MG_IO_EMPTY_FILE')
    expect((await rejected(csv('blank.csv', '\n\r\n'))).code).toBe('MG_IO_EMPTY_FILE')
  })

  it('rejects duplicate and empty header names', async () => {
    const dup = await rejected(csv('dup.csv', 'a,b,a\n1,2,3\n'))
    expect(dup.code).toBe('MG_CSV_BAD_HEADER')
    expect(dup.message).toMatchInlineSnapshot(`"dup.csv line 1: header names column "a" twice."`)
    expect((await rejected(csv('nohead.csv', 'a,,c\n1,2,3\n'))).code).toBe('MG_CSV_BAD_HEADER')
  })

  it('rejects an unknown extension, listing the supported ones', async () => {
    const file = path.join(dir, 'data.xlsx')
    await writeFile(file, 'a\n1\n')
    const error = await rejected(readTable(file, { displayName: 'data.xlsx' }))
    expect(error.code).toBe('MG_IO_UNKNOWN_FORMAT')
    expect(error.exitCode).toBe(2)
    expect(error.message).toMatchInlineSnapshot(
      `"Cannot tell the format of data.xlsx from its extension ".xlsx". Supported extensions: .csv .tsv .tab .json .jsonl .ndjson .parquet .pq .arrow .feather .ipc (text formats also as .gz)."`,
    )
    const forced = await readTable(file, { format: 'csv' })
    expect(forced.numRows).toBe(1)
  })

  it('says a missing file is missing', async () => {
    expect((await rejected(readTable(path.join(dir, 'nope.csv')))).code).toBe('MG_IO_NOT_FOUND')
  })
})

describe('NaN and Infinity', () => {
  it('fails on NaN in a numeric column, naming file, row and column', async () => {
    const error = await rejected(csv('nan.csv', 'x,y\n1.5,a\nNaN,b\n'))
    expect(error.code).toBe('MG_DATA_NOT_FINITE')
    expect(error.message).toMatchInlineSnapshot(`"Column "x" in nan.csv row 2: expected a finite number, got "NaN"."`)
    expect(error.location).toEqual({ file: 'nan.csv', row: 2, column: 'x' })
  })

  it('keeps NaN/Infinity with allowNonFinite, or reads NaN as null when listed in nullValues', async () => {
    const kept = await csv('inf.csv', 'x\n1\n-Infinity\nNaN\n', { allowNonFinite: true })
    expect(tableToRows(kept).map((r) => r.x)).toEqual([1, Number.NEGATIVE_INFINITY, Number.NaN])
    const nulled = await csv('nan2.csv', 'x\n1\nNaN\n', { nullValues: ['', 'NaN'] })
    expect(tableToRows(nulled).map((r) => r.x)).toEqual([1, null])
  })
})

describe('type inference', () => {
  it('infers kinds and keeps the datetime format', async () => {
    const rows = Array.from({ length: 30 }, (_, i) =>
      [
        i,
        (i * 0.5).toFixed(1),
        i % 2 === 0 ? 'true' : 'FALSE',
        `2024-02-${String(1 + (i % 28)).padStart(2, '0')}`,
        `2024-02-01T10:00:${String(i).padStart(2, '0')}Z`,
        i % 3 === 0 ? 'a' : 'b',
        `free text ${i}`,
      ].join(','),
    )
    const t = await csv('kinds.csv', `int,num,bool,day,ts,cat,txt\n${rows.join('\n')}\n`)
    expect(t.columns.map((c) => (c.kind === 'datetime' ? `${c.kind}/${c.format}` : c.kind))).toEqual([
      'integer',
      'numeric',
      'boolean',
      'datetime/yyyy-MM-dd',
      "datetime/yyyy-MM-dd'T'HH:mm:ssXXX",
      'categorical',
      'text',
    ])
    expect(valueAt(getColumn(t, 'ts'), 5)).toEqual(new Date('2024-02-01T10:00:05Z'))
  })

  it('reads all-null and constant columns without error', async () => {
    const t = await csv('const.csv', 'empty,same,n\n,k,1\nNA,k,1\n,k,1\n')
    expect(t.columns.map((c) => c.kind)).toEqual(['text', 'categorical', 'integer'])
    expect(tableToRows(t)).toEqual([
      { empty: null, same: 'k', n: 1 },
      { empty: null, same: 'k', n: 1 },
      { empty: null, same: 'k', n: 1 },
    ])
  })

  it('keeps digit codes with leading zeros as written (zip codes), and reads digits without one as integers', async () => {
    const zips = ['00501', '02134', '10001', '90210', '00544', '02134']
    const months = ['01', '02', '12', '01', '02', '12']
    const counts = ['0', '7', '10', '0', '7', '10']
    const lines = zips.map((z, i) => `${z},${months[i]},${counts[i]},${i === 0 ? '-01' : '5'}`)
    const t = await csv('codes.csv', `zip,month,count,signed\n${lines.join('\n')}\n`)
    expect(t.columns.map((c) => c.kind)).toEqual(['text', 'categorical', 'integer', 'integer'])
    expect(tableToRows(t).map((r) => r.zip)).toEqual(zips)
    expect(tableToRows(t).map((r) => r.month)).toEqual(months)
    // A declared integer column is read as numbers: the schema is the user's word that the zeros are padding.
    const declared = await csv('codes2.csv', `zip\n${zips.join('\n')}\n`, {
      schema: { version: 2, columns: [{ name: 'zip', kind: 'integer', nullable: false }] },
    })
    expect(tableToRows(declared).map((r) => r.zip)).toEqual([501, 2134, 10001, 90210, 544, 2134])
  })

  it('treats "?" as missing when asked (UCI Adult)', async () => {
    const t = await csv('q.csv', 'w,n\n State-gov, 1\n ?, 2\n', { nullValues: ['', '?'] })
    expect(tableToRows(t)).toEqual([
      { w: 'State-gov', n: 1 },
      { w: null, n: 2 },
    ])
  })
})

describe('streaming', () => {
  it('yields chunks of chunkRows with stable categorical codes, equal to readTable', async () => {
    const lines = Array.from({ length: 103 }, (_, i) => `${i},${['a', 'b', 'c'][i % 3]},"x,${i}"`)
    const file = path.join(dir, 'stream.csv')
    await writeFile(file, `n,c,s\n${lines.join('\n')}\n`)
    const chunks: Table[] = []
    for await (const chunk of streamTable(file, { chunkRows: 10 })) chunks.push(chunk)
    expect(chunks.map((c) => c.numRows)).toEqual([10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 3])
    const last = chunks.at(-1)?.columns[1]
    expect(last?.kind === 'categorical' && last.dictionary).toEqual(['a', 'b', 'c'])
    expect(tableToRows(concatTables(chunks))).toEqual(tableToRows(await readTable(file)))
  })

  it('reads quoted, signed, exponent and null values the same way in the typed fast path as in the first chunk', async () => {
    const body = [
      '1,a,1.5',
      '2,b,-2',
      '3,a,NA',
      '4,b,0.25', // first chunk (chunkRows 4): inferred integer, categorical, numeric
      '"5","a"," 3.5 "',
      '+6,  b  ,1e3',
      '-7,,-.5',
      '8,"b,c",12.',
      '9,NA,""',
      '10,"é",7',
    ]
    const file = path.join(dir, 'typed.csv')
    await writeFile(file, `n,c,x\n${body.join('\n')}\n`)
    const streamed: Table[] = []
    for await (const chunk of streamTable(file, { chunkRows: 4 })) streamed.push(chunk)
    const rows = tableToRows(concatTables(streamed))
    expect(rows.map((r) => r.n)).toEqual([1, 2, 3, 4, 5, 6, -7, 8, 9, 10])
    expect(rows.map((r) => r.c)).toEqual(['a', 'b', 'a', 'b', 'a', 'b', null, 'b,c', null, 'é'])
    expect(rows.map((r) => r.x)).toEqual([1.5, -2, null, 0.25, 3.5, 1000, -0.5, 12, null, 7])
    expect(streamed.map((t) => t.columns.map((c) => c.kind).join())).toEqual(
      Array(3).fill('integer,categorical,numeric'),
    )
  })

  it('parses a quoted newline and a multi-byte character that straddle the 1 MiB read boundary', async () => {
    const boundary = 1 << 20
    const header = 'id,text\n'
    const filler: string[] = []
    let size = header.length
    let id = 0
    while (size < boundary - 200) {
      const line = `${id++},filler line ${'x'.repeat(40)}\n`
      filler.push(line)
      size += line.length
    }
    // The quote of the tricky field opens 7 bytes before the boundary: its embedded newline is in the first read and
    // the boundary falls between the two bytes of "é".
    const padId = id++
    const trickyId = id++
    const before = boundary - 7 - size - `${trickyId},`.length
    const padLine = `${padId},${'p'.repeat(before - `${padId},`.length - 1)}\n`
    const untilQuote = header + filler.join('') + padLine + `${trickyId},`
    expect(Buffer.byteLength(untilQuote)).toBe(boundary - 7)
    const content = `${untilQuote}"ab\ncdé""fg"\n${id++},end\n`
    expect(Buffer.from(content).subarray(boundary - 1, boundary + 1)).toEqual(Buffer.from('é'))
    const file = path.join(dir, 'boundary.csv')
    await writeFile(file, content)
    const t = await readTable(file)
    expect(t.numRows).toBe(id)
    expect(valueAt(getColumn(t, 'text'), id - 2)).toBe('ab\ncdé"fg')
    expect(valueAt(getColumn(t, 'text'), id - 1)).toBe('end')
  })

  it('fixes kinds from the first chunk and reports a contradicting value with a hint', async () => {
    const file = path.join(dir, 'drift.csv')
    await writeFile(file, `n\n${Array.from({ length: 20 }, (_, i) => i).join('\n')}\nmany\n`)
    const error = await rejected(
      (async () => {
        for await (const _ of streamTable(file, { chunkRows: 8, displayName: 'drift.csv' })) {
          // consume
        }
      })(),
    )
    expect(error.code).toBe('MG_DATA_TYPE_MISMATCH')
    expect(error.message).toMatchInlineSnapshot(`"Column "n" in drift.csv row 21: expected an integer, got "many"."`)
    expect(error.hint).toContain('pass a schema')
  })

  it('uses schema kinds instead of inference', async () => {
    const file = path.join(dir, 'schema.csv')
    await writeFile(file, 'zip,amount\n01234,5\n99999,6\n')
    const t = await readTable(file, {
      schema: { version: 1, columns: [{ name: 'zip', kind: 'text', nullable: true }] },
    })
    expect(tableToRows(t)).toEqual([
      { zip: '01234', amount: 5 },
      { zip: '99999', amount: 6 },
    ])
  })

  it('widens integer to numeric across chunks in readTable', async () => {
    const file = path.join(dir, 'widen.csv')
    await writeFile(file, `v\n${Array.from({ length: 12 }, (_, i) => i).join('\n')}\n2.5\n`)
    const t = await readTable(file, { chunkRows: 5 })
    expect(getColumn(t, 'v').kind).toBe('numeric')
    expect(valueAt(getColumn(t, 'v'), 12)).toBe(2.5)
  })
})

describe('UCI Adult', () => {
  it('reads 32,561 rows with the expected kinds and nulls for "?"', async () => {
    const t = await readTable(adultPath, { nullValues: ['', '?'] })
    expect(t.numRows).toBe(32_561)
    expect(Object.fromEntries(t.columns.map((c) => [c.name, c.kind]))).toEqual({
      age: 'integer',
      workclass: 'categorical',
      fnlwgt: 'integer',
      education: 'categorical',
      'education-num': 'integer',
      'marital-status': 'categorical',
      occupation: 'categorical',
      relationship: 'categorical',
      race: 'categorical',
      sex: 'categorical',
      'capital-gain': 'integer',
      'capital-loss': 'integer',
      'hours-per-week': 'integer',
      'native-country': 'categorical',
      income: 'categorical',
    })
    const workclass = getColumn(t, 'workclass')
    expect(workclass.kind === 'categorical' && workclass.codes.filter((c) => c < 0).length).toBe(1836)
    expect(tableToRows({ numRows: 1, columns: t.columns.slice(0, 4) })[0]).toEqual({
      age: 39,
      workclass: 'State-gov',
      fnlwgt: 77516,
      education: 'Bachelors',
    })
  })
})
