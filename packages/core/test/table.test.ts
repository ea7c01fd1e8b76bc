import {
  type Column,
  categoricalFromStrings,
  columnNames,
  concatTables,
  getColumn,
  isNullAt,
  nonNullNumbers,
  selectColumns,
  sliceTable,
  tableFromColumns,
  tableFromRows,
  tableToRows,
  valueAt,
} from '@modelgate/core'
import { describe, expect, it } from 'vitest'
import { thrown } from './support/caughtErrors.js'

const age: Column = {
  kind: 'integer',
  name: 'age',
  values: new Float64Array([30, 0, 52]),
  valid: new Uint8Array([1, 0, 1]),
}
const color: Column = {
  kind: 'categorical',
  name: 'color',
  codes: new Int32Array([0, 1, -1]),
  dictionary: ['red', 'blue'],
}
const note: Column = { kind: 'text', name: 'note', values: ['a', null, 'c'] }

describe('tableFromColumns', () => {
  it('builds a table whose row count is the common column length', () => {
    const t = tableFromColumns([age, color, note])
    expect(t.numRows).toBe(3)
    expect(columnNames(t)).toEqual(['age', 'color', 'note'])
  })

  it('rejects columns of different lengths, naming both columns', () => {
    const short: Column = { kind: 'text', name: 'short', values: ['x'] }
    const error = thrown(() => tableFromColumns([age, short]))
    expect(error.code).toBe('MG_TABLE_LENGTH_MISMATCH')
    expect(error.message).toMatchInlineSnapshot(`"Column "short" has 1 rows, expected 3 like column "age"."`)
  })

  it('rejects duplicate column names', () => {
    expect(thrown(() => tableFromColumns([age, age])).code).toBe('MG_TABLE_DUPLICATE_COLUMN')
  })
})

describe('getColumn', () => {
  it('lists the available columns when the name is unknown', () => {
    const error = thrown(() => getColumn(tableFromColumns([age, color]), 'Age'))
    expect(error.code).toBe('MG_TABLE_NO_COLUMN')
    expect(error.message).toMatchInlineSnapshot(`"No column "Age". Available columns: "age", "color"."`)
  })
})

describe('valueAt and isNullAt', () => {
  it('returns numbers, category strings, text and null per the validity conventions', () => {
    expect([0, 1, 2].map((i) => valueAt(age, i))).toEqual([30, null, 52])
    expect([0, 1, 2].map((i) => valueAt(color, i))).toEqual(['red', 'blue', null])
    expect([0, 1, 2].map((i) => isNullAt(note, i))).toEqual([false, true, false])
  })

  it('returns datetimes as UTC Dates and booleans as booleans', () => {
    const when: Column = {
      kind: 'datetime',
      name: 'when',
      values: new Float64Array([Date.UTC(2024, 0, 31)]),
      valid: null,
      format: 'date',
    }
    const flag: Column = {
      kind: 'boolean',
      name: 'flag',
      values: new Uint8Array([1, 0]),
      valid: new Uint8Array([1, 0]),
    }
    expect(valueAt(when, 0)).toEqual(new Date('2024-01-31T00:00:00Z'))
    expect([valueAt(flag, 0), valueAt(flag, 1)]).toEqual([true, null])
  })
})

describe('nonNullNumbers', () => {
  it('drops nulls and keeps row order', () => {
    expect(Array.from(nonNullNumbers(age))).toEqual([30, 52])
  })

  it('refuses categorical columns', () => {
    expect(thrown(() => nonNullNumbers(color)).code).toBe('MG_TABLE_NOT_NUMERIC')
  })
})

describe('tableFromRows and tableToRows', () => {
  it('infers integer, numeric, boolean, datetime, categorical and text kinds', () => {
    const rows = Array.from({ length: 40 }, (_, i) => ({
      id: i,
      score: i / 4,
      ok: i % 2 === 0,
      at: new Date(Date.UTC(2024, 0, 1 + i)),
      plan: i % 3 === 0 ? 'free' : 'pro',
      email: `user${i}@example.com`,
    }))
    const t = tableFromRows(rows)
    expect(t.columns.map((c) => c.kind)).toEqual(['integer', 'numeric', 'boolean', 'datetime', 'categorical', 'text'])
    expect(tableToRows(t)[3]).toEqual({
      id: 3,
      score: 0.75,
      ok: false,
      at: new Date(Date.UTC(2024, 0, 4)),
      plan: 'free',
      email: 'user3@example.com',
    })
  })

  it('treats missing keys as null and keeps explicit kinds', () => {
    const t = tableFromRows([{ a: '1' }, { b: 'x' }], { kinds: { a: 'integer' } })
    expect(tableToRows(t)).toEqual([
      { a: 1, b: null },
      { a: null, b: 'x' },
    ])
  })

  it('keeps the text format of datetime strings declared as datetime', () => {
    const t = tableFromRows([{ d: '2024-01-02' }, { d: null }], { kinds: { d: 'datetime' } })
    const d = getColumn(t, 'd')
    expect(d.kind === 'datetime' && d.format).toBe('yyyy-MM-dd')
    expect(valueAt(d, 0)).toEqual(new Date('2024-01-02T00:00:00Z'))
  })

  it('rejects NaN in a numeric column unless allowed', () => {
    const error = thrown(() => tableFromRows([{ x: 1.5 }, { x: Number.NaN }]))
    expect(error.code).toBe('MG_DATA_NOT_FINITE')
    expect(error.location).toEqual({ file: 'rows', row: 2, column: 'x' })
    const t = tableFromRows([{ x: 1.5 }, { x: Number.NaN }], { allowNonFinite: true })
    expect(valueAt(getColumn(t, 'x'), 1)).toBeNaN()
  })
})

describe('sliceTable, selectColumns, concatTables', () => {
  it('slices rows and selects columns in the requested order', () => {
    const t = tableFromColumns([age, color, note])
    expect(tableToRows(selectColumns(sliceTable(t, 1, 3), ['note', 'age']))).toEqual([
      { note: null, age: null },
      { note: 'c', age: 52 },
    ])
  })

  it('merges categorical dictionaries and remaps codes', () => {
    const a = tableFromColumns([
      { kind: 'categorical', name: 'c', codes: new Int32Array([0, 1]), dictionary: ['x', 'y'] },
    ])
    const b = tableFromColumns([
      { kind: 'categorical', name: 'c', codes: new Int32Array([0, -1, 1]), dictionary: ['y', 'z'] },
    ])
    const t = concatTables([a, b])
    const c = getColumn(t, 'c')
    expect(c.kind === 'categorical' && c.dictionary).toEqual(['x', 'y', 'z'])
    expect(tableToRows(t).map((r) => r.c)).toEqual(['x', 'y', 'y', null, 'z'])
  })

  it('widens integer + numeric to numeric and takes the kind of parts that have values', () => {
    const ints = tableFromColumns([{ kind: 'integer', name: 'v', values: new Float64Array([1, 2]), valid: null }])
    const nums = tableFromColumns([{ kind: 'numeric', name: 'v', values: new Float64Array([2.5]), valid: null }])
    const nulls = tableFromColumns([{ kind: 'text', name: 'v', values: [null, null] }])
    const t = concatTables([nulls, ints, nums])
    expect(getColumn(t, 'v').kind).toBe('numeric')
    expect(tableToRows(t).map((r) => r.v)).toEqual([null, null, 1, 2, 2.5])
  })

  it('refuses to concatenate incompatible kinds', () => {
    const a = tableFromColumns([{ kind: 'boolean', name: 'v', values: new Uint8Array([1]), valid: null }])
    const b = tableFromColumns([{ kind: 'numeric', name: 'v', values: new Float64Array([2.5]), valid: null }])
    expect(thrown(() => concatTables([a, b])).code).toBe('MG_TABLE_KIND_MISMATCH')
  })
})

describe('categoricalFromStrings', () => {
  it('codes categories in order of first appearance and keeps nulls as -1', () => {
    const column = categoricalFromStrings('country', ['US', null, 'GB', 'US', undefined])
    expect(column).toEqual({
      kind: 'categorical',
      name: 'country',
      codes: Int32Array.from([0, -1, 1, 0, -1]),
      dictionary: ['US', 'GB'],
    })
  })
})
