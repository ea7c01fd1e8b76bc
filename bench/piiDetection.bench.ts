// PII detection quality on the labelled corpus (packages/core/test/fixtures/pii-corpus): recall, precision and
// type accuracy of core's detectPii over every column, and its speed. Run: node --import tsx bench/piiDetection.bench.ts
// (or `pnpm bench piiDetection`). Also times the entity-memorization rule (findQuasiIdentifiers) on 1M rows.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Column, PiiType, Table } from '@modelgate/core'
import {
  categoricalFromStrings,
  createRandom,
  detectPii,
  findQuasiIdentifiers,
  readTable,
  tableFromColumns,
} from '@modelgate/core'

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

// The entity-memorization rule on 1M rows: 100,000 customers × 10 rows (name, phone and note repeated per
// customer; amount, channel and time per row), and on the same rows without repeated customers.
const rng = createRandom(12, 'bench quasi-identifiers')
const N = 1_000_000
const build = (customers: number): Table =>
  tableFromColumns([
    categoricalFromStrings(
      'customer',
      Array.from({ length: N }, (_, i) => `customer-${i % customers}`),
    ),
    numeric('phone', (i) => 2_125_550_000 + (i % customers) * 37),
    categoricalFromStrings(
      'note',
      Array.from({ length: N }, (_, i) => `note ${i % customers}`),
    ),
    numeric('amount', () => Math.round(rng.uniform() * 10_000) / 100),
    categoricalFromStrings(
      'channel',
      Array.from({ length: N }, () => rng.pick(['web', 'app', 'store'])),
    ),
    numeric('created', (i) => 1_767_225_600_000 + i * 1000),
  ])
function numeric(name: string, value: (i: number) => number): Column {
  return { name, kind: 'numeric', values: Float64Array.from({ length: N }, (_, i) => value(i)), valid: null }
}
for (const [label, customers] of [
  ['100k customers × 10 rows', 100_000],
  ['1M distinct customers', N],
] as const) {
  const table = build(customers)
  const t = performance.now()
  const cpu = process.cpuUsage()
  const found = findQuasiIdentifiers(table)
  const used = process.cpuUsage(cpu)
  const name = `findQuasiIdentifiers 1M rows × 6 columns, ${label} (${found.map((q) => q.column).join(', ') || 'none'} found)`
  line(name, (performance.now() - t) / 1000, 's')
  line(`${name}, CPU time`, (used.user + used.system) / 1e6, 'cpu-s')
}
