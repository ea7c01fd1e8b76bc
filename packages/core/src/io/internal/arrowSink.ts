import { createWriteStream, type WriteStream } from 'node:fs'
import {
  Bool,
  type DataType,
  DateDay,
  Field,
  Float64,
  Int64,
  RecordBatch,
  RecordBatchFileWriter,
  Schema,
  Struct,
  TimestampMillisecond,
  Utf8,
  makeData,
  vectorFromArray,
} from 'apache-arrow'
import type { Column, Table } from '../../Table.js'
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
      return column.format === 'date' ? new DateDay() : new TimestampMillisecond('UTC')
    default:
      return new Utf8()
  }
}

function arrowValues(column: Column): unknown[] {
  const n = column.kind === 'categorical' ? column.codes.length : column.values.length
  const out: unknown[] = new Array(n)
  for (let i = 0; i < n; i++) {
    switch (column.kind) {
      case 'categorical': {
        const c = column.codes[i] as number
        out[i] = c < 0 ? null : column.dictionary[c]
        break
      }
      case 'text':
      case 'id':
        out[i] = column.values[i] ?? null
        break
      case 'boolean':
        out[i] = column.valid !== null && column.valid[i] === 0 ? null : column.values[i] === 1
        break
      case 'integer':
        out[i] = column.valid !== null && column.valid[i] === 0 ? null : BigInt(Math.round(column.values[i] as number))
        break
      case 'datetime':
        out[i] = column.valid !== null && column.valid[i] === 0 ? null : new Date(column.values[i] as number)
        break
      default:
        out[i] = column.valid !== null && column.valid[i] === 0 ? null : column.values[i]
    }
  }
  return out
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
    const children = table.columns.map((c, k) => vectorFromArray(arrowValues(c), (schema.fields[k] as Field).type).data[0])
    const data = makeData({ type: new Struct(schema.fields), length: table.numRows, nullCount: 0, children: children as never })
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
