import { ModelGateError } from '../../errors.js'

export interface CsvParserOptions {
  readonly file: string
  readonly delimiter: string
  readonly trim: boolean
  readonly nullValues: ReadonlySet<string>
}

const QUOTE = 34
const CR = 13
const LF = 10
const SPACE = 32
const TAB = 9

/**
 * Incremental RFC 4180 parser. `parse(text, final)` consumes whole records from `text` into per-column arrays
 * (`null` for null values) and returns how many characters it consumed; the caller keeps the rest and passes it
 * again with more text. Quotes, doubled quotes, embedded newlines, CRLF/LF/CR line ends and any one-character
 * delimiter are handled. Fully empty lines are skipped. The first record is the header.
 */
export class CsvParser {
  header: string[] | null = null
  columns: (string | null)[][] = []
  /** Records in `columns`. */
  rows = 0
  /** Data records parsed before the current `columns` (for 1-based row numbers in errors). */
  rowsBefore = 0
  /** 1-based line number of the next record. */
  line = 1
  private readonly delim: number
  private readonly opts: CsvParserOptions
  private readonly maxNullLength: number

  constructor(options: CsvParserOptions) {
    if (options.delimiter.length !== 1 || options.delimiter === '"' || options.delimiter === '\n' || options.delimiter === '\r') {
      throw new ModelGateError('MG_CSV_BAD_DELIMITER', `The CSV delimiter must be one character other than a quote or newline, got ${JSON.stringify(options.delimiter)}.`)
    }
    this.opts = options
    this.delim = options.delimiter.charCodeAt(0)
    let max = 0
    for (const v of options.nullValues) max = Math.max(max, v.length)
    this.maxNullLength = max
  }

  /** Hands out the parsed records and starts a new batch. */
  take(): (string | null)[][] {
    const cols = this.columns
    this.rowsBefore += this.rows
    this.rows = 0
    this.columns = (this.header ?? []).map(() => [])
    return cols
  }

  /**
   * Parses records from `text` until it runs out or `maxRows` records are held. Returns the number of characters
   * consumed (always at a record boundary). With `final`, the end of `text` ends the last record.
   */
  parse(text: string, final: boolean, maxRows: number): number {
    const len = text.length
    const delim = this.delim
    const trim = this.opts.trim
    const trimTab = delim !== TAB
    const nulls = this.opts.nullValues
    const maxNull = this.maxNullLength
    let pos = 0
    while (pos < len && this.rows < maxRows) {
      const recordStart = pos
      const recordLine = this.line
      // skip blank lines
      let c = text.charCodeAt(pos)
      if (c === LF) {
        pos++
        this.line++
        continue
      }
      if (c === CR) {
        if (pos + 1 >= len && !final) return recordStart
        pos += text.charCodeAt(pos + 1) === LF ? 2 : 1
        this.line++
        continue
      }
      const header = this.header
      const ncols = header === null ? 0 : header.length
      const cols = this.columns
      const fields: string[] | null = header === null ? [] : null
      let fieldIndex = 0
      let newlinesInRecord = 0
      let complete = false
      for (;;) {
        // one field
        if (trim) {
          while (pos < len) {
            c = text.charCodeAt(pos)
            if (c === SPACE || (c === TAB && trimTab)) pos++
            else break
          }
        }
        let value: string
        c = pos < len ? text.charCodeAt(pos) : -1
        if (c === QUOTE) {
          pos++
          let segStart = pos
          value = ''
          let closed = false
          for (;;) {
            const q = text.indexOf('"', pos)
            if (q === -1) break
            if (q + 1 >= len && !final) break
            if (text.charCodeAt(q + 1) === QUOTE) {
              value += text.slice(segStart, q + 1)
              pos = q + 2
              segStart = pos
              continue
            }
            value += text.slice(segStart, q)
            pos = q + 1
            closed = true
            break
          }
          if (!closed) {
            if (!final) {
              this.rollback(fieldIndex)
              this.line = recordLine
              return recordStart
            }
            throw new ModelGateError(
              'MG_CSV_UNTERMINATED_QUOTE',
              `${this.opts.file} row ${(this.rowsBefore + this.rows + 1).toLocaleString('en-US')} (line ${recordLine}): a quoted field is never closed.`,
              { hint: 'Check for a stray " in this row; quotes inside a quoted field are written "".', location: { file: this.opts.file, row: this.rowsBefore + this.rows + 1 } },
            )
          }
          for (let k = value.indexOf('\n'); k !== -1; k = value.indexOf('\n', k + 1)) newlinesInRecord++
          if (trim) {
            while (pos < len) {
              c = text.charCodeAt(pos)
              if (c === SPACE || (c === TAB && trimTab)) pos++
              else break
            }
          }
          c = pos < len ? text.charCodeAt(pos) : -1
          if (c !== delim && c !== LF && c !== CR && c !== -1) {
            throw new ModelGateError(
              'MG_CSV_MALFORMED_QUOTE',
              `${this.opts.file} row ${(this.rowsBefore + this.rows + 1).toLocaleString('en-US')} (line ${recordLine + newlinesInRecord}): unexpected ${JSON.stringify(text[pos])} after a closing quote.`,
              { hint: 'A quoted field must end right before the delimiter or line end; write quotes inside it as "".', location: { file: this.opts.file, row: this.rowsBefore + this.rows + 1 } },
            )
          }
          if (c === -1 && !final) {
            this.rollback(fieldIndex)
            this.line = recordLine
            return recordStart
          }
        } else {
          const start = pos
          while (pos < len) {
            c = text.charCodeAt(pos)
            if (c === delim || c === LF || c === CR) break
            pos++
          }
          if (pos >= len) {
            if (!final) {
              this.rollback(fieldIndex)
              this.line = recordLine
              return recordStart
            }
            c = -1
          }
          let end = pos
          if (trim) {
            while (end > start) {
              const e = text.charCodeAt(end - 1)
              if (e === SPACE || (e === TAB && trimTab)) end--
              else break
            }
          }
          value = text.slice(start, end)
        }
        // store
        if (fields !== null) fields.push(value)
        else if (fieldIndex < ncols) (cols[fieldIndex] as (string | null)[]).push(value.length <= maxNull && nulls.has(value) ? null : value)
        fieldIndex++
        // separator
        if (c === delim) {
          pos++
          continue
        }
        if (c === CR) {
          if (pos + 1 >= len && !final) {
            this.rollback(fieldIndex)
            this.line = recordLine
            return recordStart
          }
          pos += text.charCodeAt(pos + 1) === LF ? 2 : 1
        } else if (c === LF) pos++
        complete = true
        break
      }
      if (!complete) break
      this.line = recordLine + newlinesInRecord + 1
      if (fields !== null) {
        this.setHeader(fields, recordLine)
        continue
      }
      if (fieldIndex !== ncols) {
        const row = this.rowsBefore + this.rows + 1
        throw new ModelGateError(
          'MG_CSV_RAGGED_ROW',
          `${this.opts.file} row ${row.toLocaleString('en-US')} (line ${recordLine}): expected ${ncols} fields like the header, got ${fieldIndex}.`,
          {
            hint: fieldIndex > ncols ? 'Quote fields that contain the delimiter, or pass the right delimiter.' : 'Every row needs one field per header column; leave missing values empty.',
            location: { file: this.opts.file, row },
          },
        )
      }
      this.rows++
    }
    return pos
  }

  private rollback(fieldsPushed: number): void {
    if (this.header === null) return
    const n = Math.min(fieldsPushed, this.header.length)
    for (let k = 0; k < n; k++) (this.columns[k] as (string | null)[]).pop()
  }

  private setHeader(fields: string[], line: number): void {
    const seen = new Set<string>()
    fields.forEach((name, k) => {
      if (name === '') {
        throw new ModelGateError('MG_CSV_BAD_HEADER', `${this.opts.file} line ${line}: header column ${k + 1} has no name.`, {
          hint: 'The first row must name every column.',
          location: { file: this.opts.file },
        })
      }
      if (seen.has(name)) {
        throw new ModelGateError('MG_CSV_BAD_HEADER', `${this.opts.file} line ${line}: header names column "${name}" twice.`, {
          hint: 'Column names must be unique.',
          location: { file: this.opts.file, column: name },
        })
      }
      seen.add(name)
    })
    this.header = fields
    this.columns = fields.map(() => [])
  }
}
