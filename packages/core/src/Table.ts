/**
 * A columnar, Arrow-compatible in-memory table. Hot paths work on the typed arrays directly;
 * no per-row objects are created unless a caller asks for rows.
 *
 * Null conventions (explicit, never NaN-as-null):
 * - numeric/integer/datetime: `values[i]` is meaningless where `valid[i] === 0`;
 *   `valid === null` means no nulls at all.
 * - categorical: `codes[i] === -1` is null; otherwise an index into `dictionary`.
 * - boolean: `values[i]` is 0/1, `valid` as for numeric.
 * - text/id: `values[i] === null` is null.
 */
export type ColumnKind = 'numeric' | 'integer' | 'categorical' | 'boolean' | 'datetime' | 'text' | 'id'

export interface NumericColumn {
  readonly kind: 'numeric' | 'integer'
  readonly name: string
  readonly values: Float64Array
  readonly valid: Uint8Array | null
}

export interface DatetimeColumn {
  readonly kind: 'datetime'
  readonly name: string
  /** Epoch milliseconds (UTC). */
  readonly values: Float64Array
  readonly valid: Uint8Array | null
  /** The text format the values were read in (a date-fns-style pattern, e.g. `MMM d yyyy`), so writers reproduce it. */
  readonly format: string
}

export interface BooleanColumn {
  readonly kind: 'boolean'
  readonly name: string
  readonly values: Uint8Array
  readonly valid: Uint8Array | null
}

export interface CategoricalColumn {
  readonly kind: 'categorical'
  readonly name: string
  /** -1 is null. */
  readonly codes: Int32Array
  readonly dictionary: readonly string[]
}

export interface StringColumn {
  readonly kind: 'text' | 'id'
  readonly name: string
  readonly values: readonly (string | null)[]
}

export type Column = NumericColumn | DatetimeColumn | BooleanColumn | CategoricalColumn | StringColumn

export interface Table {
  readonly numRows: number
  readonly columns: readonly Column[]
}
