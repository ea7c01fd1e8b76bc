// The real-table corpus at full size (issue #13): schema infer → synth train → generate → evaluate through the CLI
// with no flags on each vega-datasets table (bench rows: all, or `benchRows`), next to the copula on UCI Adult run
// the same way. Run: node --import tsx bench/corpus.bench.ts [id,…]   (or `pnpm bench corpus`)
// Prints JSON lines { name, value, unit } and, on stderr, the markdown table recorded in bench/RESULTS.md.
import { mkdtempSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { CorpusTable } from '../test/corpus/corpusTables.js'
import { CORPUS } from '../test/corpus/corpusTables.js'
import { runCorpusPipeline } from '../test/corpus/runCorpusPipeline.js'

const here = fileURLToPath(new URL('.', import.meta.url))
const ADULT: CorpusTable = {
  id: 'adult (reference)',
  file: 'adult.csv',
  path: resolve(here, '../test/data/adult.csv'),
  rows: 32561,
  testRows: 32561,
  licence: 'CC BY 4.0 (UCI)',
  traits: 'CSV; the tidy reference table',
}

const only = process.argv[2]?.split(',')
const tables = [ADULT, ...CORPUS].filter((t) => only === undefined || only.includes(t.id))
const dir = mkdtempSync(join(tmpdir(), 'modelgate-corpus-bench-'))
const fmt = (x: number | undefined): string => (x === undefined ? '—' : x.toFixed(3))
const lines: string[] = [
  '| table | rows | format | columns | learned | regenerated (text/id) | PII | Column Shapes | Pair Trends | overall | train s | load |',
  '|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
]
try {
  for (const table of tables) {
    const rows = table.benchRows ?? table.rows
    const r = await runCorpusPipeline(table, mkdtempSync(join(dir, 'x-')), rows)
    const failed = Object.entries(r.steps).filter(([, s]) => s.code !== 0)
    const count = (t: string): number => r.columns.filter((c) => c.treatment === t).length
    const q = r.quality
    const load = loadavg()[0] ?? 0
    lines.push(
      `| ${table.id} | ${r.rows.toLocaleString('en-US')} | ${table.file.split('.').pop()} | ${r.columns.length} | ${count('learned')} | ${count('regenerated')} | ${count('pii')} | ${fmt(q?.columnShapes)} | ${fmt(q?.columnPairTrends)} | ${fmt(q?.overall)} | ${r.steps.train.seconds.toFixed(1)} | ${load.toFixed(1)} |`,
    )
    if (failed.length > 0)
      process.stderr.write(
        `${table.id}: ${failed.map(([n, s]) => `${n} exit ${s.code}: ${s.err.slice(0, 300)}`).join('; ')}\n`,
      )
    if (r.lostColumns.length > 0 || r.datetimeProblems.length > 0 || r.reproduced.length > 0)
      process.stderr.write(
        `${table.id}: lost ${r.lostColumns.join(', ')}; datetimes ${r.datetimeProblems.join('; ')}; copies ${r.reproduced.join(', ')}\n`,
      )
    if (q !== null) {
      process.stdout.write(
        `${JSON.stringify({ name: `corpus ${table.id} overall`, value: Number(q.overall.toPrecision(4)), unit: 'score' })}\n`,
      )
      process.stdout.write(
        `${JSON.stringify({ name: `corpus ${table.id} train`, value: Number(r.steps.train.seconds.toPrecision(3)), unit: 's' })}\n`,
      )
    }
    process.stderr.write(`${lines[lines.length - 1]}\n`)
  }
} finally {
  rmSync(dir, { recursive: true, force: true })
}
process.stderr.write(`\n${lines.join('\n')}\n`)
