import type { Column, Table } from '@modelgate/core'
import { takeRows } from '@modelgate/core'
import type { RowFailure } from '../types.js'
import { ColumnBuilder } from './columnBuilder.js'

/**
 * Turns per-row feature records (null for failed rows) into a table: the key column of the input rows
 * that succeeded, then one column per field seen in any response, in first-seen order.
 */
export function buildOnlineOutput(
  records: readonly (Readonly<Record<string, unknown>> | null)[],
  keyColumn: Column,
  keyName: string,
): Table {
  const ok: number[] = []
  for (let i = 0; i < records.length; i++) if (records[i] !== null && records[i] !== undefined) ok.push(i)
  const builders = new Map<string, ColumnBuilder>()
  for (let j = 0; j < ok.length; j++) {
    const record = records[ok[j] as number] as Readonly<Record<string, unknown>>
    for (const field in record) {
      if (field === keyName) continue
      let b = builders.get(field)
      if (b === undefined) {
        b = new ColumnBuilder(field, ok.length)
        builders.set(field, b)
      }
      b.set(j, record[field])
    }
  }
  const key = takeRows({ numRows: records.length, columns: [keyColumn] }, ok).columns[0] as Column
  return { numRows: ok.length, columns: [key, ...[...builders.values()].map((b) => b.build())] }
}

export function failuresOf(keys: readonly (string | number)[], errors: readonly (string | null)[]): RowFailure[] {
  const out: RowFailure[] = []
  for (let i = 0; i < errors.length; i++) {
    const e = errors[i]
    if (e !== null && e !== undefined) out.push({ key: keys[i] as string | number, message: e })
  }
  return out
}
