import type { Column } from '../../Table.js'
import { classifyNumber, parseNonFinite, parseNumber } from '../parseNumber.js'
import { type ColumnPlan, type ConvertContext, dictionaryCode, dictionarySnapshot } from './ColumnPlan.js'
import { badDelimiter, checkHeader, raggedRow, textAfterQuote, unterminatedQuote } from './csvErrors.js'
import { FNV_OFFSET, FNV_PRIME, hashBytes, RangeDictionary } from './RangeDictionary.js'
import { notFinite, typeMismatch } from './typeMismatch.js'

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
/** UTF-8 text of `buf[start, end)`. */
function decode(buf: Buffer, start: number, end: number): string {
  return buf.toString('utf8', start, end)
}

const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15]

/**
 * Incremental RFC 4180 parser. `parse(text, final)` consumes whole records from `text` into per-column arrays
 * (`null` for null values) and returns how many characters it consumed; the caller keeps the rest and passes it
 * again with more text. Quotes, doubled quotes, embedded newlines, CRLF/LF/CR line ends and any one-character
 * delimiter are handled. Fully empty lines are skipped. The first record is the header.
 */
const MODE_RAW = 0
const MODE_NUMBER = 1
const MODE_CATEGORY = 2
const MODE_SKIP = 3

export class CsvParser {
  header: string[] | null = null
  /** Raw text per column (`null` = null value) for columns in raw mode. */
  columns: (string | null)[][] = []
  /** Records held in the current batch. */
  rows = 0
  /** Data records handed out before the current batch (for 1-based row numbers in errors). */
  rowsBefore = 0
  /** 1-based line number of the next record. */
  line = 1
  private readonly delim: number
  private readonly opts: CsvParserOptions
  private readonly maxNullLength: number
  /** Per column: MODE_RAW (collect text), MODE_NUMBER (parse into a Float64Array), MODE_CATEGORY (dictionary codes). */
  private modes: Uint8Array = new Uint8Array(0)
  private plans: ColumnPlan[] = []
  private ctx: ConvertContext | null = null
  private capacity = 0
  private numbers: (Float64Array | null)[] = []
  private valids: (Uint8Array | null)[] = []
  private nullCounts: Int32Array = new Int32Array(0)
  private codes: (Int32Array | null)[] = []
  private lookups: (RangeDictionary | null)[] = []

  constructor(options: CsvParserOptions) {
    if (
      options.delimiter.length !== 1 ||
      options.delimiter === '"' ||
      options.delimiter === '\n' ||
      options.delimiter === '\r'
    ) {
      throw badDelimiter(options.delimiter)
    }
    this.opts = options
    this.delim = options.delimiter.charCodeAt(0)
    let max = 0
    for (const v of options.nullValues) max = Math.max(max, v.length)
    this.maxNullLength = max
  }

  /**
   * Once the kinds are known (after the first batch), numeric/integer and categorical columns are parsed straight
   * from the text into typed arrays, without a string per field. Other kinds keep collecting text.
   */
  enableTyped(
    plans: ColumnPlan[],
    ctx: Omit<ConvertContext, 'rowOffset'>,
    capacity: number,
    keep: readonly number[],
  ): void {
    const numericNull = [...this.opts.nullValues].some((v) => classifyNumber(v) !== 0)
    this.plans = plans
    this.ctx = { ...ctx, rowOffset: 0 }
    this.capacity = capacity
    this.modes = new Uint8Array(plans.length)
    this.numbers = plans.map(() => null)
    this.valids = plans.map(() => null)
    this.codes = plans.map(() => null)
    this.lookups = plans.map(() => null)
    this.nullCounts = new Int32Array(plans.length)
    plans.forEach((plan, k) => {
      if (!keep.includes(k)) this.modes[k] = MODE_SKIP
      else if ((plan.kind === 'numeric' || plan.kind === 'integer') && !numericNull) this.modes[k] = MODE_NUMBER
      else if (plan.kind === 'categorical') {
        this.modes[k] = MODE_CATEGORY
        const lookup = new RangeDictionary()
        for (let code = 0; code < plan.dictionary.length; code++) lookup.insert(plan.dictionary[code] as string, code)
        this.lookups[k] = lookup
      }
    })
    this.allocate()
  }

  /** Re-plans a column that was unresolved (all null so far) once its kind is known. */
  resolveColumn(k: number): void {
    const plan = this.plans[k]
    if (plan === undefined || this.modes[k] !== MODE_RAW) return
    if (plan.kind === 'categorical') {
      const lookup = new RangeDictionary()
      for (let code = 0; code < plan.dictionary.length; code++) lookup.insert(plan.dictionary[code] as string, code)
      this.lookups[k] = lookup
      this.modes[k] = MODE_CATEGORY
      this.codes[k] = new Int32Array(this.capacity)
    }
  }

  private allocate(): void {
    const n = this.capacity
    for (let k = 0; k < this.modes.length; k++) {
      const mode = this.modes[k]
      this.numbers[k] = mode === MODE_NUMBER ? new Float64Array(n) : null
      this.valids[k] = mode === MODE_NUMBER ? new Uint8Array(n) : null
      this.codes[k] = mode === MODE_CATEGORY ? new Int32Array(n) : null
    }
    this.nullCounts.fill(0)
  }

  /**
   * Hands out the batch and starts a new one: per column either raw text (`(string | null)[]`) or, in typed mode,
   * a finished column.
   */
  take(): ((string | null)[] | Column)[] {
    const n = this.rows
    const header = this.header ?? []
    const out: ((string | null)[] | Column)[] = header.map((name, k) => {
      const mode = this.modes[k] ?? MODE_RAW
      const plan = this.plans[k] as ColumnPlan
      if (mode === MODE_NUMBER) {
        const values =
          n === this.capacity ? (this.numbers[k] as Float64Array) : (this.numbers[k] as Float64Array).slice(0, n)
        const valid =
          (this.nullCounts[k] as number) === 0
            ? null
            : n === this.capacity
              ? (this.valids[k] as Uint8Array)
              : (this.valids[k] as Uint8Array).slice(0, n)
        return { kind: plan.kind as 'numeric' | 'integer', name, values, valid }
      }
      if (mode === MODE_CATEGORY) {
        const codes = n === this.capacity ? (this.codes[k] as Int32Array) : (this.codes[k] as Int32Array).slice(0, n)
        return { kind: 'categorical', name, codes, dictionary: dictionarySnapshot(plan) }
      }
      const col = this.columns[k] as (string | null)[]
      if (mode === MODE_SKIP) return col
      col.length = n
      return col
    })
    this.rowsBefore += n
    this.rows = 0
    this.columns = header.map(() => [])
    if (this.capacity > 0) this.allocate()
    return out
  }

  private ctxNow(): ConvertContext {
    return { ...(this.ctx as ConvertContext), rowOffset: this.rowsBefore }
  }

  private storeNumber(k: number, buf: Buffer, start: number, end: number, quoted: string | null, fast: number): void {
    const row = this.rows
    const values = this.numbers[k] as Float64Array
    const valid = this.valids[k] as Uint8Array
    let v = quoted === null ? fast : Number.NaN
    if (Number.isNaN(v)) {
      const s = quoted ?? decode(buf, start, end)
      if (s.length <= this.maxNullLength && this.opts.nullValues.has(s)) {
        valid[row] = 0
        this.nullCounts[k] = (this.nullCounts[k] as number) + 1
        return
      }
      const plan = this.plans[k] as ColumnPlan
      v = parseNumber(s)
      if (Number.isNaN(v)) v = parseNumber(s.trim()) // quoted numbers may carry spaces
      if (Number.isNaN(v)) {
        const nf = parseNonFinite(s.trim())
        if (nf === undefined) throw typeMismatch(plan, this.ctxNow(), row, s)
        if (!this.ctxNow().allowNonFinite) throw notFinite(plan, this.ctxNow(), row, s)
        v = nf
      } else if (!Number.isFinite(v) && !(this.ctx as ConvertContext).allowNonFinite)
        throw notFinite(plan, this.ctxNow(), row, s)
    }
    if (!Number.isInteger(v) && Number.isFinite(v)) {
      const plan = this.plans[k] as ColumnPlan
      if (plan.kind === 'integer') {
        if ((this.ctx as ConvertContext).widen && !plan.fromSchema) plan.kind = 'numeric'
        else throw typeMismatch(plan, this.ctxNow(), row, quoted ?? decode(buf, start, end))
      }
    }
    values[row] = v
    valid[row] = 1
  }

  private storeCategory(k: number, buf: Buffer, start: number, end: number, quoted: string | null, hash: number): void {
    const lookup = this.lookups[k] as RangeDictionary
    const plan = this.plans[k] as ColumnPlan
    const codes = this.codes[k] as Int32Array
    let code: number
    if (quoted === null) code = lookup.find(hash, buf, start, end)
    else {
      const bytes = Buffer.from(quoted, 'utf8')
      code = lookup.find(hashBytes(bytes, 0, bytes.length), bytes, 0, bytes.length)
    }
    if (code >= 0) {
      codes[this.rows] = code
      return
    }
    const s = quoted ?? decode(buf, start, end)
    if (s.length <= this.maxNullLength && this.opts.nullValues.has(s)) {
      codes[this.rows] = -1
      return
    }
    const added = dictionaryCode(plan, s)
    lookup.insert(s, added)
    codes[this.rows] = added
  }

  /**
   * Parses records from `text` until it runs out or `maxRows` records are held. Returns the number of characters
   * consumed (always at a record boundary). With `final`, the end of `text` ends the last record.
   */
  parse(buf: Buffer, from: number, final: boolean, maxRows: number): number {
    const len = buf.length
    const delim = this.delim
    const trim = this.opts.trim
    const trimTab = delim !== TAB
    const nulls = this.opts.nullValues
    const maxNull = this.maxNullLength
    let pos = from
    while (pos < len && this.rows < maxRows) {
      const recordStart = pos
      const recordLine = this.line
      // skip blank lines
      let c = buf[pos] as number
      if (c === LF) {
        pos++
        this.line++
        continue
      }
      if (c === CR) {
        if (pos + 1 >= len && !final) return recordStart
        pos += (buf[pos + 1] as number) === LF ? 2 : 1
        this.line++
        continue
      }
      const header = this.header
      const ncols = header === null ? 0 : header.length
      const cols = this.columns
      const modes = this.modes
      const fields: string[] | null = header === null ? [] : null
      let fieldIndex = 0
      let newlinesInRecord = 0
      let complete = false
      for (;;) {
        // one field
        if (trim) {
          while (pos < len) {
            c = buf[pos] as number
            if (c === SPACE || (c === TAB && trimTab)) pos++
            else break
          }
        }
        let value: string | null = null
        let fStart = 0
        let fEnd = 0
        let hash = 0
        let fastNumber = Number.NaN
        let fastHasDot = false
        c = pos < len ? (buf[pos] as number) : -1
        if (c === QUOTE) {
          pos++
          let segStart = pos
          let quoted = ''
          let closed = false
          for (;;) {
            const q = buf.indexOf(QUOTE, pos)
            if (q === -1) break
            if (q + 1 >= len && !final) break
            if ((buf[q + 1] as number) === QUOTE) {
              quoted += decode(buf, segStart, q + 1)
              pos = q + 2
              segStart = pos
              continue
            }
            quoted += decode(buf, segStart, q)
            pos = q + 1
            closed = true
            break
          }
          if (!closed) {
            if (!final) {
              this.line = recordLine
              return recordStart
            }
            throw unterminatedQuote(this.opts.file, this.rowsBefore + this.rows + 1, recordLine)
          }
          value = quoted
          for (let k = quoted.indexOf('\n'); k !== -1; k = quoted.indexOf('\n', k + 1)) newlinesInRecord++
          if (trim) {
            while (pos < len) {
              c = buf[pos] as number
              if (c === SPACE || (c === TAB && trimTab)) pos++
              else break
            }
          }
          c = pos < len ? (buf[pos] as number) : -1
          if (c !== delim && c !== LF && c !== CR && c !== -1) {
            throw textAfterQuote(
              this.opts.file,
              this.rowsBefore + this.rows + 1,
              recordLine + newlinesInRecord,
              String.fromCharCode(buf[pos] as number),
            )
          }
          if (c === -1 && !final) {
            this.line = recordLine
            return recordStart
          }
        } else {
          const start = pos
          const mode = fields === null ? modes[fieldIndex] : MODE_RAW
          if (mode === MODE_NUMBER) {
            // parse while scanning: -?digits[.digits] with at most 15 digits; anything else takes the slow path
            let mant = 0
            let nd = 0
            let scale = 0
            let dot = false
            let ok = true
            let neg = false
            if (pos < len) {
              c = buf[pos] as number
              if (c === 45) {
                neg = true
                pos++
              }
            }
            while (pos < len) {
              c = buf[pos] as number
              if (c === delim || c === LF || c === CR) break
              const d = c - 48
              if (d >= 0 && d <= 9) {
                mant = mant * 10 + d
                nd++
                if (dot) scale++
              } else if (c === 46 && !dot) dot = true
              else ok = false
              pos++
            }
            fastNumber =
              ok && nd > 0 && nd <= 15
                ? (neg ? -1 : 1) * (scale === 0 ? mant : mant / (POW10[scale] as number))
                : Number.NaN
            fastHasDot = dot
          } else if (mode === MODE_CATEGORY) {
            // hash while scanning so the dictionary lookup needs no second pass
            let h = FNV_OFFSET
            while (pos < len) {
              c = buf[pos] as number
              if (c === delim || c === LF || c === CR) break
              h = Math.imul(h ^ c, FNV_PRIME)
              pos++
            }
            hash = h
          } else {
            while (pos < len) {
              c = buf[pos] as number
              if (c === delim || c === LF || c === CR) break
              pos++
            }
          }
          if (pos >= len) {
            if (!final) {
              this.line = recordLine
              return recordStart
            }
            c = -1
          }
          let end = pos
          if (trim) {
            while (end > start) {
              const e = buf[end - 1] as number
              if (e === SPACE || (e === TAB && trimTab)) end--
              else break
            }
            if (end !== pos) hash = hashBytes(buf, start, end)
          }
          fStart = start
          fEnd = end
        }
        // store
        if (fields !== null) fields.push(value ?? decode(buf, fStart, fEnd))
        else if (fieldIndex < ncols) {
          const mode = modes[fieldIndex]
          if (mode === MODE_NUMBER) {
            // common case inline: an unquoted integer (no '.') parsed by the fast path
            if (value === null && !Number.isNaN(fastNumber) && !fastHasDot) {
              ;(this.numbers[fieldIndex] as Float64Array)[this.rows] = fastNumber
              ;(this.valids[fieldIndex] as Uint8Array)[this.rows] = 1
            } else this.storeNumber(fieldIndex, buf, fStart, fEnd, value, fastNumber)
          } else if (mode === MODE_CATEGORY) {
            // common case inline: an unquoted category already in the dictionary
            const code =
              value === null ? (this.lookups[fieldIndex] as RangeDictionary).find(hash, buf, fStart, fEnd) : -1
            if (code >= 0) (this.codes[fieldIndex] as Int32Array)[this.rows] = code
            else this.storeCategory(fieldIndex, buf, fStart, fEnd, value, hash)
          } else if (mode !== MODE_SKIP) {
            const v = value ?? decode(buf, fStart, fEnd)
            ;(cols[fieldIndex] as (string | null)[])[this.rows] = v.length <= maxNull && nulls.has(v) ? null : v
          }
        }
        fieldIndex++
        // separator
        if (c === delim) {
          pos++
          continue
        }
        if (c === CR) {
          if (pos + 1 >= len && !final) {
            this.line = recordLine
            return recordStart
          }
          pos += (buf[pos + 1] as number) === LF ? 2 : 1
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
      if (fieldIndex !== ncols)
        throw raggedRow(this.opts.file, this.rowsBefore + this.rows + 1, recordLine, ncols, fieldIndex)
      this.rows++
    }
    return pos
  }

  private setHeader(fields: string[], line: number): void {
    checkHeader(fields, this.opts.file, line)
    this.header = fields
    this.columns = fields.map(() => [])
    this.modes = new Uint8Array(fields.length)
  }
}
