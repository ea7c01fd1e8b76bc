// Privacy, end to end through the built `modelgate` binary: no raw value of a PII column and no rare category of
// the training table reaches a model file, a generated file, a report or anything printed — checked on the bytes.
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { getColumn, readTable, tableToRows, valueAt } from '@modelgate/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { occurrences } from './privacy/scan.js'

const repoRoot = execFileSync('git', ['rev-parse', '--show-toplevel'], { cwd: __dirname, encoding: 'utf8' }).trim()
const bin = resolve(repoRoot, 'packages/cli/bin/modelgate.js')
const training = resolve(repoRoot, 'examples/data/transactions.csv')
const PII_COLUMNS = ['email', 'phone', 'ip', 'device_id', 'card_number']
const dir = mkdtempSync(join(tmpdir(), 'mg-e2e-privacy-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

let printed = ''
function modelgate(...args: string[]): number {
  const result = spawnSync(process.execPath, [bin, ...args], { cwd: dir, encoding: 'utf8' })
  printed += `${result.stdout}\n${result.stderr}\n`
  return result.status ?? -1
}

/** Every raw PII value and every category seen fewer than 5 times in the training table. */
async function secrets(): Promise<string[]> {
  const table = await readTable(training)
  const values: string[] = []
  for (const name of PII_COLUMNS) {
    const column = getColumn(table, name)
    for (let i = 0; i < table.numRows; i++) values.push(String(valueAt(column, i)))
  }
  const counts = new Map<string, number>()
  const merchant = getColumn(table, 'merchant_category')
  for (let i = 0; i < table.numRows; i++) {
    const v = String(valueAt(merchant, i))
    counts.set(v, (counts.get(v) ?? 0) + 1)
  }
  const rare = [...counts].filter(([, n]) => n < 5).map(([v]) => v)
  expect(rare.length).toBeGreaterThan(0) // the example is built with rare merchants; the test must have something to find
  return [...values, ...rare]
}

beforeAll(() => {
  expect(modelgate('profile', training)).toBe(0)
  expect(modelgate('schema', 'infer', training, '--out', 'schema.json')).toBe(0)
  expect(
    modelgate('synth', 'train', '--data', training, '--schema', 'schema.json', '--out', 'model.json', '--seed', '3'),
  ).toBe(0)
  expect(modelgate('synth', 'inspect', 'model.json')).toBe(0)
  expect(modelgate('synth', 'inspect', 'model.json', '--json')).toBe(0)
  expect(
    modelgate('synth', 'generate', '--model', 'model.json', '--rows', '20000', '--seed', '5', '--out', 'synthetic.csv'),
  ).toBe(0)
  expect(
    modelgate(
      'synth',
      'generate',
      '--model',
      'model.json',
      '--rows',
      '2000',
      '--seed',
      '6',
      '--out',
      'synthetic.jsonl',
    ),
  ).toBe(0)
  expect(
    modelgate(
      'synth',
      'generate',
      '--model',
      'model.json',
      '--rows',
      '2000',
      '--seed',
      '7',
      '--out',
      'synthetic.parquet',
    ),
  ).toBe(0)
  modelgate(
    'synth',
    'evaluate',
    '--real',
    training,
    '--synthetic',
    'synthetic.csv',
    '--target',
    'is_fraud',
    '--json',
    '--html',
    'report.html',
    '--junit',
    'report.xml',
  )
}, 180_000)

describe('privacy across the CLI (profile → schema → train → generate → evaluate)', () => {
  it('writes every expected artefact', () => {
    expect(readdirSync(dir).sort()).toEqual(
      [
        'model.json',
        'report.html',
        'report.xml',
        'schema.json',
        'synthetic.csv',
        'synthetic.jsonl',
        'synthetic.parquet',
      ].sort(),
    )
  })

  it('leaves no PII value and no rare category in any file or in anything printed', async () => {
    const needles = await secrets()
    // The scanner itself must find a planted value, or a clean result would mean nothing.
    const planted = needles[needles.length - 1] as string
    expect([...occurrences(`{"x":"${planted}"}`, needles)]).toEqual([planted])
    const texts: [string, string][] = [['(stdout and stderr)', printed]]
    for (const file of readdirSync(dir).filter((f) => !f.endsWith('.parquet')))
      texts.push([file, readFileSync(join(dir, file), 'utf8')])
    // Parquet pages are compressed, so its bytes say nothing: scan its decoded values instead.
    const parquet = await readTable(join(dir, 'synthetic.parquet'))
    texts.push(['synthetic.parquet (decoded)', JSON.stringify(tableToRows(parquet))])
    const found: string[] = []
    for (const [name, text] of texts)
      for (const needle of occurrences(text, needles)) found.push(`${name}: ${needle.slice(0, 3)}…`)
    expect(found).toEqual([])
  })

  it('still generates realistic PII-shaped values for the PII columns', async () => {
    const synthetic = await readTable(join(dir, 'synthetic.csv'))
    const email = getColumn(synthetic, 'email')
    const card = getColumn(synthetic, 'card_number')
    expect(String(valueAt(email, 0))).toMatch(/^[^@\s]+@[^@\s]+\.[a-z]+$/)
    expect(String(valueAt(card, 0)).replace(/\D/g, '').length).toBeGreaterThanOrEqual(13)
    expect(synthetic.numRows).toBe(20000)
  })
})
