import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { CommandContext } from '@modelgate/cli'
import { createReport, ModelGateError } from '@modelgate/core'
import { afterAll, describe, expect, it } from 'vitest'
import { emitReport } from '../src/emitReport.js'
import { readOptions } from '../src/options.js'

const dir = mkdtempSync(join(tmpdir(), 'mg-cli-options-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function context(
  values: CommandContext['values'],
  positionals: string[] = [],
): CommandContext & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = []
  const stderr: string[] = []
  return {
    command: { name: 'demo', usage: 'modelgate demo [--n N]' },
    values,
    positionals,
    out: (text) => stdout.push(text),
    err: (text) => stderr.push(text),
    interactive: false,
    cwd: dir,
    signal: new AbortController().signal,
    stdout,
    stderr,
  }
}

/** The usage error a read throws, as `CODE: message | hint`. */
function failure(read: () => unknown): string {
  try {
    read()
  } catch (error) {
    if (error instanceof ModelGateError)
      return `${error.code} (exit ${error.exitCode}): ${error.message} | ${error.hint}`
    throw error
  }
  throw new Error('expected an error')
}

describe('readOptions', () => {
  it('reads each type, undefined when absent', () => {
    const read = readOptions(
      context({
        s: 'text',
        l: ['a,b', ' c '],
        i: '100_000',
        p: '3',
        n: '-1.5e-3',
        prob: '0.25',
        d: '1m30s',
        r: '3000/m',
        pc: '0.1%',
        e: 'ctgan',
        f: 'data/x.csv',
        yes: true,
      }),
    )
    expect([read.string('s'), read.list('l'), read.int('i'), read.positiveInt('p'), read.number('n')]).toEqual([
      'text',
      ['a', 'b', 'c'],
      100_000,
      3,
      -0.0015,
    ])
    expect([read.probability('prob'), read.duration('d'), read.rate('r'), read.percent('pc')]).toEqual([
      0.25, 90_000, 50, 0.001,
    ])
    expect(read.enum('e', ['copula', 'ctgan'])).toBe('ctgan')
    expect(read.file('f')).toEqual({ path: join(dir, 'data/x.csv'), name: 'data/x.csv' })
    expect([read.flag('yes'), read.flag('no')]).toEqual([true, false])
    expect([read.string('x'), read.int('x'), read.duration('x'), read.list('x'), read.file('x')]).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ])
  })

  it('refuses 0 where a positive integer is expected, in the one usage-error style', () => {
    const read = readOptions(context({ k: '0', n: '2.5', m: 'many' }))
    expect(failure(() => read.positiveInt('k'))).toMatchInlineSnapshot(
      `"MG_CLI_USAGE (exit 2): modelgate demo: --k expects a positive integer, got "0". | Usage: modelgate demo [--n N]"`,
    )
    expect(read.int('k')).toBe(0)
    expect(failure(() => read.int('n'))).toContain('--n expects a whole number ≥ 0, got "2.5".')
    expect(failure(() => read.number('m'))).toContain('--m expects a number, got "many".')
  })

  it('names bounds, choices, required flags and positionals', () => {
    const read = readOptions(context({ t: '-1', p: '1.5', e: 'gan', blank: '  ' }, ['a', 'b']))
    expect(failure(() => read.number('t', { min: 0 }))).toContain('--t expects a number ≥ 0, got "-1".')
    expect(failure(() => read.number('t', { above: 0, max: 5 }))).toContain('--t expects a number > 0 and ≤ 5')
    expect(failure(() => read.probability('p'))).toContain('--p expects a number between 0 and 1, got "1.5".')
    expect(failure(() => read.enum('e', ['copula', 'ctgan']))).toContain('--e expects one of copula, ctgan, got "gan".')
    expect(failure(() => read.string('out', { required: true }))).toContain('modelgate demo: --out is required.')
    expect(failure(() => read.string('blank', { required: true }))).toContain('--blank is required.')
    expect(failure(() => read.positional('<data>'))).toContain('expected one <data>, got 2 arguments.')
    expect(failure(() => readOptions(context({})).positional('<data>'))).toContain('missing <data>.')
  })

  it("passes the grammar's message on, naming the flag", () => {
    const read = readOptions(context({ window: '60', rate: '500', share: '5' }))
    expect(failure(() => read.duration('window'))).toMatchInlineSnapshot(
      `"MG_CLI_USAGE (exit 2): modelgate demo: --window: Duration "60": add a unit, e.g. 60s or 60ms. | Usage: modelgate demo [--n N]"`,
    )
    expect(failure(() => read.rate('rate'))).toContain('--rate: Rate "500": add a unit, e.g. 500/s or 500/m.')
    expect(failure(() => read.percent('share'))).toContain('--share: Percentage "5": add %, e.g. 5%.')
  })

  it('reads repeatable SLOs, shards, headers and any other grammar with the same usage errors', () => {
    const read = readOptions(
      context({
        slo: ['p99<100ms', 'errors<1%'],
        shard: '2/4',
        header: ['Authorization: Bearer x', 'X-Tenant:  a '],
        stages: '30s',
      }),
    )
    expect(read.slos('slo').map((s) => s.source)).toEqual(['p99<100ms', 'errors<1%'])
    expect(read.slos('none')).toEqual([])
    expect(read.all('header')).toHaveLength(2)
    expect(read.shard('shard')).toEqual({ index: 2, count: 4 })
    expect(read.headers('header')).toEqual({ Authorization: 'Bearer x', 'X-Tenant': 'a' })
    expect(read.headers('none')).toBeUndefined()
    const bad = readOptions(context({ slo: ['p99<1OOms'], shard: '5/4', header: 'no colon', stages: 'x' }))
    expect(failure(() => bad.slos('slo'))).toMatch(/^MG_CLI_USAGE \(exit 2\): modelgate demo: --slo: .*p99<1OOms/)
    expect(failure(() => bad.shard('shard'))).toContain('--shard expects i/n with 1 ≤ i ≤ n (e.g. 2/4), got "5/4".')
    expect(failure(() => bad.headers('header'))).toContain('--header expects "Name: value", got "no colon".')
    const refuse = (text: string): number => {
      throw new ModelGateError('MG_DEMO', `Stages ${JSON.stringify(text)}: not a stage list.`)
    }
    expect(failure(() => bad.parse('stages', refuse))).toContain('--stages: Stages "x": not a stage list. | Usage:')
  })
})

describe('emitReport', () => {
  const report = createReport({
    kind: 'demo',
    title: 'Demo',
    createdAt: '2026-12-01T00:00:00.000Z',
    checks: [{ id: 'a', name: 'a', group: 'g', verdict: 'inconclusive', message: 'a: 3 rows, need 100' }],
  })

  it('prints only the JSON report on stdout with --json and writes the report files', async () => {
    const ctx = context({ json: true, 'json-out': 'out/r.json', junit: 'out/r.xml', html: 'out/r.html' })
    expect(await emitReport(ctx, report, { details: 'NOT SHOWN' })).toBe(1)
    expect(ctx.stdout).toHaveLength(1)
    expect(JSON.parse(ctx.stdout[0] ?? '')).toEqual(report)
    expect(readdirSync(join(dir, 'out')).sort()).toEqual(['r.html', 'r.json', 'r.xml'])
    expect(JSON.parse(readFileSync(join(dir, 'out/r.json'), 'utf8'))).toEqual(report)
    expect(ctx.stderr).toEqual(['wrote out/r.json', 'wrote out/r.xml', 'wrote out/r.html'])
  })

  it('prints the terminal summary and details otherwise; the exit code comes from verdictExitCode', async () => {
    const ctx = context({ 'allow-inconclusive': true })
    expect(await emitReport(ctx, report, { details: '\n  the rows behind it' })).toBe(0)
    expect(ctx.stdout.join('\n')).toMatchInlineSnapshot(`
      "Demo  INCONCLUSIVE

        INCONCLUSIVE  [g] a: 3 rows, need 100

      1 check: 0 failed, 1 inconclusive, 0 warned, 0 passed
        the rows behind it"
    `)
    expect(ctx.stderr).toEqual([])
  })
})
