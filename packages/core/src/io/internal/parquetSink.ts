import { gzipSync } from 'node:zlib'
import { fileWriter, ParquetWriter } from 'hyparquet-writer'
import type { Column, Table } from '../../Table.js'
import { isDateOnlyFormat } from '../parseDatetime.js'
import type { ParquetCodec } from '../WriteOptions.js'
import { KINDS_METADATA_KEY, kindsMetadata } from './kindsMetadata.js'

type SchemaElement = ConstructorParameters<typeof ParquetWriter>[0]['schema'][number]

const DAY_MS = 86_400_000
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1

function schemaElement(column: Column): SchemaElement {
  const base = { name: column.name, repetition_type: 'OPTIONAL' as const }
  switch (column.kind) {
    case 'numeric':
      return { ...base, type: 'DOUBLE' }
    case 'integer':
      return { ...base, type: 'INT64' }
    case 'boolean':
      return { ...base, type: 'BOOLEAN' }
    case 'datetime':
      return isDateOnlyFormat(column.format)
        ? { ...base, type: 'INT32', converted_type: 'DATE', logical_type: { type: 'DATE' } }
        : {
            ...base,
            type: 'INT64',
            converted_type: 'TIMESTAMP_MILLIS',
            logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MILLIS' },
          }
    default:
      return { ...base, type: 'BYTE_ARRAY', converted_type: 'UTF8', logical_type: { type: 'STRING' } }
  }
}

/**
 * Whole numbers as 64-bit integers, written through two 32-bit halves (no BigInt made per value); values beyond
 * ±2^53 go through BigInt. Rounded as Math.round does.
 */
function int64Array(values: Float64Array): BigInt64Array {
  const out = new BigInt64Array(values.length)
  const halves = new Int32Array(out.buffer)
  for (let i = 0; i < values.length; i++) {
    const v = Math.round(values[i] as number)
    if (LITTLE_ENDIAN && v >= -9007199254740991 && v <= 9007199254740991) {
      const hi = Math.floor(v / 4294967296)
      halves[2 * i] = v - hi * 4294967296
      halves[2 * i + 1] = hi
    } else out[i] = BigInt(v)
  }
  return out
}

/** Values of one column as hyparquet-writer expects them (null for nulls; INT64 as bigint). */
function columnData(column: Column): ArrayLike<unknown> {
  const n = column.kind === 'categorical' ? column.codes.length : column.values.length
  const out: unknown[] = new Array(n)
  switch (column.kind) {
    case 'categorical':
      for (let i = 0; i < n; i++) {
        const c = column.codes[i] as number
        out[i] = c < 0 ? null : column.dictionary[c]
      }
      return out
    case 'text':
    case 'id':
      for (let i = 0; i < n; i++) out[i] = column.values[i] ?? null
      return out
    case 'boolean':
      for (let i = 0; i < n; i++)
        out[i] = column.valid !== null && column.valid[i] === 0 ? null : column.values[i] === 1
      return out
    case 'integer':
      if (column.valid === null) return int64Array(column.values)
      for (let i = 0; i < n; i++)
        out[i] = column.valid !== null && column.valid[i] === 0 ? null : BigInt(Math.round(column.values[i] as number))
      return out
    case 'datetime': {
      const dateOnly = isDateOnlyFormat(column.format)
      for (let i = 0; i < n; i++) {
        const v = column.values[i] as number
        out[i] =
          column.valid !== null && column.valid[i] === 0
            ? null
            : dateOnly
              ? Math.floor(v / DAY_MS)
              : BigInt(Math.round(v))
      }
      return out
    }
    default:
      // without nulls the values go as they are (hyparquet-writer reads a Float64Array like an array of numbers)
      if (column.valid === null) return column.values
      for (let i = 0; i < n; i++) out[i] = column.valid !== null && column.valid[i] === 0 ? null : column.values[i]
      return out
  }
}

const CODECS = { snappy: 'SNAPPY', gzip: 'GZIP', uncompressed: 'UNCOMPRESSED' } as const

/** Streams tables into a Parquet file at `tempPath` (schema fixed by the first chunk; kinds kept in key-value metadata). */
export class ParquetSink {
  private writer: ParquetWriter | null = null
  private readonly tempPath: string
  private readonly codec: ParquetCodec
  private readonly rowGroupSize: number

  constructor(tempPath: string, codec: ParquetCodec, rowGroupSize: number) {
    this.tempPath = tempPath
    this.codec = codec
    this.rowGroupSize = rowGroupSize
  }

  async write(table: Table): Promise<void> {
    if (this.writer === null) {
      this.writer = new ParquetWriter({
        writer: fileWriter(this.tempPath),
        schema: [{ name: 'root', num_children: table.columns.length }, ...table.columns.map(schemaElement)],
        codec: CODECS[this.codec],
        compressors: { GZIP: (input: Uint8Array) => new Uint8Array(gzipSync(input)) },
        kvMetadata: [{ key: KINDS_METADATA_KEY, value: kindsMetadata(table.columns) }],
        createdBy: 'ModelGate (hyparquet-writer 0.17.0)',
      })
    }
    if (table.numRows === 0) return
    await this.writer.write({
      columnData: table.columns.map((c) => ({ name: c.name, data: columnData(c) as never })),
      rowGroupSize: this.rowGroupSize,
    })
  }

  async finish(empty: Table | null): Promise<void> {
    if (this.writer === null && empty !== null) await this.write(empty)
    await this.writer?.finish()
  }
}
