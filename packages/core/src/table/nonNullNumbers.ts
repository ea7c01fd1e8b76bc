import { ModelGateError } from '../errors.js'
import type { Column } from '../Table.js'
import { isMaskedColumn } from './internal/columnLength.js'

/**
 * The non-null values of a numeric, integer, datetime (epoch ms) or boolean (0/1) column, in row order.
 * Throws `MG_TABLE_NOT_NUMERIC` for categorical and text columns.
 */
export function nonNullNumbers(column: Column): Float64Array {
  if (!isMaskedColumn(column)) {
    throw new ModelGateError(
      'MG_TABLE_NOT_NUMERIC',
      `Column "${column.name}" is ${column.kind}, expected a numeric, integer, datetime or boolean column.`,
      { location: { column: column.name } },
    )
  }
  const { values, valid } = column
  if (valid === null) return Float64Array.from(values)
  let count = 0
  for (let i = 0; i < valid.length; i++) count += valid[i] === 0 ? 0 : 1
  const out = new Float64Array(count)
  let j = 0
  for (let i = 0; i < values.length; i++) if (valid[i] !== 0) out[j++] = values[i] as number
  return out
}
