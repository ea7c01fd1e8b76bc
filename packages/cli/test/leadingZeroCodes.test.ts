import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { runCli } from './support/runCli.js'

// Issue #13: digit codes with leading zeros (US zip codes `02134`, state FIPS codes `06`) are codes, not numbers:
// kept as written from the reader through the schema, training and the synthetic file.
const dir = mkdtempSync(join(tmpdir(), 'mg-cli-codes-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const run = (args: string[]) => runCli(args, dir)

const STATES = ['01', '06', '09', '25', '36', '48']

/** 600 rows: a zip code per row (many start with 0), a two-digit state code, and an amount. */
function zipCsv(): string {
  const lines = ['zip,state,amount']
  for (let i = 0; i < 600; i++) {
    const zip = String((i * 7919) % 99_000).padStart(5, '0')
    lines.push(`${zip},${STATES[i % STATES.length]},${(20 + (i % 50) * 1.5).toFixed(2)}`)
  }
  return `${lines.join('\n')}\n`
}

describe('digit codes with leading zeros', () => {
  it('keep their width through schema infer → synth train → synth generate', async () => {
    writeFileSync(join(dir, 'zips.csv'), zipCsv())
    const inferred = await run(['schema', 'infer', 'zips.csv', '--out', 'zips.schema.json'])
    expect(inferred.code).toBe(0)
    const schema = JSON.parse(readFileSync(join(dir, 'zips.schema.json'), 'utf8')) as {
      columns: { name: string; kind: string; values?: string[] }[]
    }
    expect(schema.columns.map((c) => [c.name, c.kind])).toEqual([
      ['zip', 'id'],
      ['state', 'categorical'],
      ['amount', 'numeric'],
    ])
    expect(schema.columns[1]?.values).toEqual(STATES)

    for (const withSchema of [true, false]) {
      const model = withSchema ? 'with-schema.json' : 'no-flags.json'
      const schemaArgs = withSchema ? ['--schema', 'zips.schema.json'] : []
      const trained = await run(['synth', 'train', '--data', 'zips.csv', ...schemaArgs, '--out', model, '--seed', '3'])
      expect(trained.code, trained.err).toBe(0)
      const out = `synthetic-${model}.csv`
      const generated = await run(['synth', 'generate', '--model', model, '--rows', '400', '--out', out])
      expect(generated.code, generated.err).toBe(0)
      const rows = readFileSync(join(dir, out), 'utf8').trim().split('\n').slice(1)
      expect(rows).toHaveLength(400)
      const zips = rows.map((r) => r.split(',')[0] as string)
      const states = rows.map((r) => r.split(',')[1] as string)
      for (const zip of zips) expect(zip).toMatch(/^\d{5}$/)
      expect(zips.some((z) => z.startsWith('0'))).toBe(true)
      for (const state of states) expect(STATES).toContain(state)
    }
  })
})
