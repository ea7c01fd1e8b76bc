// Writes the Parquet fixtures of @modelgate/core with DuckDB (a third-party writer), one file per codec, plus the
// values DuckDB reads back from them, so tests check our reader against another implementation.
// Run: node scripts/make-parquet-fixtures.mjs   (re-run only when the fixtures must change; the output is committed)

import { mkdirSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const require = createRequire(path.join(root, 'packages/core/package.json'))
const { DuckDBInstance } = await import(require.resolve('@duckdb/node-api'))
const outDir = path.join(root, 'packages/core/test/fixtures/parquet')
mkdirSync(outDir, { recursive: true })

const instance = await DuckDBInstance.create(':memory:')
const db = await instance.connect()
// 300 deterministic rows: integers, doubles with nulls, a low-cardinality string, booleans, dates, timestamps,
// a BIGINT and a unique free-text column. Row groups of 100 rows so readers must cross row-group boundaries.
await db.run(`
  CREATE TABLE t AS
  SELECT
    i::INTEGER AS id,
    CASE WHEN i % 7 = 0 THEN NULL ELSE round(i * 1.25 - 40.5, 2)::DOUBLE END AS amount,
    (['red', 'green', 'blue', 'yellow'])[1 + i % 4] AS color,
    (i % 3 = 0) AS flag,
    DATE '2024-01-01' + INTERVAL (i) DAY AS day,
    TIMESTAMP '2024-03-01 08:00:00' + INTERVAL (i * 3601) SECOND AS ts,
    (i::BIGINT * 1000003) AS big,
    'note number ' || i::VARCHAR AS note
  FROM range(300) r(i)
`)
await db.run(`ALTER TABLE t ALTER day TYPE DATE`)
for (const codec of ['snappy', 'gzip', 'zstd']) {
  const file = path.join(outDir, `duckdb-${codec}.parquet`)
  await db.run(`COPY t TO '${file}' (FORMAT parquet, COMPRESSION '${codec}', ROW_GROUP_SIZE 100)`)
}
// Parquet format v2 (DATA_PAGE_V2 pages, DELTA_BINARY_PACKED / DELTA_LENGTH_BYTE_ARRAY / BYTE_STREAM_SPLIT encodings).
await db.run(
  `COPY t TO '${path.join(outDir, 'duckdb-zstd-v2.parquet')}' (FORMAT parquet, COMPRESSION 'zstd', ROW_GROUP_SIZE 100, PARQUET_VERSION V2)`,
)
// A nested column (LIST of VARCHAR) takes the general (non-flat) read path; lists are read as JSON text.
await db.run(`COPY (SELECT i::INTEGER AS id, CASE WHEN i % 5 = 0 THEN NULL ELSE ['a', 'b' || i::VARCHAR] END AS tags
  FROM range(20) r(i)) TO '${path.join(outDir, 'duckdb-nested.parquet')}' (FORMAT parquet, COMPRESSION 'zstd')`)
const reader = await db.runAndReadAll(`
  SELECT count(*)::INTEGER AS rows, count(amount)::INTEGER AS amount_non_null, sum(amount)::DOUBLE AS amount_sum,
         sum(CASE WHEN flag THEN 1 ELSE 0 END)::INTEGER AS flag_true, sum(big)::DOUBLE AS big_sum,
         strftime(min(day), '%Y-%m-%d') AS day_min, strftime(max(ts), '%Y-%m-%dT%H:%M:%SZ') AS ts_max,
         count(DISTINCT color)::INTEGER AS colors
  FROM t`)
const [summary] = reader.getRowObjectsJson()
const firstRows = (
  await db.runAndReadAll(`SELECT id, amount, color, flag, strftime(day, '%Y-%m-%d') AS day,
  strftime(ts, '%Y-%m-%dT%H:%M:%SZ') AS ts, big::DOUBLE AS big, note FROM t ORDER BY id LIMIT 8`)
).getRowObjectsJson()
writeFileSync(
  path.join(outDir, 'duckdb-expected.json'),
  `${JSON.stringify({ writer: 'duckdb 1.5.6 (@duckdb/node-api 1.5.6-r.1)', summary, firstRows }, null, 2)}\n`,
)
db.closeSync?.()
console.log(`wrote ${outDir}`)
