import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { runCli } from './support/runCli.js'

// Issue #13, "Dates and times as people write them", through the CLI with no flags (and --day-first).
const dir = mkdtempSync(join(tmpdir(), 'mg-cli-dates-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const run = (args: string[]) => runCli(args, dir)

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
const pad = (n: number): string => String(n).padStart(2, '0')

/** 400 rows: a release date written `Jun 12 1998`, a day-first date `13/06/1998` and a price that follows the year. */
function releasesCsv(): string {
  const lines = ['title_id,released,listed,price']
  for (let i = 0; i < 400; i++) {
    const d = new Date(Date.UTC(1990, 0, 1) + ((i * 7919) % 9000) * 86_400_000)
    const l = new Date(d.getTime() + (i % 30) * 86_400_000)
    lines.push(
      `${i % 40},${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()} ${d.getUTCFullYear()},${pad(l.getUTCDate())}/${pad(l.getUTCMonth() + 1)}/${l.getUTCFullYear()},${(5 + (d.getUTCFullYear() - 1990) * 0.5 + (i % 5)).toFixed(2)}`,
    )
  }
  return `${lines.join('\n')}\n`
}

describe('dates as people write them', () => {
  it('schema infer stores the patterns, says the data proves day first, and writes schema version 2', async () => {
    writeFileSync(join(dir, 'releases.csv'), releasesCsv())
    const { code, out } = await run(['schema', 'infer', 'releases.csv', '--out', 'releases.schema.json'])
    expect(code).toBe(0)
    expect(out).toMatch(/released\s+datetime\s+not null\s+.*format MMM d yyyy/)
    expect(out).toMatch(/listed\s+datetime\s+not null\s+.*format dd\/MM\/yyyy/)
    expect(out).toContain(
      'note Column "listed" is read day first (dd/MM/yyyy): some values have a day above 12 in the first field.',
    )
    const schema = JSON.parse(readFileSync(join(dir, 'releases.schema.json'), 'utf8'))
    expect(schema.version).toBe(2)
  })

  it('synth train → generate writes synthetic dates in the columns’ own formats', async () => {
    expect((await run(['synth', 'train', '--data', 'releases.csv', '--out', 'm.json', '--seed', '3'])).code).toBe(0)
    for (const format of ['csv', 'jsonl'] as const) {
      const generated = await run(['synth', 'generate', '--model', 'm.json', '--rows', '300', '--out', `s.${format}`])
      expect(generated.code).toBe(0)
    }
    const rows = readFileSync(join(dir, 's.csv'), 'utf8').trim().split('\n').slice(1)
    for (const row of rows) {
      const [, released, listed] = row.split(',')
      expect(released).toMatch(/^(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{1,2} \d{4}$/)
      expect(listed).toMatch(/^\d{2}\/\d{2}\/\d{4}$/)
    }
    expect(readFileSync(join(dir, 's.jsonl'), 'utf8')).toMatch(/"released":"[A-Z][a-z]{2} \d{1,2} \d{4}"/)
    const evaluated = await run(['synth', 'evaluate', '--real', 'releases.csv', '--synthetic', 's.csv', '--json'])
    const report = JSON.parse(evaluated.out) as { checks: { id: string; message: string }[] }
    expect(report.checks.find((c) => c.id === 'synth.shape.released')?.message).toMatch(/KSComplement 0\.[89]/)
  })

  it('reads ambiguous dates month first, or day first with --day-first, and warns that nothing proved the order', async () => {
    writeFileSync(join(dir, 'ambiguous.csv'), 'd,n\n01/02/2000,1\n03/04/2000,2\n05/06/2000,3\n')
    const plain = await run(['schema', 'infer', 'ambiguous.csv', '--json'])
    const drafted = JSON.parse(plain.out) as {
      schema: { columns: { format?: string }[] }
      warnings: { code: string }[]
    }
    expect(drafted.schema.columns[0]?.format).toBe('MM/dd/yyyy')
    expect(drafted.warnings.map((w) => w.code)).toContain('MG_SCHEMA_DATE_ORDER_ASSUMED')
    const dayFirst = await run(['schema', 'infer', 'ambiguous.csv', '--json', '--day-first'])
    const asked = JSON.parse(dayFirst.out) as {
      schema: { columns: { format?: string; min?: string }[] }
      warnings: { code: string }[]
    }
    expect(asked.schema.columns[0]?.format).toBe('dd/MM/yyyy')
    expect(asked.warnings.map((w) => w.code)).not.toContain('MG_SCHEMA_DATE_ORDER_ASSUMED')
  })

  it('names the row and column of a value written another way than the schema declares', async () => {
    writeFileSync(join(dir, 'mixed.csv'), 'released,price\nJan 1 2000,1\n2000-01-02,2\n')
    writeFileSync(
      join(dir, 'mixed.schema.json'),
      JSON.stringify({ version: 2, columns: [{ name: 'released', kind: 'datetime', format: 'MMM d yyyy' }] }),
    )
    const { code, err } = await run([
      'synth',
      'train',
      '--data',
      'mixed.csv',
      '--schema',
      'mixed.schema.json',
      '--out',
      'x.json',
    ])
    expect(code).toBe(2)
    expect(err).toContain(
      'Column "released" in mixed.csv row 2: expected a datetime written "MMM d yyyy", got "2000-01-02".',
    )
  })
})
