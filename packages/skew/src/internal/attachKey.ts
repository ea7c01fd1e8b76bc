import type { Table } from '@modelgate/core'
import { SkewError } from '../errors.js'

/**
 * Makes sure a batch output carries the key column. A function path that keeps row order and count may
 * leave it out; then the input's key is attached by position. Anything else is an error.
 */
export function attachKey(output: Table, input: Table, key: string, pathName: string): Table {
  if (output.columns.some((c) => c.name === key)) return output
  const keyColumn = input.columns.find((c) => c.name === key)
  if (output.numRows === input.numRows && keyColumn !== undefined) {
    return { numRows: output.numRows, columns: [keyColumn, ...output.columns] }
  }
  throw new SkewError(
    'MG_SKEW_NO_KEY',
    `The output of ${pathName} has no key column "${key}" and ${output.numRows.toLocaleString('en-US')} rows for ${input.numRows.toLocaleString('en-US')} input rows, so its rows cannot be matched to the input.`,
    { hint: `Select the key column "${key}" in the output (e.g. SELECT ${key}, … in SQL).`, location: { column: key } },
  )
}
