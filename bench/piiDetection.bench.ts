// PII detection quality on the labelled corpus (packages/core/test/fixtures/pii-corpus): recall, precision and
// type accuracy of core's detectPii over every column, and its speed. Run: node --import tsx bench/piiDetection.bench.ts
// (or `pnpm bench piiDetection`).
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { PiiType, Table } from '@modelgate/core'
import { detectPii, readTable } from '@modelgate/core'

const dir = fileURLToPath(new URL('../packages/core/test/fixtures/pii-corpus/', import.meta.url))
const labels = JSON.parse(readFileSync(join(dir, 'labels.json'), 'utf8')) as Record<
  string,
  Record<string, PiiType | null>
>
const tables: [Table, Record<string, PiiType | null>][] = []
for (const [file, columns] of Object.entries(labels)) tables.push([await readTable(join(dir, file)), columns])

let tp = 0
let fp = 0
let fn = 0
let rightType = 0
const t0 = performance.now()
for (const [table, columns] of tables) {
  for (const column of table.columns) {
    const label = columns[column.name] ?? null
    const found = detectPii(column, table.numRows)?.type ?? null
    if (label !== null && found !== null) {
      tp++
      if (found === label) rightType++
    } else if (label !== null) fn++
    else if (found !== null) fp++
  }
}
const ms = performance.now() - t0
const columns = tables.reduce((n, [t]) => n + t.columns.length, 0)
const line = (name: string, value: number, unit: string, target?: string): void => {
  process.stdout.write(`${JSON.stringify({ name, value, unit, ...(target === undefined ? {} : { target }) })}\n`)
}
line(`pii detection recall (${tp + fn} PII columns of ${columns})`, tp / (tp + fn), 'share', '≥ 0.95')
line(`pii detection precision (${tp + fp} columns flagged)`, tp / Math.max(1, tp + fp), 'share', '≥ 0.9')
line('pii detection type accuracy (flagged PII columns)', rightType / Math.max(1, tp), 'share')
line(`pii detection time (${columns} columns × 200 rows)`, ms, 'ms')
