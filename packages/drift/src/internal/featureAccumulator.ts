import type { Column, Table } from '@modelgate/core'
import { quantiles } from '@modelgate/stats'
import type { FeatureExpectation } from '../expectations.js'

/**
 * Streaming per-feature counts for distribution checks. Numbers go into a growable Float64Array (for exact
 * quantiles); categories are counted per dictionary code for tables, so no per-row objects are created.
 */
export class FeatureAccumulator {
  readonly name: string
  rows = 0
  missing = 0
  nulls = 0
  wrongType = 0
  private numbers = new Float64Array(1024)
  private numberCount = 0
  readonly categories = new Map<string, number>()
  private readonly numeric: boolean
  private readonly categorical: boolean

  constructor(readonly expectation: FeatureExpectation) {
    this.name = expectation.name
    this.numeric = expectation.kind === 'numeric' || expectation.kind === 'integer'
    this.categorical = expectation.allowedValues !== undefined
  }

  private reserve(extra: number): void {
    if (this.numberCount + extra <= this.numbers.length) return
    let size = this.numbers.length * 2
    while (size < this.numberCount + extra) size *= 2
    const grown = new Float64Array(size)
    grown.set(this.numbers.subarray(0, this.numberCount))
    this.numbers = grown
  }

  private pushNumber(v: number): void {
    if (this.numberCount === this.numbers.length) {
      const grown = new Float64Array(this.numbers.length * 2)
      grown.set(this.numbers)
      this.numbers = grown
    }
    this.numbers[this.numberCount++] = v
  }

  private countCategory(v: string, by = 1): void {
    this.categories.set(v, (this.categories.get(v) ?? 0) + by)
  }

  /** One JSON payload value; `undefined` means the field is absent. */
  addValue(value: unknown): void {
    this.rows++
    if (value === undefined) {
      this.missing++
      return
    }
    if (value === null) {
      this.nulls++
      return
    }
    if (this.numeric) {
      if (typeof value === 'number' && Number.isFinite(value)) this.pushNumber(value)
      else this.wrongType++
    } else if (this.categorical) {
      if (typeof value === 'string') this.countCategory(value)
      else this.wrongType++
    }
  }

  /** A whole column of a table chunk (or `undefined` when the chunk lacks the column). */
  addColumn(column: Column | undefined, numRows: number): void {
    this.rows += numRows
    if (column === undefined) {
      this.missing += numRows
      return
    }
    switch (column.kind) {
      case 'numeric':
      case 'integer':
      case 'datetime':
      case 'boolean': {
        const { values, valid } = column
        if (valid === null && this.numeric && (column.kind === 'numeric' || column.kind === 'integer')) {
          // No nulls: one bulk copy instead of a loop.
          this.reserve(numRows)
          this.numbers.set(values.subarray(0, numRows), this.numberCount)
          this.numberCount += numRows
          return
        }
        for (let i = 0; i < numRows; i++) {
          if (valid !== null && valid[i] === 0) this.nulls++
          else if (this.numeric && column.kind !== 'boolean' && column.kind !== 'datetime')
            this.pushNumber(values[i] as number)
          else if (this.numeric || this.categorical) this.wrongType++
        }
        return
      }
      case 'categorical': {
        const counts = new Int32Array(column.dictionary.length)
        for (let i = 0; i < numRows; i++) {
          const code = column.codes[i] as number
          if (code < 0) this.nulls++
          else counts[code] = (counts[code] as number) + 1
        }
        for (let c = 0; c < counts.length; c++) {
          const n = counts[c] as number
          if (n === 0) continue
          if (this.categorical) this.countCategory(column.dictionary[c] as string, n)
          else if (this.numeric) this.wrongType += n
        }
        return
      }
      default: {
        for (let i = 0; i < numRows; i++) {
          const v = column.values[i]
          if (v === null || v === undefined) this.nulls++
          else if (this.categorical) this.countCategory(v)
          else if (this.numeric) this.wrongType++
        }
      }
    }
  }

  addTable(table: Table): void {
    this.addColumn(
      table.columns.find((c) => c.name === this.name),
      table.numRows,
    )
  }

  /** The non-null numbers seen, sorted ascending. */
  sortedNumbers(): Float64Array {
    return this.numbers.slice(0, this.numberCount).sort()
  }

  /** Number of non-null numbers seen. */
  get numberTotal(): number {
    return this.numberCount
  }

  /** Type-7 quantiles of the numbers seen, by selection (no full sort); reorders the internal buffer. */
  quantiles(ps: readonly number[]): number[] {
    if (this.numberCount === 0) return ps.map(() => Number.NaN)
    return Array.from(quantiles(this.numbers.subarray(0, this.numberCount), ps, { inPlace: true }))
  }
}
