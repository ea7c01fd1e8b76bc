import { createWriteStream, type WriteStream } from 'node:fs'
import {
  Bool,
  type Data,
  type DataType,
  DateDay,
  Field,
  Float64,
  Int64,
  makeData,
  RecordBatch,
  RecordBatchFileWriter,
  Schema,
  Struct,
  TimestampMillisecond,
  Utf8,
} from 'apache-arrow'
import type { Column, Table } from '../../Table.js'
import { isDateOnlyFormat } from '../parseDatetime.js'
import { KINDS_METADATA_KEY, kindsMetadata } from './kindsMetadata.js'

function arrowType(column: Column): DataType {
  switch (column.kind) {
    case 'numeric':
      return new Float64()
    case 'integer':
      return new Int64()
    case 'boolean':
      return new Bool()
    case 'datetime':
      return isDateOnlyFormat(column.format) ? new DateDay() : new TimestampMillisecond('UTC')
    default:
      return new Utf8()
  }
}

const DAY_MS = 86_400_000

/** Arrow validity bitmap (LSB first) from our mask, or none when there are no nulls. */
function bitmap(n: number, isValid: (i: number) => boolean): { nullCount: number; nullBitmap?: Uint8Array } {
  const bits = new Uint8Array(Math.ceil(n / 8))
  let nulls = 0
  for (let i = 0; i < n; i++) {
    if (isValid(i)) bits[i >> 3] = (bits[i >> 3] as number) | (1 << (i & 7))
    else nulls++
  }
  return nulls === 0 ? { nullCount: 0 } : { nullCount: nulls, nullBitmap: bits }
}

function utf8Data(
  n: number,
  valueAt: (i: number) => Uint8Array | null,
): { valueOffsets: Int32Array; data: Uint8Array } {
  const valueOffsets = new Int32Array(n + 1)
  let total = 0
  const parts: (Uint8Array | null)[] = new Array(n)
  for (let i = 0; i < n; i++) {
    const b = valueAt(i)
    parts[i] = b
    total += b === null ? 0 : b.length
    valueOffsets[i + 1] = total
  }
  const data = new Uint8Array(total)
  for (let i = 0; i < n; i++) {
    const b = parts[i]
    if (b !== null && b !== undefined) data.set(b, valueOffsets[i] as number)
  }
  return { valueOffsets, data }
}

/** Arrow data for one column, built from the typed arrays directly (no per-value builder calls). */
function arrowData(column: Column, type: DataType): Data {
  switch (column.kind) {
    case 'categorical': {
      const n = column.codes.length
      const dict = column.dictionary.map((v) => Buffer.from(v, 'utf8'))
      const { valueOffsets, data } = utf8Data(n, (i) => {
        const c = column.codes[i] as number
        return c < 0 ? null : (dict[c] as Uint8Array)
      })
      return makeData({
        type: type as Utf8,
        length: n,
        ...bitmap(n, (i) => (column.codes[i] as number) >= 0),
        valueOffsets,
        data,
      })
    }
    case 'text':
    case 'id': {
      const n = column.values.length
      const { valueOffsets, data } = utf8Data(n, (i) => {
        const v = column.values[i] ?? null
        return v === null ? null : Buffer.from(v, 'utf8')
      })
      return makeData({
        type: type as Utf8,
        length: n,
        ...bitmap(n, (i) => (column.values[i] ?? null) !== null),
        valueOffsets,
        data,
      })
    }
    case 'boolean': {
      const n = column.values.length
      const isValid = (i: number): boolean => column.valid === null || column.valid[i] !== 0
      const bits =
        bitmap(n, (i) => column.values[i] === 1 && isValid(i)).nullBitmap ?? new Uint8Array(Math.ceil(n / 8)).fill(255)
      return makeData({ type: type as Bool, length: n, ...bitmap(n, isValid), data: bits })
    }
    default: {
      const n = column.values.length
      const { values, valid } = column
      const isValid = (i: number): boolean => valid === null || valid[i] !== 0
      const mask = bitmap(n, isValid)
      if (column.kind === 'numeric') return makeData({ type: type as Float64, length: n, ...mask, data: values })
      if (column.kind === 'datetime' && isDateOnlyFormat(column.format)) {
        const days = new Int32Array(n)
        for (let i = 0; i < n; i++) if (isValid(i)) days[i] = Math.floor((values[i] as number) / DAY_MS)
        return makeData({ type: type as DateDay, length: n, ...mask, data: days })
      }
      const big = new BigInt64Array(n)
      for (let i = 0; i < n; i++) if (isValid(i)) big[i] = BigInt(Math.round(values[i] as number))
      if (column.kind === 'datetime')
        return makeData({ type: type as TimestampMillisecond, length: n, ...mask, data: big })
      return makeData({ type: type as Int64, length: n, ...mask, data: big })
    }
  }
}

/**
 * Streams tables into an Arrow IPC file (file format). Categorical columns are written as Utf8 with the ModelGate
 * kinds in the schema metadata (Arrow's file format cannot replace dictionaries between batches).
 */
export class ArrowSink {
  private writer: RecordBatchFileWriter | null = null
  private schema: Schema | null = null
  private out: WriteStream | null = null
  private done: Promise<void> | null = null
  private readonly tempPath: string

  constructor(tempPath: string) {
    this.tempPath = tempPath
  }

  async write(table: Table): Promise<void> {
    if (this.schema === null) {
      const fields = table.columns.map((c) => new Field(c.name, arrowType(c), true))
      this.schema = new Schema(fields, new Map([[KINDS_METADATA_KEY, kindsMetadata(table.columns)]]))
      this.writer = new RecordBatchFileWriter()
      this.out = createWriteStream(this.tempPath)
      const stream = this.writer.toNodeStream()
      const out = this.out
      this.done = new Promise<void>((resolve, reject) => {
        out.on('finish', () => resolve())
        out.on('error', reject)
        stream.on('error', reject)
      })
      stream.pipe(out)
    }
    const schema = this.schema
    const children = table.columns.map((c, k) => arrowData(c, (schema.fields[k] as Field).type))
    const data = makeData({
      type: new Struct(schema.fields),
      length: table.numRows,
      nullCount: 0,
      children: children as never,
    })
    ;(this.writer as RecordBatchFileWriter).write(new RecordBatch(schema, data))
  }

  async finish(empty: Table | null): Promise<void> {
    if (this.writer === null && empty !== null) await this.write(empty)
    this.writer?.finish()
    await this.done
  }

  abort(): void {
    this.out?.destroy()
  }
}
