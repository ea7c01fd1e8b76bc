import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { readTable } from '@modelgate/core'
import { afterAll, describe, expect, it } from 'vitest'
import { runCli } from './support/runCli.js'

// Issue #13, "Silent loss": a column that has values in the data is never generated all-null without a warning
// naming it, the share of values affected and what to do; `synth evaluate` flags it; `--strict` refuses it.
const dir = mkdtempSync(join(tmpdir(), 'mg-cli-silent-loss-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const run = (args: string[]) => runCli(args, dir)

function pad(n: number): string {
  return String(n).padStart(2, '0')
}

/** 955 hourly timestamps written `2015/01/01 01:00:00` (all distinct), with a reading that follows the hour. */
function timestampCsv(): string {
  const lines = ['ts,reading']
  for (let i = 0; i < 955; i++) {
    const d = new Date(Date.UTC(2015, 0, 1, 1) + i * 3_600_000)
    const text = `${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`
    lines.push(`${text},${(10 + Math.sin(i / 24) * 3 + (i % 7) / 10).toFixed(2)}`)
  }
  return `${lines.join('\n')}\n`
}

/** The 38 codes of `rareCodeCsv`. */
const CODES = Array.from({ length: 38 }, (_, i) => `Q${String.fromCharCode(65 + (i % 26))}${i}`)

/** 63 rows: `code` holds 38 values, each seen once or twice (all below k = 5); `size` and `flag` are ordinary. */
function rareCodeCsv(): string {
  const lines = ['code,size,flag']
  for (let i = 0; i < 63; i++) lines.push(`${CODES[i % 38]},${(i * 37) % 100},${i % 3 === 0 ? 'true' : 'false'}`)
  return `${lines.join('\n')}\n`
}

/** Whether any training code appears in `text` as a value (quoted, or alone in a message). */
function holdsACode(text: string): boolean {
  return CODES.some((c) => text.includes(`"${c}"`) || new RegExp(`\\b${c}\\b`).test(text))
}

describe('a 955-row timestamp column written 2015/01/01 01:00:00', () => {
  it('is learned as a datetime and generated in its own format, never as an empty column', async () => {
    writeFileSync(join(dir, 'hourly.csv'), timestampCsv())
    const trained = await run(['synth', 'train', '--data', 'hourly.csv', '--out', 'hourly.json', '--seed', '1'])
    expect(trained.err).not.toMatch(/all-null/)
    expect(trained.code).toBe(0)
    const generated = await run(['synth', 'generate', '--model', 'hourly.json', '--rows', '500', '--out', 'h.csv'])
    expect(generated.code).toBe(0)
    const rows = readFileSync(join(dir, 'h.csv'), 'utf8').trim().split('\n').slice(1)
    expect(rows).toHaveLength(500)
    for (const row of rows) expect(row).toMatch(/^\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2},/)
    const synthetic = await readTable(join(dir, 'h.csv'))
    expect(synthetic.columns[0]?.kind).toBe('datetime')
  })
})

describe('a 63-row table whose categorical column has 38 values, all seen fewer than 5 times', () => {
  it('regenerates it in its shape without flags: never all-null, no training value, said in the summary', async () => {
    writeFileSync(join(dir, 'rare.csv'), rareCodeCsv())
    const trained = await run(['synth', 'train', '--data', 'rare.csv', '--out', 'plain.json', '--seed', '1'])
    expect(trained.code).toBe(0)
    expect(trained.err).not.toContain('all-null')
    expect(trained.out).toMatch(/regenerated in the same shape.*: code \(codes\)/)
    const generated = await run(['synth', 'generate', '--model', 'plain.json', '--rows', '100', '--out', 'p.csv'])
    expect(generated.code).toBe(0)
    const codes = readFileSync(join(dir, 'p.csv'), 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((r) => r.split(',')[0])
    expect(codes.filter((c) => c === '')).toHaveLength(0)
    expect(codes.filter((c) => CODES.includes(c as string))).toHaveLength(0)
    expect(holdsACode(readFileSync(join(dir, 'plain.json'), 'utf8'))).toBe(false)
  })

  it('regenerates a column the reader drafts as categorical whose every value is rare (40 values × 3 rows)', async () => {
    const lines = ['plan,size']
    for (let i = 0; i < 120; i++) lines.push(`${CODES[i % 38]}x${i % 40 >= 38 ? 'y' : ''},${i % 17}`)
    writeFileSync(join(dir, 'plans.csv'), `${lines.join('\n')}\n`)
    const trained = await run(['synth', 'train', '--data', 'plans.csv', '--out', 'plans.json', '--seed', '1'])
    expect(trained.code).toBe(0)
    expect(trained.err).not.toContain('all-null')
    const model = JSON.parse(readFileSync(join(dir, 'plans.json'), 'utf8')) as {
      columns: { name: string; kind: string }[]
    }
    expect(model.columns.find((c) => c.name === 'plan')?.kind).toBe('text')
  })

  it('warns, naming the column, the share of values affected and what to do, when it is declared categorical', async () => {
    writeFileSync(
      join(dir, 'rare.schema.json'),
      JSON.stringify({ version: 2, columns: [{ name: 'code', kind: 'categorical' }] }),
    )
    const { code, err } = await run([
      'synth',
      'train',
      '--data',
      'rare.csv',
      '--schema',
      'rare.schema.json',
      '--out',
      'rare.json',
      '--seed',
      '1',
    ])
    expect(code).toBe(0)
    expect(err).toContain(
      'warn: column "code" is generated all-null although it has no nulls: 100% of its 63 values are in categories seen fewer than 5 times, which are never stored. If "code" is an identifier or free text, declare it kind "id"',
    )
    expect(err).toContain('or pass --rare other')
    // synth inspect says so too.
    const inspected = await run(['synth', 'inspect', 'rare.json'])
    expect(inspected.out).toMatch(/code\s+categorical\s+100\.0%\s+NOT LEARNED \(every value a rare category\)/)
    // No rare value reaches the message or the model file.
    expect(holdsACode(err)).toBe(false)
    expect(holdsACode(readFileSync(join(dir, 'rare.json'), 'utf8'))).toBe(false)
  })

  it('refuses under --strict (exit 2) and writes no model', async () => {
    const { code, err } = await run([
      'synth',
      'train',
      '--data',
      'rare.csv',
      '--schema',
      'rare.schema.json',
      '--out',
      'strict.json',
      '--seed',
      '1',
      '--strict',
    ])
    expect(code).toBe(2)
    expect(err).toMatch(/MG_SYNTH_COLUMN_LOST/)
    expect(err).toContain('"code"')
    expect(() => readFileSync(join(dir, 'strict.json'))).toThrow()
  })

  it('is flagged by synth evaluate', async () => {
    const generated = await run(['synth', 'generate', '--model', 'rare.json', '--rows', '200', '--out', 'r.csv'])
    expect(generated.code).toBe(0)
    const { code, out } = await run(['synth', 'evaluate', '--real', 'rare.csv', '--synthetic', 'r.csv', '--json'])
    expect(code).toBe(0)
    const report = JSON.parse(out) as { verdict: string; checks: { id: string; verdict: string; message: string }[] }
    const flagged = report.checks.find((c) => c.id === 'synth.nulls.code')
    expect(flagged?.verdict).toBe('warn')
    expect(flagged?.message).toBe('100% null in r.csv against 0% in rare.csv: the column was not learned')
    expect(report.verdict).toBe('warn')
    expect(report.checks.some((c) => c.id === 'synth.nulls.size')).toBe(false)
  })
})
