import type { ArgumentShape, Table, TableSchema } from '@modelgate/core'
import { checkArgument, tableSchema } from '@modelgate/core'
import { z } from 'zod'
import { readPayloads } from './readPayloads.js'
import { tableToPayloadRows } from './tableToPayloadRows.js'
import type { PayloadRow } from './types.js'

export interface ReadPayloadRowsOptions {
  /** Name of the file in error messages. */
  readonly displayName?: string
}

/** Every payload of a file (JSON lines, CSV, Parquet …) as JSON rows, datetimes as ISO strings (see `readPayloads`). */
export async function readPayloadRows(
  file: string,
  schema: TableSchema,
  options: ReadPayloadRowsOptions = {},
): Promise<PayloadRow[]> {
  const call = 'readPayloadRows(file, schema, options)'
  checkArgument(z.string(), file, { call, name: 'file' })
  checkArgument(tableSchema, schema, {
    call,
    name: 'schema',
    hint: 'pass an annotated schema (loadContractSchema or loadSchema returns one)',
  })
  checkArgument(
    z.object({ displayName: z.string().optional() } satisfies ArgumentShape<ReadPayloadRowsOptions>),
    options,
    {
      call,
      name: 'options',
    },
  )
  const rows: PayloadRow[] = []
  const source = await readPayloads(file, {
    schema,
    ...(options.displayName === undefined ? {} : { displayName: options.displayName }),
  })
  for await (const item of source) {
    if ('numRows' in item && 'columns' in item && Array.isArray(item.columns))
      rows.push(...tableToPayloadRows(item as Table, schema))
    else rows.push(item as PayloadRow)
  }
  return rows
}
