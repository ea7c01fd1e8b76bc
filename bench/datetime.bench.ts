// Reading datetimes (issue #13): a 1,000,000-row CSV of `id,at,amount` with `at` written four ways — ISO 8601
// (`2015-01-01T01:00:00Z`), `yyyy/MM/dd HH:mm:ss`, `MMM d yyyy` and `dd/MM/yyyy HH:mm` — read into a Table, rows/s.
// With MG_BENCH_BASELINE_CORE=<dir of another build of @modelgate/core, e.g. a copy of main's packages/core with its
// dist and node_modules> the same files are read by that build too, interleaved (baseline, ours, baseline, ours …),
// so a before/after comparison sees the same machine load; reference = the baseline's rows/s, ratio = ours ÷ baseline
// time. Files are generated under os.tmpdir() and removed at the end. Run: node --import tsx bench/datetime.bench.ts
import { createWriteStream } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { readTable, type Table } from '@modelgate/core'

const ROWS = Number(process.env.MG_BENCH_ROWS ?? 1_000_000)
const RUNS = 3
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

type Reader = (file: string) => Promise<Table>
const baselineDir = process.env.MG_BENCH_BASELINE_CORE
const baseline: Reader | undefined =
  baselineDir === undefined
    ? undefined
    : ((await import(pathToFileURL(path.join(baselineDir, 'dist/index.js')).href)) as { readTable: Reader }).readTable

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n)
}

const SHAPES: Record<string, (d: Date) => string> = {
  iso: (d) => d.toISOString().slice(0, 19) + 'Z',
  'yyyy/MM/dd HH:mm:ss': (d) =>
    `${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`,
  'MMM d yyyy': (d) => `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()} ${d.getUTCFullYear()}`,
  'dd/MM/yyyy HH:mm': (d) =>
    `${pad(d.getUTCDate())}/${pad(d.getUTCMonth() + 1)}/${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`,
}

async function writeCsv(file: string, shape: (d: Date) => string): Promise<void> {
  const out = createWriteStream(file)
  out.write('id,at,amount\n')
  const start = Date.UTC(2015, 0, 1, 1)
  let buffer = ''
  for (let i = 0; i < ROWS; i++) {
    buffer += `${i},${shape(new Date(start + i * 61_000))},${(i % 997) / 10}\n`
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await new Promise<void>((r) => out.once('drain', () => r()))
      buffer = ''
    }
  }
  out.end(buffer)
  await new Promise<void>((r) => out.on('finish', () => r()))
}

function line(name: string, value: number, unit: string, reference?: number): void {
  const out: Record<string, unknown> = { name, value: Math.round(value), unit }
  if (reference !== undefined) {
    out.reference = Math.round(reference)
    out.ratio = Math.round((reference / value) * 100) / 100
  }
  process.stdout.write(`${JSON.stringify(out)}\n`)
}

async function rate(read: Reader, file: string): Promise<{ rowsPerSecond: number; kind: string }> {
  const t0 = performance.now()
  const table = await read(file)
  const seconds = (performance.now() - t0) / 1000
  const at = table.columns[1]
  const kind = at === undefined ? '?' : at.kind === 'datetime' ? `datetime ${at.format}` : at.kind
  return { rowsPerSecond: table.numRows / seconds, kind }
}

const dir = await mkdtemp(path.join(os.tmpdir(), 'mg-bench-datetime-'))
try {
  for (const [label, shape] of Object.entries(SHAPES)) {
    const file = path.join(dir, `${label.replaceAll('/', '-').replaceAll(' ', '_')}.csv`)
    await writeCsv(file, shape)
    let ours = 0
    let base = 0
    let ourKind = ''
    let baseKind = ''
    for (let r = 0; r < RUNS; r++) {
      if (baseline !== undefined) {
        const b = await rate(baseline, file)
        base = Math.max(base, b.rowsPerSecond)
        baseKind = b.kind
      }
      const o = await rate(readTable, file)
      ours = Math.max(ours, o.rowsPerSecond)
      ourKind = o.kind
    }
    process.stderr.write(
      `  ${label}: ours read "at" as ${ourKind}${baseline === undefined ? '' : `, baseline as ${baseKind}`}\n`,
    )
    line(
      `read CSV, ${ROWS.toLocaleString('en-US')} rows, datetime ${label}`,
      ours,
      'rows/s',
      baseline === undefined ? undefined : base,
    )
    await rm(file)
  }
} finally {
  await rm(dir, { recursive: true, force: true })
}
