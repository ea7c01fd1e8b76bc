import type { Table } from '../../Table.js'
import { formatDatetime } from '../parseDatetime.js'
import type { ByteBuffer } from './ByteBuffer.js'
import { quoteCsv } from './formatText.js'
import { writeNumberAscii } from './writeNumberAscii.js'

const NUMBER = 0
const CATEGORY = 1
const BOOLEAN = 2
const STRING = 3
const DATETIME = 4

/** Room one number's text can take (String(x) is at most 26 characters). */
const NUMBER_BYTES = 32

/** One column of a chunk, in one object shape for every kind so the row loop's property reads stay monomorphic. */
class CellSource {
  constructor(
    readonly type: number,
    readonly f64: Float64Array | null,
    readonly u8: Uint8Array | null,
    readonly valid: Uint8Array | null,
    readonly codes: Int32Array | null,
    /** Categories (or `true`, `false`) as quoted UTF-8, back to back; entry c is bytes[offsets[c] … offsets[c + 1]). */
    readonly bytes: Uint8Array | null,
    readonly offsets: Int32Array | null,
    readonly strings: readonly (string | null)[] | null,
    readonly format: string,
  ) {}
}

/** Texts as quoted UTF-8 bytes back to back, with their offsets and the longest entry's length. */
function packTexts(
  texts: readonly string[],
  delimiter: string,
): { bytes: Uint8Array; offsets: Int32Array; max: number } {
  const parts = texts.map((t) => Buffer.from(quoteCsv(t, delimiter), 'utf8'))
  const offsets = new Int32Array(parts.length + 1)
  let max = 0
  parts.forEach((p, c) => {
    offsets[c + 1] = (offsets[c] as number) + p.length
    max = Math.max(max, p.length)
  })
  return { bytes: Buffer.concat(parts), offsets, max }
}

/** A chunk ready to encode: its columns and the bytes a row's fixed-width cells can take at most. */
export interface CsvChunk {
  readonly numRows: number
  readonly cells: readonly CellSource[]
  readonly rowBound: number
}

/**
 * CSV rows written straight into a byte buffer, row by row from the columns (no per-cell strings for numbers,
 * categories and booleans): the same bytes as joining each cell's text, RFC 4180 quoting included. Numbers are
 * never quoted (their text holds no delimiter a reader accepts), categories and booleans are quoted once per chunk,
 * text and datetimes per value.
 */
export class CsvEncoder {
  private readonly delimiter: string
  private readonly delimiterBytes: Uint8Array

  constructor(delimiter: string) {
    this.delimiter = delimiter
    this.delimiterBytes = Buffer.from(delimiter, 'utf8')
  }

  prepare(table: Table): CsvChunk {
    const d = this.delimiter
    let rowBound = 1 + this.delimiterBytes.length * table.columns.length
    const cells = table.columns.map((column) => {
      switch (column.kind) {
        case 'numeric':
        case 'integer':
          rowBound += NUMBER_BYTES
          return new CellSource(NUMBER, column.values, null, column.valid, null, null, null, null, '')
        case 'categorical': {
          const { bytes, offsets, max } = packTexts(column.dictionary, d)
          rowBound += max
          return new CellSource(CATEGORY, null, null, null, column.codes, bytes, offsets, null, '')
        }
        case 'boolean': {
          const { bytes, offsets, max } = packTexts(['false', 'true'], d)
          rowBound += max
          return new CellSource(BOOLEAN, null, column.values, column.valid, null, bytes, offsets, null, '')
        }
        case 'datetime':
          return new CellSource(DATETIME, column.values, null, column.valid, null, null, null, null, column.format)
        default:
          return new CellSource(STRING, null, null, null, null, null, null, column.values, '')
      }
    })
    return { numRows: table.numRows, cells, rowBound }
  }

  /**
   * Encodes rows from `from` on into `out`, stopping after the first row that takes `out.pos` to `until` or past it;
   * returns the next row to encode (`chunk.numRows` when done).
   */
  encodeRows(chunk: CsvChunk, from: number, out: ByteBuffer, until: number): number {
    const { cells, rowBound, numRows } = chunk
    const ncols = cells.length
    const delim = this.delimiterBytes
    const dl = delim.length
    const d0 = delim[0] as number
    let buf = out.buf
    let pos = out.pos
    let i = from
    while (i < numRows) {
      if (pos + rowBound > buf.length) {
        out.pos = pos
        out.ensure(rowBound)
        buf = out.buf
      }
      for (let k = 0; k < ncols; k++) {
        if (k > 0) {
          if (dl === 1) buf[pos++] = d0
          else for (let j = 0; j < dl; j++) buf[pos++] = delim[j] as number
        }
        const c = cells[k] as CellSource
        switch (c.type) {
          case NUMBER: {
            const valid = c.valid
            if (valid === null || valid[i] !== 0) pos = writeNumberAscii(buf, pos, (c.f64 as Float64Array)[i] as number)
            break
          }
          case CATEGORY: {
            const code = (c.codes as Int32Array)[i] as number
            const offsets = c.offsets as Int32Array
            if (code >= 0 && code < offsets.length - 1) {
              const bytes = c.bytes as Uint8Array
              const end = offsets[code + 1] as number
              for (let j = offsets[code] as number; j < end; j++) buf[pos++] = bytes[j] as number
            }
            break
          }
          case BOOLEAN: {
            const valid = c.valid
            if (valid === null || valid[i] !== 0) {
              const offsets = c.offsets as Int32Array
              const bytes = c.bytes as Uint8Array
              const which = (c.u8 as Uint8Array)[i] === 1 ? 1 : 0
              const end = offsets[which + 1] as number
              for (let j = offsets[which] as number; j < end; j++) buf[pos++] = bytes[j] as number
            }
            break
          }
          default: {
            let text: string | null
            if (c.type === DATETIME) {
              const valid = c.valid
              text =
                valid !== null && valid[i] === 0 ? null : formatDatetime((c.f64 as Float64Array)[i] as number, c.format)
            } else text = (c.strings as readonly (string | null)[])[i] ?? null
            if (text === null || text === '') break
            const quoted = quoteCsv(text, this.delimiter)
            out.pos = pos
            out.ensure(quoted.length * 3 + rowBound)
            buf = out.buf
            pos += buf.write(quoted, pos, 'utf8')
          }
        }
      }
      buf[pos++] = 10
      i++
      if (pos >= until) break
    }
    out.pos = pos
    return i
  }
}
