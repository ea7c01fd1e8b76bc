// Issue #13: the whole pipeline on real public tables no one here wrote, with no flags, as a newcomer runs it.
// CI trains on at most `testRows` rows of each table (every n-th row; the first rows of the 3 M-row Parquet file);
// `pnpm bench corpus` runs the full sizes and bench/RESULTS.md records both.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runCommand } from '@modelgate/cli'
import { afterAll, describe, expect, it } from 'vitest'
import { CORPUS } from './corpusTables.js'
import { runCorpusPipeline } from './runCorpusPipeline.js'

const dir = mkdtempSync(join(tmpdir(), 'modelgate-corpus-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** The target: Column Shapes ≥ 0.90 and overall ≥ 0.85 on every table. */
const TARGET = { columnShapes: 0.9, overall: 0.85 }
/**
 * Tables below the target today, with the floor they keep (bench/RESULTS.md says why): a regression guard, not the goal.
 */
const BELOW_TARGET: Readonly<Record<string, { columnShapes: number; overall: number }>> = {
  // county (1,700+ values) × state × latitude: one latent order per categorical cannot hold the geography; zip_code is
  // a code (regenerated, not learned), so its easy pairs with latitude and longitude no longer count (0.786 → 0.747).
  zipcodes: { columnShapes: 0.9, overall: 0.73 },
}

describe('real tables: schema infer → synth train → generate → evaluate, no flags', () => {
  for (const table of CORPUS) {
    it(`${table.id} (${table.traits})`, { timeout: 180_000 }, async () => {
      const sub = mkdtempSync(join(dir, `${table.id}-`))
      const r = await runCorpusPipeline(table, sub, table.testRows, { firstRows: true })
      for (const [step, result] of Object.entries(r.steps))
        expect(result.code, `${step}: ${result.err}${result.out.slice(0, 2000)}`).toBe(0)
      // No column lost: every column is in the model, none is all-null where the data has values.
      expect(r.columns.length).toBeGreaterThan(0)
      expect(r.columns.filter((c) => c.treatment === 'null').map((c) => c.name)).toEqual([])
      expect(r.lostColumns).toEqual([])
      // Every datetime column comes back as datetimes in its format, and dates as people write them are datetimes.
      expect(r.datetimeProblems).toEqual([])
      for (const [name, format] of Object.entries(table.datetimes ?? {}))
        expect(r.columns.find((c) => c.name === name)).toMatchObject({ kind: 'datetime', datetimeFormat: format })
      // Digit codes with leading zeros keep their width (zip codes: `00501`, never `501`).
      expect(r.codeProblems).toEqual([])
      // Regenerated text and ids never copy a training value.
      expect(r.reproduced).toEqual([])
      expect(r.quality).not.toBeNull()
      const floor = BELOW_TARGET[table.id] ?? TARGET
      expect(r.quality?.columnShapes).toBeGreaterThanOrEqual(floor.columnShapes)
      expect(r.quality?.overall).toBeGreaterThanOrEqual(floor.overall)
    })
  }
})

describe('expectations derived from a model alone', () => {
  it('pass on the 400 Adult rows it was trained on, though rare countries were never stored (their share was)', async () => {
    const sub = mkdtempSync(join(dir, 'adult-'))
    const lines = readFileSync(join(__dirname, '..', 'data', 'adult.csv'), 'utf8').split('\n')
    writeFileSync(join(sub, 'adult400.csv'), `${lines.slice(0, 401).join('\n')}\n`)
    let out = ''
    const run = (argv: string[]): Promise<number> =>
      runCommand(argv, { cwd: sub, interactive: false, out: (t) => (out += t), err: (t) => (out += t) })
    expect(await run(['synth', 'train', '--data', 'adult400.csv', '--out', 'model.json', '--seed', '2'])).toBe(0)
    expect(await run(['contracts', 'expect', '--profile', 'model.json', '--out', 'exp.json'])).toBe(0)
    const expectations = JSON.parse(readFileSync(join(sub, 'exp.json'), 'utf8')) as {
      features: { name: string; maxOtherRate?: number }[]
    }
    // native-country: the share of rows in countries seen fewer than 5 times, plus 1 point.
    expect(expectations.features.find((f) => f.name === 'native-country')?.maxOtherRate).toBeGreaterThan(0.02)
    expect(await run(['contracts', 'check', '--expectations', 'exp.json', '--sample', 'adult400.csv']), out).toBe(0)
  })
})
