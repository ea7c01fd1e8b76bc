// Issue #12, careless use: `--out` equal to an input overwrote the training data; `--where __proto__=x` was silently
// ignored. Each is now a clear error with exit 2 (or correct handling).
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { runCli } from './support/runCli.js'

const dir = mkdtempSync(join(tmpdir(), 'mg-cli-careless-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const lines = ['__proto__,amount,segment']
for (let i = 0; i < 120; i++) lines.push(`${i % 7},${(i * 1.5).toFixed(2)},${['a', 'b', 'c'][i % 3]}`)
const DATA = `${lines.join('\n')}\n`
writeFileSync(join(dir, 'data.csv'), DATA)
const run = (args: string[]) => runCli(args, dir)

describe('--out equal to an input', () => {
  it('synth train --out <the --data file> is refused (exit 2) and the data are untouched', async () => {
    const { code, err } = await run(['synth', 'train', '--data', 'data.csv', '--out', './data.csv'])
    expect(code).toBe(2)
    expect(err).toMatch(/MG_CLI_OUT_IS_INPUT: modelgate synth train: --out "\.\/data\.csv" is also the --data file/)
    expect(readFileSync(join(dir, 'data.csv'), 'utf8')).toBe(DATA)
  })

  it('schema infer <data> --out <data> and a report file over the input are refused too', async () => {
    expect((await run(['schema', 'infer', 'data.csv', '--out', 'data.csv'])).code).toBe(2)
    copyFileSync(join(dir, 'data.csv'), join(dir, 'synthetic.csv'))
    const { code, err } = await run([
      'synth',
      'evaluate',
      '--real',
      'data.csv',
      '--synthetic',
      'synthetic.csv',
      '--html',
      'data.csv',
    ])
    expect(code).toBe(2)
    expect(err).toMatch(/--html "data\.csv" is also the --real file/)
    expect(readFileSync(join(dir, 'data.csv'), 'utf8')).toBe(DATA)
  })
})

describe('a column named __proto__', () => {
  it('is trained and conditioned on like any other: --where __proto__=3 is honoured, not ignored', async () => {
    expect((await run(['synth', 'train', '--data', 'data.csv', '--out', 'model.json'])).code).toBe(0)
    const { code } = await run([
      'synth',
      'generate',
      '--model',
      'model.json',
      '--rows',
      '40',
      '--out',
      'three.csv',
      '--where',
      '__proto__=3',
    ])
    expect(code).toBe(0)
    const rows = readFileSync(join(dir, 'three.csv'), 'utf8').trim().split('\n')
    expect(rows[0]).toBe('__proto__,amount,segment')
    expect(rows.slice(1).every((r) => r.startsWith('3,'))).toBe(true)
    const bad = await run([
      'synth',
      'generate',
      '--model',
      'model.json',
      '--rows',
      '4',
      '--out',
      'x.csv',
      '--where',
      '__proto__=x',
    ])
    expect(bad.code).toBe(2)
    expect(bad.err).toMatch(/__proto__=x/)
  })
})
