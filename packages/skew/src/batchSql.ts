import type { ArgumentShape, OptionalDependency, Table } from '@modelgate/core'
import { checkArgument, importOptional } from '@modelgate/core'
import { z } from 'zod'
import { SkewError } from './errors.js'
import { batchSqlShape } from './internal/arguments.js'
import { attachKey } from './internal/attachKey.js'
import type { FeaturePath } from './types.js'

export interface BatchSqlOptions {
  /** Shown in reports (default `sql`). */
  readonly name?: string
  /** DuckDB worker threads (default: DuckDB's choice). */
  readonly threads?: number
}

/** DuckDB, an optional peer dependency: only this path needs it. */
const DUCKDB: OptionalDependency = {
  name: '@duckdb/node-api',
  version: '1.5.6-r.1',
  peerOf: '@modelgate/skew',
  neededFor: 'The SQL batch path (batchSql)',
}

const optionsArgument = z.object(batchSqlShape satisfies ArgumentShape<BatchSqlOptions>)

/**
 * A batch path that is SQL run by an embedded DuckDB over the input rows, which the query sees as a
 * table named `input` (datetimes as TIMESTAMP, categoricals as VARCHAR). The query must select the key.
 * DuckDB's native binding is loaded only when the path runs, so importing @modelgate/skew stays light.
 */
export function batchSql(sql: string, options: BatchSqlOptions = {}): FeaturePath {
  checkArgument(z.string(), sql, { call: 'batchSql(sql, options)', name: 'sql' })
  checkArgument(optionsArgument, options, { call: 'batchSql(sql, options)', name: 'options' })
  const name = options.name ?? 'sql'
  return {
    kind: 'batch',
    name,
    compute: async (input, context) => {
      const [{ DuckDBInstance }, { loadTable, queryTable }] = await importOptional(
        () => Promise.all([import('@duckdb/node-api'), import('./internal/duckdbTable.js')]),
        DUCKDB,
      )
      const instance = await DuckDBInstance.create(
        ':memory:',
        options.threads === undefined ? {} : { threads: String(options.threads) },
      )
      const connection = await instance.connect()
      try {
        await loadTable(connection, 'input', input)
        let output: Table
        try {
          output = await queryTable(connection, sql)
        } catch (cause) {
          throw new SkewError(
            'MG_SKEW_SQL_FAILED',
            `The batch SQL (${name}) failed: ${cause instanceof Error ? cause.message : String(cause)}`,
            {
              cause,
              hint: 'The input rows are the table "input"; select the key column and one column per feature.',
            },
          )
        }
        context.onProgress?.({ phase: context.phase ?? 'batch', path: name, done: input.numRows, total: input.numRows })
        return { table: attachKey(output, input, context.key, name), failures: [] }
      } finally {
        connection.closeSync()
        instance.closeSync()
      }
    },
  }
}
