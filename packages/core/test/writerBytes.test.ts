import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { afterAll, describe, expect, it } from 'vitest'
import { type Column, createRandom, formatDatetime, type Table, writeTable } from '../src/index.js'
import { writeNumberAscii } from '../src/io/internal/writeNumberAscii.js'

const dir = mkdtempSync(join(tmpdir(), 'mg-csvwriter-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

// The CSV writer before it wrote bytes (core at 1e4ba16, formatText.ts csvHeader/csvRows), kept verbatim as the
// reference: the byte writer must give exactly these bytes.
function oldQuote(value: string, delimiter: string): string {
  if (value === '') return value
  const needs =
    value.includes(delimiter) ||
    value.includes('"') ||
    value.includes('\n') ||
    value.includes('\r') ||
    value.charCodeAt(0) === 32 ||
    value.charCodeAt(value.length - 1) === 32 ||
    value.charCodeAt(0) === 9 ||
    value.charCodeAt(value.length - 1) === 9
  return needs ? `"${value.replaceAll('"', '""')}"` : value
}
function oldCell(column: Column, i: number): string | null {
  switch (column.kind) {
    case 'categorical': {
      const c = column.codes[i] as number
      return c < 0 ? null : (column.dictionary[c] as string)
    }
    case 'text':
    case 'id':
      return column.values[i] ?? null
    case 'boolean':
      return column.valid !== null && column.valid[i] === 0 ? null : column.values[i] === 1 ? 'true' : 'false'
    case 'datetime':
      return column.valid !== null && column.valid[i] === 0
        ? null
        : formatDatetime(column.values[i] as number, column.format)
    default:
      return column.valid !== null && column.valid[i] === 0 ? null : String(column.values[i])
  }
}
function oldHeader(table: Table, delimiter: string): string {
  return `${table.columns.map((c) => oldQuote(c.name, delimiter)).join(delimiter)}\n`
}
function oldRows(table: Table, delimiter: string): string {
  const n = table.numRows
  if (n === 0) return ''
  const lines: string[] = []
  for (let i = 0; i < n; i++) {
    const row = table.columns.map((column) => {
      if (column.kind === 'numeric' || column.kind === 'integer') return oldCell(column, i) ?? ''
      if (column.kind === 'categorical') {
        const c = column.codes[i] as number
        return c < 0 ? '' : oldQuote(column.dictionary[c] as string, delimiter)
      }
      const v = oldCell(column, i)
      return v === null ? '' : oldQuote(v, delimiter)
    })
    lines.push(row.join(delimiter))
  }
  return `${lines.join('\n')}\n`
}

const NUMBERS = [
  0,
  -0,
  1,
  -1,
  0.1,
  -0.25,
  1e-7,
  -1e-7,
  1e-6,
  1.5e-6,
  9.99e-7,
  1e21,
  -1e21,
  1e20,
  123456789.123,
  2 ** 50,
  2 ** 50 - 1,
  2 ** 53,
  2 ** 60,
  5e-324,
  Number.MAX_VALUE,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  0.30000000000000004,
  99.99999999999999,
  1234.5,
  -1000,
  Math.PI,
]
const CATEGORIES = [
  'plain',
  'with,comma',
  'with "quote"',
  ' leading',
  'trailing ',
  '\ttab',
  'multi\nline',
  'crlf\r',
  'ünïcödé',
  '😀 emoji',
  '',
]
const TEXTS = [
  'a',
  'say "hi"',
  'x,y',
  'line\nbreak',
  ' spaced ',
  'tab\there',
  '中文',
  'lone \ud800 surrogate',
  '',
  null,
]

/** A mixed table of `n` rows: every kind, nulls, quoting, exponents, -0, NaN, dates in several patterns. */
function mixedTable(n: number, seed: number): Table {
  const random = createRandom(seed, 'csv-writer-test')
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random.uniform() * xs.length)] as T
  const values = (f: () => number) => Float64Array.from({ length: n }, f)
  const mask = (share: number) => Uint8Array.from({ length: n }, () => (random.uniform() < share ? 0 : 1))
  const day = Date.UTC(2001, 0, 1)
  const columns: Column[] = [
    { kind: 'numeric', name: 'special', values: values(() => pick(NUMBERS)), valid: mask(0.1) },
    {
      kind: 'numeric',
      name: 'rounded',
      values: values(() => {
        const d = Math.floor(random.uniform() * 6)
        return Math.round((random.uniform() - 0.5) * 10 ** (random.uniform() * 12 - 3) * 10 ** d) / 10 ** d
      }),
      valid: null,
    },
    { kind: 'numeric', name: 'raw double', values: values(() => (random.uniform() - 0.5) * 1e3), valid: null },
    {
      kind: 'integer',
      name: 'count',
      values: values(() => Math.round((random.uniform() - 0.3) * 1e6)),
      valid: mask(0.2),
    },
    {
      kind: 'categorical',
      name: 'cat,egory',
      codes: Int32Array.from({ length: n }, () => Math.floor(random.uniform() * (CATEGORIES.length + 1)) - 1),
      dictionary: CATEGORIES,
    },
    {
      kind: 'boolean',
      name: 'flag',
      values: Uint8Array.from({ length: n }, () => (random.uniform() < 0.5 ? 1 : 0)),
      valid: mask(0.15),
    },
    { kind: 'text', name: 'note "quoted"', values: Array.from({ length: n }, () => pick(TEXTS)) },
    { kind: 'id', name: 'id', values: Array.from({ length: n }, (_, i) => `ID-${seed}-${i}`) },
  ]
  for (const format of [
    'yyyy-MM-dd',
    'MMM d yyyy',
    'yyyy/MM/dd HH:mm:ss',
    "yyyy-MM-dd'T'HH:mm:ss.SSSXXX",
    't',
    'd, MMM yyyy',
  ])
    columns.push({
      kind: 'datetime',
      name: `when ${format}`,
      values: values(() => day + Math.floor(random.uniform() * 4e11) - 2e11 + (random.uniform() < 0.2 ? 123 : 0)),
      valid: mask(0.1),
      format,
    })
  return { numRows: n, columns }
}

describe('the CSV writer writes bytes, the same bytes as before', () => {
  it('writes the text String(x) gives for every number, without building the string', () => {
    const random = createRandom(3, 'numbers')
    const buf = Buffer.alloc(64)
    const f = new Float64Array(1)
    const words = new Uint32Array(f.buffer)
    const wrong: string[] = []
    const check = (x: number): void => {
      const end = writeNumberAscii(buf, 0, x)
      if (buf.toString('latin1', 0, end) !== String(x)) wrong.push(String(x))
    }
    for (const x of NUMBERS) {
      check(x)
      check(-x)
    }
    for (let i = 0; i < 100_000; i++) {
      const d = Math.floor(random.uniform() * 12)
      const v = (random.uniform() - 0.3) * 10 ** Math.floor(random.uniform() * 24 - 10)
      check(Math.round(v * 10 ** d) / 10 ** d)
      check(v)
      check(Math.round(v))
      check(Number(v.toPrecision(1 + Math.floor(random.uniform() * 17))))
      words[0] = Math.floor(random.uniform() * 2 ** 32)
      words[1] = Math.floor(random.uniform() * 2 ** 32)
      check(f[0] as number)
    }
    expect(wrong).toEqual([])
  })

  it.each([
    [',', 'csv'],
    ['\t', 'tsv'],
    [';', 'csv'],
    ['||', 'csv'],
    ['u', 'csv'], // quotes "true" and months such as "Jun" but no number
  ])('writes mixed chunks with delimiter %j byte for byte as the string writer did', async (delimiter, ext) => {
    // chunks of different sizes, one empty, one large enough to cross the 1 MiB flush boundary several times
    const chunks = [mixedTable(7, 1), mixedTable(0, 2), mixedTable(15_000, 3), mixedTable(1, 4), mixedTable(300, 5)]
    const file = join(dir, `mixed-${delimiter.length}-${delimiter.charCodeAt(0)}.${ext}`)
    const summary = await writeTable(file, chunks, ext === 'tsv' ? {} : { delimiter })
    const expected = oldHeader(chunks[0] as Table, delimiter) + chunks.map((t) => oldRows(t, delimiter)).join('')
    const bytes = readFileSync(file)
    expect(bytes.length).toBeGreaterThan(2 << 20)
    expect(bytes.equals(Buffer.from(expected, 'utf8'))).toBe(true)
    expect(summary.bytes).toBe(bytes.length)
    expect(summary.rows).toBe(15_308)
  })

  it('keeps one gzip member per chunk (the header in the first) for .csv.gz', async () => {
    const chunks = [mixedTable(50, 6), mixedTable(3_000, 7)]
    const file = join(dir, 'mixed.csv.gz')
    await writeTable(file, chunks)
    const expected = Buffer.concat([
      gzipSync(Buffer.from(oldHeader(chunks[0] as Table, ',') + oldRows(chunks[0] as Table, ','), 'utf8')),
      gzipSync(Buffer.from(oldRows(chunks[1] as Table, ','), 'utf8')),
    ])
    expect(readFileSync(file).equals(expected)).toBe(true)
  })

  it('encodes large handed-over chunks on its thread, byte for byte, copying views it does not own', async () => {
    const big = mixedTable(66_000, 10) // 1.06M cells with the two below: over the thread's threshold
    // a view into a larger buffer, used by two columns: copied, so the caller's buffer is not detached
    const slab = new Float64Array(76_000).map((_, i) => i / 8)
    const view = slab.subarray(5_000, 71_000)
    const shared: Column[] = [
      { kind: 'numeric', name: 'view a', values: view, valid: null },
      { kind: 'numeric', name: 'view b', values: view, valid: null },
    ]
    const chunks = [
      { numRows: big.numRows, columns: [...big.columns, ...shared] },
      {
        numRows: 500,
        columns: [...mixedTable(500, 11).columns, ...shared.map((c) => ({ ...c, values: slab.subarray(0, 500) }))],
      },
    ] as Table[]
    const expected = oldHeader(chunks[0] as Table, ',') + chunks.map((t) => oldRows(t, ',')).join('')
    const file = join(dir, 'threaded.csv')
    const summary = await writeTable(file, chunks, { transferChunks: true })
    expect(readFileSync(file).equals(Buffer.from(expected, 'utf8'))).toBe(true)
    expect(summary.bytes).toBe(Buffer.byteLength(expected))
    expect(slab.length).toBe(76_000) // not detached
    expect((big.columns[0] as { values: Float64Array }).values.length).toBe(0) // moved to the thread, as allowed
  }, 180_000)

  it('leaves no file, and no temp file, when the stream fails after megabytes were written', async () => {
    const out = join(dir, 'failing')
    async function* failing(): AsyncGenerator<Table> {
      yield mixedTable(8_000, 8)
      yield mixedTable(8_000, 9)
      throw new Error('the sampler broke')
    }
    await expect(writeTable(join(out, 'partial.csv'), failing())).rejects.toThrow('the sampler broke')
    expect(readdirSync(out)).toEqual([])
    async function* failingLarge(): AsyncGenerator<Table> {
      yield mixedTable(75_000, 12)
      throw new Error('the sampler broke again')
    }
    const threaded = writeTable(join(out, 'partial.csv'), failingLarge(), { transferChunks: true })
    await expect(threaded).rejects.toThrow('the sampler broke again')
    expect(readdirSync(out)).toEqual([])
    // a handed-over chunk written twice: its arrays are gone, which is named, not written as garbage
    const twice = mixedTable(75_000, 13)
    const again = writeTable(join(out, 'partial.csv'), [twice, twice], { transferChunks: true })
    await expect(again).rejects.toMatchObject({ code: 'MG_TABLE_LENGTH_MISMATCH' })
    expect(readdirSync(out)).toEqual([])
  }, 180_000)
})

describe('the Parquet writer hands columns without nulls over as typed arrays', () => {
  it('writes the same bytes as through its value-by-value path (no nulls marked either way)', async () => {
    const n = 30_000
    const values = (f: () => number) => Float64Array.from({ length: n }, f)
    const columns = (valid: () => Uint8Array | null): Column[] => {
      const random = createRandom(9, 'parquet-typed')
      return [
        {
          kind: 'numeric',
          name: 'x',
          values: values(() => Math.round((random.uniform() - 0.5) * 1e5) / 100),
          valid: valid(),
        },
        {
          kind: 'numeric',
          name: 'special',
          values: values(() => [0, -0, Number.NaN, 1e-300, 5][Math.floor(random.uniform() * 5)] as number),
          valid: valid(),
        },
        {
          kind: 'integer',
          name: 'wide',
          values: values(() => Math.round((random.uniform() - 0.5) * 2 ** 52)),
          valid: valid(),
        },
        { kind: 'integer', name: 'small', values: values(() => Math.floor(random.uniform() * 7) - 3), valid: valid() },
        {
          kind: 'integer',
          name: 'huge',
          values: values(() => (random.uniform() < 0.5 ? -1 : 1) * 2 ** 60),
          valid: valid(),
        },
      ]
    }
    const plain = { numRows: n, columns: columns(() => null) }
    const marked = { numRows: n, columns: columns(() => new Uint8Array(n).fill(1)) }
    await writeTable(join(dir, 'typed.parquet'), [plain, plain], { rowGroupSize: 20_000 })
    await writeTable(join(dir, 'arrays.parquet'), [marked, marked], { rowGroupSize: 20_000 })
    expect(readFileSync(join(dir, 'typed.parquet')).equals(readFileSync(join(dir, 'arrays.parquet')))).toBe(true)
  })
})
