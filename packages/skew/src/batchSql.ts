import type { Table } from '@modelgate/core'
import { SkewError } from './errors.js'
import { attachKey } from './internal/attachKey.js'
import type { FeaturePath } from './types.js'

export interface BatchSqlOptions {
  /** Shown in reports (default `sql`). */
  readonly name?: string
  /** DuckDB worker threads (default: DuckDB's choice). */
  readonly threads?: number
}

/**
 * A batch path that is SQL run by an embedded DuckDB over the input rows, which the query sees as a
 * table named `input` (datetimes as TIMESTAMP, categoricals as VARCHAR). The query must select the key.
 * DuckDB's native binding is loaded only when the path runs, so importing @modelgate/skew stays light.
 */
export function batchSql(sql: string, options: BatchSqlOptions = {}): FeaturePath {
  const name = options.name ?? 'sql'
  return {
    kind: 'batch',
    name,
    compute: async (input, context) => {
      const [{ DuckDBInstance }, { loadTable, queryTable }] = await Promise.all([
        import('@duckdb/node-api'),
        import('./internal/duckdbTable.js'),
      ])
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
