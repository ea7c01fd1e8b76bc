import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Table } from '@modelgate/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createFeatureStore } from '../../../examples/fraud-detection/features/features.js'
import { generateTransactions } from '../../../examples/fraud-detection/features/generateTransactions.js'
import type { RunningServer } from '../../../examples/fraud-detection/features/server.js'
import { startFeatureServer } from '../../../examples/fraud-detection/features/server.js'
import { runCli } from './support/runCli.js'

const exampleDir = fileURLToPath(new URL('../../../examples/fraud-detection/features/', import.meta.url))
const dir = mkdtempSync(join(tmpdir(), 'modelgate-cli-skew-'))
const rows = generateTransactions({ rows: 800, users: 25, days: 40, seed: 3 })
const rowsCsv = join(dir, 'transactions.csv')
let correct: RunningServer
let broken: RunningServer

/** The example rows as CSV (test fixture). */
function toCsv(table: Table): string {
  const lines = [table.columns.map((c) => c.name).join(',')]
  for (let i = 0; i < table.numRows; i++) {
    lines.push(
      table.columns
        .map((c) => {
          if (c.kind === 'categorical') return c.dictionary[c.codes[i] as number]
          if (c.kind === 'datetime') return new Date(c.values[i] as number).toISOString()
          if (c.kind === 'text' || c.kind === 'id') return c.values[i]
          return String(c.values[i])
        })
        .join(','),
    )
  }
  return `${lines.join('\n')}\n`
}

const run = (args: string[]) => runCli(args, exampleDir)

beforeAll(async () => {
  writeFileSync(rowsCsv, toCsv(rows))
  const store = createFeatureStore(rows)
  correct = await startFeatureServer({ store })
  broken = await startFeatureServer({ store, broken: true })
})
afterAll(async () => {
  await correct.close()
  await broken.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('modelgate skew', () => {
  it('exits 0 when the SQL batch path and the HTTP service agree on every feature', async () => {
    const { code, out } = await run([
      'skew',
      '--rows',
      rowsCsv,
      '--batch',
      'sql:features.sql',
      '--online',
      correct.url,
      '--key',
      'txn_id',
    ])
    expect(out).toContain('Training/serving skew: sql:features.sql vs http://127.0.0.1:')
    expect(out).toContain('failing   none')
    expect(code).toBe(0)
  })

  it('exits 1 naming avg_amount_7d and printing the offending rows when the service has the 6-day bug', async () => {
    const junit = join(dir, 'skew.xml')
    const html = join(dir, 'skew.html')
    const { code, out } = await run([
      'skew',
      '--rows',
      rowsCsv,
      '--batch',
      'sql:features.sql',
      '--online',
      broken.url,
      '--key',
      'txn_id',
      '--junit',
      junit,
      '--html',
      html,
    ])
    expect(code).toBe(1)
    expect(out).toContain('failing   avg_amount_7d\n')
    expect(out).toMatch(/FAIL {2}\[features\] avg_amount_7d: [\d,]+ of 800 rows differ/)
    expect(out).toContain('avg_amount_7d: worst rows (batch → online)')
    expect(out).toMatch(/ {4}key \d+: [\d.]+ → (null|[\d.]+)/)
    expect(out).toMatch(/ {6}input: txn_id=\d+ user_id=u\d+ ts=2026-/)
    const xml = readFileSync(junit, 'utf8')
    expect(xml).toContain('avg_amount_7d')
    expect(xml).toMatch(/<failure/)
    expect(readFileSync(html, 'utf8')).toContain('<svg')
  })

  it('runs the Python batch job written as a plain command (no cmd: prefix) and prints JSON with --json', async () => {
    const { code, out } = await run([
      'skew',
      '--rows',
      rowsCsv,
      '--batch',
      'python3 batch_features.py {input} {output}',
      '--online',
      correct.url,
      '--key',
      'txn_id',
      '--json',
    ])
    const report = JSON.parse(out) as { kind: string; verdict: string; checks: { group: string; verdict: string }[] }
    expect(report.kind).toBe('skew')
    expect(report.verdict).toBe('pass')
    expect(report.checks.filter((c) => c.group === 'features')).toHaveLength(6)
    expect(code).toBe(0)
  })

  it('hands a batch command its {input} in the format of the rows file (JSONL here) and reads {output} as asked', async () => {
    const { writeTable } = await import('@modelgate/core')
    const jsonl = join(dir, 'transactions.jsonl')
    await writeTable(jsonl, rows)
    const { code, out, err } = await run([
      'skew',
      '--rows',
      jsonl,
      '--key',
      'txn_id',
      '--online',
      correct.url,
      '--batch-output-format',
      'csv',
      '--batch',
      `cmd:sh -c 'case "$0" in *.jsonl) exec python3 batch_features.py "$0" "$1";; *) echo "not jsonl: $0" >&2; exit 9;; esac' {input} {output}`,
    ])
    expect(err).toBe('')
    expect(out).toContain('failing   none')
    expect(code).toBe(0)
  })

  it('loads a TypeScript batch function through module: and keys rows by position without --key', async () => {
    const { code, out } = await run([
      'skew',
      '--rows',
      rowsCsv,
      '--batch',
      'module:features.ts#batchFeatures',
      '--online',
      correct.url,
      '--features',
      'avg_amount_7d,txn_count_24h',
    ])
    expect(out).toContain('rows joined: all 800 input rows present in both outputs (key "__row")')
    expect(code).toBe(0)
  })

  it('explains an unknown adapter scheme with the spec syntax (exit 2)', async () => {
    const { code, err } = await run(['skew', '--rows', rowsCsv, '--batch', 'spark:job.py', '--online', correct.url])
    expect(code).toBe(2)
    expect(err).toContain(
      'batch path "spark:job.py": unknown adapter scheme "spark:"; a command needs {input} and {output}',
    )
    expect(err).toContain('[cmd:]<command with {input} and {output}>')
  })

  it('refuses an HTTP URL as the batch path', async () => {
    const { code, err } = await run(['skew', '--rows', rowsCsv, '--batch', correct.url, '--online', correct.url])
    expect(code).toBe(2)
    expect(err).toContain('an HTTP endpoint is an online path')
  })
})

describe('modelgate skew --model', () => {
  it('replays rows sampled from a synth model, no production record needed', async () => {
    const { trainSynthesizer } = await import('@modelgate/synth')
    const model = await trainSynthesizer(rows, { seed: 1, detectPii: false })
    const modelFile = join(dir, 'transactions.model.json')
    writeFileSync(modelFile, JSON.stringify(model.toJSON()))
    // The service's history is the same sample: one seed makes the model reproducible.
    const sampled = model.sample(300, { seed: 5 })
    const service = await startFeatureServer({ store: createFeatureStore(sampled) })
    try {
      const { code, out } = await run([
        'skew',
        '--model',
        modelFile,
        '--rows',
        '300',
        '--seed',
        '5',
        '--batch',
        'module:features.ts#batchFeatures',
        '--online',
        service.url,
      ])
      expect(out).toContain('input     300 rows sampled from')
      expect(out).toContain('rows joined: all 300 input rows present in both outputs')
      expect(code).toBe(0)
    } finally {
      await service.close()
    }
  })

  it('asks for a row count when --model is given without one', async () => {
    const { code, err } = await run([
      'skew',
      '--model',
      'm.json',
      '--batch',
      'sql:features.sql',
      '--online',
      correct.url,
    ])
    expect(code).toBe(2)
    expect(err).toContain('with --model, --rows is the number of rows to generate')
  })
})

describe('modelgate skew leakage', () => {
  it('exits 1 and lists the offending rows when training overlaps the test period', async () => {
    const file = join(dir, 'split.csv')
    writeFileSync(
      file,
      [
        'user,event_time,split',
        'a,2026-01-01T00:00:00Z,train',
        'b,2026-01-09T00:00:00Z,train',
        'a,2026-01-05T00:00:00Z,test',
        'b,2026-01-10T00:00:00Z,test',
        '',
      ].join('\n'),
    )
    const { code, out } = await run(['skew', 'leakage', '--data', file, '--time', 'event_time', '--split', 'split'])
    expect(code).toBe(1)
    expect(out).toContain('2 rows overlap in time')
    expect(out).toContain(
      'row 2 (train): training row at 2026-01-09T00:00:00.000Z is not before the first test row (2026-01-05T00:00:00.000Z)',
    )
    const perUser = await run([
      'skew',
      'leakage',
      '--data',
      file,
      '--time',
      'event_time',
      '--split',
      'split',
      '--entity',
      'user',
    ])
    expect(perUser.code).toBe(0)
  })
})
