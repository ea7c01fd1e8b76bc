import type { Column } from '@modelgate/core'
import { categoricalFromStrings } from '@modelgate/core'

/**
 * Builds a column from values of unknown type (parsed JSON from an online path). The kind is decided at
 * the end: all numbers → numeric, all booleans → boolean, all strings → categorical, mixed → text
 * (so that a type change between paths is reported, not hidden). Missing and null values are null.
 */
export class ColumnBuilder {
  readonly name: string
  private readonly numbers: Float64Array
  private readonly valid: Uint8Array
  private readonly strings: (string | null)[]
  private sawNumber = false
  private sawBoolean = false
  private sawString = false
  private sawOther = false

  constructor(name: string, length: number) {
    this.name = name
    this.numbers = new Float64Array(length)
    this.valid = new Uint8Array(length)
    this.strings = new Array<string | null>(length).fill(null)
  }

  set(i: number, value: unknown): void {
    if (value === null || value === undefined) return
    if (typeof value === 'number') {
      this.sawNumber = true
      if (Number.isNaN(value)) return
      this.numbers[i] = value
      this.valid[i] = 1
      this.strings[i] = String(value)
    } else if (typeof value === 'boolean') {
      this.sawBoolean = true
      this.numbers[i] = value ? 1 : 0
      this.valid[i] = 1
      this.strings[i] = String(value)
    } else if (typeof value === 'string') {
      this.sawString = true
      this.valid[i] = 1
      this.strings[i] = value
    } else {
      this.sawOther = true
      this.valid[i] = 1
      this.strings[i] = JSON.stringify(value)
    }
  }

  build(): Column {
    const kinds = Number(this.sawNumber) + Number(this.sawBoolean) + Number(this.sawString) + Number(this.sawOther)
    const allValid = !this.valid.includes(0)
    if (kinds <= 1 && this.sawNumber) {
      return { kind: 'numeric', name: this.name, values: this.numbers, valid: allValid ? null : this.valid }
    }
    if (kinds === 1 && this.sawBoolean) {
      const values = Uint8Array.from(this.numbers)
      return { kind: 'boolean', name: this.name, values, valid: allValid ? null : this.valid }
    }
    if (kinds === 1 && this.sawString) {
      return categoricalFromStrings(this.name, this.strings)
    }
    if (kinds === 0) {
      return { kind: 'numeric', name: this.name, values: this.numbers, valid: this.valid }
    }
    return { kind: 'text', name: this.name, values: this.strings }
  }
}
