import type { DuckDBConnection, DuckDBType, DuckDBValue } from '@duckdb/node-api'
import { BOOLEAN, DOUBLE, DuckDBDataChunk, DuckDBTypeId, INTEGER, VARCHAR } from '@duckdb/node-api'
import type { Column, Table } from '@modelgate/core'
import { categoricalFromStrings } from '@modelgate/core'

const CHUNK = 2048

/**
 * How a column travels into DuckDB: as a primitive the JS side can write without allocating per value
 * (DOUBLE, INTEGER codes, BOOLEAN), then turned into its SQL type by DuckDB itself.
 */
interface Plan {
  readonly raw: DuckDBType
  /** SQL expression over the raw column `r` giving the final value. */
  readonly expr: (raw: string) => string
  readonly set: Setter
}

type Setter = (vector: { setItem(i: number, v: DuckDBValue): void }, row: number, slot: number) => void

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`
}

function planFor(column: Column): Plan {
  switch (column.kind) {
    case 'numeric':
    case 'integer':
    case 'datetime': {
      const { values, valid } = column
      const set: Setter = (v, r, s) => v.setItem(s, valid !== null && valid[r] === 0 ? null : (values[r] as number))
      if (column.kind === 'numeric') return { raw: DOUBLE, expr: (r) => r, set }
      // integers up to 2^53 are exact in a double; epoch ms → microseconds for TIMESTAMP
      if (column.kind === 'integer') return { raw: DOUBLE, expr: (r) => `CAST(${r} AS BIGINT)`, set }
      return { raw: DOUBLE, expr: (r) => `make_timestamp(CAST(round(${r} * 1000) AS BIGINT))`, set }
    }
    case 'boolean': {
      const { values, valid } = column
      return {
        raw: BOOLEAN,
        expr: (r) => r,
        set: (v, r, s) => v.setItem(s, valid !== null && valid[r] === 0 ? null : values[r] === 1),
      }
    }
    case 'categorical': {
      const { codes } = column
      // codes go in as INTEGER (-1 → NULL); the dictionary is one list constant looked up by DuckDB
      return {
        raw: INTEGER,
        expr: (r) => `${r}`,
        set: (v, r, s) => {
          const c = codes[r] ?? -1
          v.setItem(s, c < 0 ? null : c + 1)
        },
      }
    }
    default: {
      const { values } = column
      return { raw: VARCHAR, expr: (r) => r, set: (v, r, s) => v.setItem(s, values[r] ?? null) }
    }
  }
}

/**
 * Loads a table into DuckDB as `name` (numeric → DOUBLE, integer → BIGINT, datetime → TIMESTAMP,
 * boolean → BOOLEAN, categorical/text/id → VARCHAR). Values are written chunk by chunk as primitives
 * into a staging table; categoricals go in as codes and are decoded by a join with their dictionary.
 */
export async function loadTable(connection: DuckDBConnection, name: string, table: Table): Promise<void> {
  const plans = table.columns.map(planFor)
  const staging = `__mg_stage_${name}`
  const rawDdl = plans.map((plan, i) => `c${i} ${plan.raw.toString()}`).join(', ')
  await connection.run(`CREATE OR REPLACE TABLE ${quoteIdent(staging)} (${rawDdl === '' ? '__empty BOOLEAN' : rawDdl})`)
  if (table.numRows > 0 && plans.length > 0) {
    const appender = await connection.createAppender(staging)
    const types = plans.map((p) => p.raw)
    for (let start = 0; start < table.numRows; start += CHUNK) {
      const size = Math.min(CHUNK, table.numRows - start)
      const chunk = DuckDBDataChunk.create(types, size)
      for (let c = 0; c < plans.length; c++) {
        const vector = chunk.getColumnVector(c)
        const set = (plans[c] as Plan).set
        for (let s = 0; s < size; s++) set(vector, start + s, s)
        vector.flush()
      }
      appender.appendDataChunk(chunk)
    }
    appender.flushSync()
    appender.closeSync()
  }
  const selects: string[] = []
  const joins: string[] = []
  for (const [i, column] of table.columns.entries()) {
    const rawName = `s.c${i}`
    if (column.kind === 'categorical') {
      const dict = `__mg_dict_${name}_${i}`
      await connection.run(`CREATE OR REPLACE TABLE ${quoteIdent(dict)} (code INTEGER, value VARCHAR)`)
      if (column.dictionary.length > 0) {
        const appender = await connection.createAppender(dict)
        column.dictionary.forEach((value, code) => {
          appender.appendInteger(code + 1)
          appender.appendVarchar(value)
          appender.endRow()
        })
        appender.flushSync()
        appender.closeSync()
      }
      joins.push(`LEFT JOIN ${quoteIdent(dict)} d${i} ON d${i}.code = ${rawName}`)
      selects.push(`d${i}.value AS ${quoteIdent(column.name)}`)
    } else {
      selects.push(`${(plans[i] as Plan).expr(rawName)} AS ${quoteIdent(column.name)}`)
    }
  }
  const list = selects.length === 0 ? '' : selects.join(', ')
  await connection.run(
    `CREATE OR REPLACE TABLE ${quoteIdent(name)} AS SELECT ${list} FROM ${quoteIdent(staging)} s ${joins.join(' ')} ORDER BY s.rowid`,
  )
  await connection.run(`DROP TABLE ${quoteIdent(staging)}`)
}

type Kind = 'numeric' | 'integer' | 'boolean' | 'datetime' | 'string'

function kindOf(typeId: DuckDBTypeId): Kind {
  switch (typeId) {
    case DuckDBTypeId.DOUBLE:
    case DuckDBTypeId.FLOAT:
    case DuckDBTypeId.DECIMAL:
      return 'numeric'
    case DuckDBTypeId.TINYINT:
    case DuckDBTypeId.SMALLINT:
    case DuckDBTypeId.INTEGER:
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UTINYINT:
    case DuckDBTypeId.USMALLINT:
    case DuckDBTypeId.UINTEGER:
    case DuckDBTypeId.UBIGINT:
    case DuckDBTypeId.UHUGEINT:
      return 'integer'
    case DuckDBTypeId.BOOLEAN:
      return 'boolean'
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_S:
    case DuckDBTypeId.TIMESTAMP_MS:
    case DuckDBTypeId.TIMESTAMP_NS:
    case DuckDBTypeId.TIMESTAMP_TZ:
    case DuckDBTypeId.DATE:
      return 'datetime'
    default:
      return 'string'
  }
}

function toNumber(value: DuckDBValue, typeId: DuckDBTypeId): number {
  if (typeof value === 'number') return value
  if (typeof value === 'bigint') return Number(value)
  const v = value as unknown as Record<string, unknown>
  switch (typeId) {
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_TZ:
      return Number(v.micros as bigint) / 1000
    case DuckDBTypeId.TIMESTAMP_MS:
      return Number(v.millis as bigint)
    case DuckDBTypeId.TIMESTAMP_S:
      return Number(v.seconds as bigint) * 1000
    case DuckDBTypeId.TIMESTAMP_NS:
      return Number(v.nanos as bigint) / 1e6
    case DuckDBTypeId.DATE:
      return (v.days as number) * 86_400_000
    default:
      return typeof v.toDouble === 'function' ? (v.toDouble as () => number)() : Number(String(value))
  }
}

/** Runs a query and reads the whole result into a columnar table. */
export async function queryTable(connection: DuckDBConnection, sql: string): Promise<Table> {
  const result = await connection.run(sql)
  const names = result.columnNames()
  const typeIds = names.map((_, i) => result.columnTypeId(i))
  const kinds = typeIds.map(kindOf)
  const n = result.rowCount
  const numbers = kinds.map((k) => (k === 'string' ? null : new Float64Array(n)))
  const valids = kinds.map(() => new Uint8Array(n))
  const strings = kinds.map((k) => (k === 'string' ? new Array<string | null>(n).fill(null) : null))
  let row = 0
  for (let ci = 0; ci < result.chunkCount; ci++) {
    const chunk = result.getChunk(ci)
    const size = chunk.rowCount
    for (let c = 0; c < names.length; c++) {
      const vector = chunk.getColumnVector(c)
      const nums = numbers[c] ?? null
      const strs = strings[c] ?? null
      const valid = valids[c] as Uint8Array
      const typeId = typeIds[c] as DuckDBTypeId
      const kind = kinds[c]
      for (let r = 0; r < size; r++) {
        const value = vector.getItem(r)
        if (value === null) continue
        valid[row + r] = 1
        if (nums !== null) nums[row + r] = kind === 'boolean' ? (value === true ? 1 : 0) : toNumber(value, typeId)
        else if (strs !== null) strs[row + r] = typeof value === 'string' ? value : String(value)
      }
    }
    row += size
  }
  const columns: Column[] = names.map((name, c) => {
    const kind = kinds[c] as Kind
    const validArr = valids[c] as Uint8Array
    const valid = validArr.includes(0) ? validArr : null
    if (kind === 'string') return categoricalFromStrings(name, strings[c] as (string | null)[])
    const values = numbers[c] as Float64Array
    if (kind === 'boolean') return { kind: 'boolean', name, values: Uint8Array.from(values), valid }
    if (kind === 'datetime') return { kind: 'datetime', name, values, valid, format: 'iso' }
    return { kind, name, values, valid }
  })
  return { numRows: n, columns }
}
