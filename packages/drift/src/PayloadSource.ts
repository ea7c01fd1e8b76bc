import type { Table } from '@modelgate/core'

/** One payload: field name → value. */
export type PayloadRow = Readonly<Record<string, unknown>>

/** Rows, or columnar tables (e.g. from `streamTable`), in memory or streamed. */
export type PayloadSource = Table | Iterable<PayloadRow> | AsyncIterable<PayloadRow | Table>
