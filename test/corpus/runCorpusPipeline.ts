// schema infer → synth train → synth generate → synth evaluate on one corpus table, through the CLI (in process,
// as `modelgate` runs it), with no flags beyond the files: what a newcomer would type.
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs'
import { extname, join } from 'node:path'
import { runCommand } from '@modelgate/cli'
import type { Column, Table, TableSchema } from '@modelgate/core'
import { concatTables, readTable, streamTable, takeRows, writeTable } from '@modelgate/core'
import type { SynthModelFile } from '@modelgate/synth'
import type { CorpusTable } from './corpusTables.js'
import { corpusDataDir } from './corpusTables.js'

interface StepResult {
  readonly code: number
  readonly out: string
  readonly err: string
  readonly seconds: number
}

interface ColumnOutcome {
  readonly name: string
  /** The schema's kind (from `schema infer`). */
  readonly kind: string
  /** What the model did with it: learned, regenerated from its shape, PII (generated fresh), or always null. */
  readonly treatment: 'learned' | 'regenerated' | 'pii' | 'null'
  readonly datetimeFormat?: string
}

export interface PipelineResult {
  readonly table: CorpusTable
  readonly rows: number
  readonly steps: Readonly<Record<'infer' | 'train' | 'generate' | 'evaluate' | 'expect' | 'check', StepResult>>
  readonly columns: readonly ColumnOutcome[]
  /** Columns non-null in the data but all null in the synthetic output. */
  readonly lostColumns: readonly string[]
  /** Datetime columns of the schema whose synthetic values do not read back as datetimes in the schema's format. */
  readonly datetimeProblems: readonly string[]
  /** Code columns (`CorpusTable.codes`) whose synthetic values lost their width or leading zeros, and why. */
  readonly codeProblems: readonly string[]
  readonly quality: {
    readonly columnShapes: number
    readonly columnPairTrends: number
    readonly overall: number
  } | null
  /** Regenerated columns with synthetic values equal to a training value (must be none). */
  readonly reproduced: readonly string[]
}

/** Copies the table into `dir`, keeping every ⌈rows/maxRows⌉-th row (the whole span of a time-ordered table). */
async function prepareCorpusTable(
  table: CorpusTable,
  dir: string,
  maxRows: number,
  options: { readonly firstRows?: boolean } = {},
): Promise<{ path: string; rows: number }> {
  const source = table.path ?? join(corpusDataDir(), table.file)
  const target = join(dir, table.file)
  const ext = extname(table.file)
  const stride = Math.ceil(table.rows / maxRows)
  if (stride <= 1) {
    copyFileSync(source, target)
    return { path: target, rows: table.rows }
  }
  if (ext === '.json') {
    const rows = (JSON.parse(readFileSync(source, 'utf8')) as unknown[]).filter((_, i) => i % stride === 0)
    writeFileSync(target, JSON.stringify(rows))
    return { path: target, rows: rows.length }
  }
  if (ext === '.csv') {
    // These CSV files hold no quoted line breaks: one record per line.
    const [header, ...lines] = readFileSync(source, 'utf8')
      .split('\n')
      .filter((l) => l.length > 0)
    const kept = lines.filter((_, i) => i % stride === 0)
    writeFileSync(target, `${[header, ...kept].join('\n')}\n`)
    return { path: target, rows: kept.length }
  }
  // Parquet: trimmed with our own reader and writer, every stride-th row of each streamed chunk; with `firstRows`
  // (the CI test: reading 3 M rows costs more than the whole pipeline) the first rows in a row.
  const parts: Table[] = []
  let kept = 0
  let offset = 0
  for await (const chunk of streamTable(source, { chunkRows: 65_536 })) {
    const want = options.firstRows ? Math.min(chunk.numRows, maxRows - kept) : 0
    const indices = options.firstRows
      ? Array.from({ length: want }, (_, i) => i)
      : Array.from({ length: chunk.numRows }, (_, i) => i).filter((i) => (offset + i) % stride === 0)
    offset += chunk.numRows
    parts.push(takeRows(chunk, indices))
    kept += indices.length
    if (kept >= maxRows) break
  }
  await writeTable(target, concatTables(parts))
  return { path: target, rows: kept }
}

async function cli(argv: readonly string[], cwd: string): Promise<StepResult> {
  let out = ''
  let err = ''
  const started = performance.now()
  const code = await runCommand(argv, {
    cwd,
    interactive: false,
    out: (t) => {
      out += t.endsWith('\n') ? t : `${t}\n`
    },
    err: (t) => {
      err += t.endsWith('\n') ? t : `${t}\n`
    },
  })
  return { code, out, err, seconds: (performance.now() - started) / 1000 }
}

function nonNullCount(c: Column, n: number): number {
  let count = 0
  for (let i = 0; i < n; i++) {
    if (c.kind === 'categorical') count += (c.codes[i] as number) >= 0 ? 1 : 0
    else if (c.kind === 'text' || c.kind === 'id') count += c.values[i] === null ? 0 : 1
    else if ('valid' in c) count += c.valid === null || c.valid[i] === 1 ? 1 : 0
  }
  return count
}

export async function runCorpusPipeline(
  table: CorpusTable,
  dir: string,
  maxRows: number,
  options: { readonly firstRows?: boolean } = {},
): Promise<PipelineResult> {
  const { path: data, rows } = await prepareCorpusTable(table, dir, maxRows, options)
  const schemaPath = join(dir, `${table.id}.schema.json`)
  const modelPath = join(dir, `${table.id}.model.json`)
  const synthPath = join(dir, `${table.id}.synthetic${extname(table.file) === '.parquet' ? '.parquet' : '.csv'}`)
  const infer = await cli(['schema', 'infer', data, '--out', schemaPath], dir)
  const train = await cli(['synth', 'train', '--data', data, '--schema', schemaPath, '--out', modelPath], dir)
  // As many rows as the data, and at least 1,000: on a 63-row table the synthetic side's own sampling noise would
  // otherwise dominate the scores (the real side's stays).
  const generate = await cli(
    [
      'synth',
      'generate',
      '--model',
      modelPath,
      '--rows',
      String(Math.max(rows, 1000)),
      '--seed',
      '1',
      '--out',
      synthPath,
    ],
    dir,
  )
  const evaluate = await cli(['synth', 'evaluate', '--real', data, '--synthetic', synthPath, '--json'], dir)
  // Expectations derived from the model alone must pass on the data it was trained on.
  const expectationsPath = join(dir, `${table.id}.expectations.json`)
  const expect = await cli(['contracts', 'expect', '--profile', modelPath, '--out', expectationsPath], dir)
  const check = await cli(['contracts', 'check', '--expectations', expectationsPath, '--sample', data], dir)
  const steps = { infer, train, generate, evaluate, expect, check }
  if (infer.code !== 0 || train.code !== 0 || generate.code !== 0)
    return {
      table,
      rows,
      steps,
      columns: [],
      lostColumns: [],
      datetimeProblems: [],
      codeProblems: [],
      quality: null,
      reproduced: [],
    }

  const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as TableSchema
  const model = JSON.parse(readFileSync(modelPath, 'utf8')) as SynthModelFile
  const byName = new Map(model.columns.map((c) => [c.name, c]))
  const columns: ColumnOutcome[] = schema.columns.map((s) => {
    const m = byName.get(s.name)
    const treatment =
      m === undefined || m.nullRate >= 1
        ? 'null'
        : m.kind === 'pii'
          ? 'pii'
          : m.kind === 'text'
            ? 'regenerated'
            : 'learned'
    return {
      name: s.name,
      kind: s.kind,
      treatment,
      ...(s.kind === 'datetime' && s.format !== undefined ? { datetimeFormat: s.format } : {}),
    }
  })
  const real = await readTable(data, { schema })
  const synthetic = await readTable(synthPath)
  const lostColumns: string[] = []
  for (const c of real.columns) {
    const s = synthetic.columns.find((x) => x.name === c.name)
    if (nonNullCount(c, real.numRows) > 0 && (s === undefined || nonNullCount(s, synthetic.numRows) === 0))
      lostColumns.push(c.name)
  }
  // Datetimes: the synthetic file read with the inferred schema (its formats) must give datetime columns.
  const datetimeProblems: string[] = []
  try {
    const typed = await readTable(synthPath, { schema })
    for (const c of schema.columns) {
      if (c.kind !== 'datetime') continue
      const column = typed.columns.find((x) => x.name === c.name)
      if (column?.kind !== 'datetime') datetimeProblems.push(`${c.name}: read back as ${column?.kind ?? 'nothing'}`)
    }
  } catch (error) {
    datetimeProblems.push((error as Error).message.slice(0, 300))
  }
  // Codes: every synthetic value has the width of the file's codes, and some keep a leading zero.
  const codeProblems: string[] = []
  for (const [name, width] of Object.entries(table.codes ?? {})) {
    const values = textOf(
      synthetic.columns.find((x) => x.name === name),
      synthetic.numRows,
    )
    const misfits = values.filter((v) => v.length !== width || !/^\d+$/.test(v))
    if (values.length === 0 || misfits.length > 0)
      codeProblems.push(`${name}: ${misfits.length} of ${values.length} values not ${width} digits`)
    else if (!values.some((v) => v.startsWith('0'))) codeProblems.push(`${name}: no value with a leading zero`)
  }
  let quality: PipelineResult['quality'] = null
  if (evaluate.out.trim().startsWith('{')) {
    const report = JSON.parse(evaluate.out) as {
      checks: { id: string; metrics?: Record<string, number> }[]
    }
    const metrics = report.checks.find((c) => c.id === 'synth.quality.overall')?.metrics
    if (metrics !== undefined)
      quality = {
        columnShapes: metrics.columnShapes as number,
        columnPairTrends: metrics.columnPairTrends as number,
        overall: metrics.score as number,
      }
  }
  // Regenerated columns: no synthetic value is a training value.
  const reproduced: string[] = []
  for (const c of columns) {
    if (c.treatment !== 'regenerated') continue
    const training = new Set(
      textOf(
        real.columns.find((x) => x.name === c.name),
        real.numRows,
      ),
    )
    const copies = textOf(
      synthetic.columns.find((x) => x.name === c.name),
      synthetic.numRows,
    ).filter((v) => training.has(v))
    if (copies.length > 0) reproduced.push(`${c.name}: ${copies.length} values`)
  }
  return { table, rows, steps, columns, lostColumns, datetimeProblems, codeProblems, quality, reproduced }
}

function textOf(c: Column | undefined, n: number): string[] {
  const out: string[] = []
  if (c === undefined) return out
  for (let i = 0; i < n; i++) {
    if (c.kind === 'categorical') {
      const code = c.codes[i] as number
      if (code >= 0) out.push(c.dictionary[code] as string)
    } else if (c.kind === 'text' || c.kind === 'id') {
      const v = c.values[i]
      if (v !== null && v !== undefined) out.push(v)
    } else if ('valid' in c && (c.valid === null || c.valid[i] === 1)) out.push(String(c.values[i]))
  }
  return out
}
