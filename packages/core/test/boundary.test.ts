import type { ArgumentShape } from '@modelgate/core'
import {
  checkArgument,
  importOptional,
  isModuleNotFound,
  ModelGateError,
  tableArgument,
  tableFromRows,
} from '@modelgate/core'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { thrown } from './support/caughtErrors.js'

interface Options {
  readonly seed?: number
  readonly mode?: 'fast' | 'exact'
  readonly columns?: readonly string[]
}
const optionsShape = {
  seed: z.number().int().optional(),
  mode: z.enum(['fast', 'exact']).optional(),
  columns: z.array(z.string()).optional(),
} satisfies ArgumentShape<Options>
const site = { call: 'fit(table, options)', name: 'options' }

describe('checkArgument', () => {
  it('names the function, the path inside the argument and what was expected', () => {
    const error = thrown(() => checkArgument(z.object(optionsShape), { seed: '7', columns: ['a', 2] }, site))
    expect(error.code).toBe('MG_ARGUMENT_INVALID')
    expect(error.exitCode).toBe(2)
    expect(error.message).toBe(
      'fit(table, options): options.seed: expected a number, got a string; options.columns[1]: expected a string, got a number.',
    )
  })

  it('says a required argument is missing, and quotes enum choices', () => {
    expect(thrown(() => checkArgument(z.object({ rows: z.number() }), {}, site)).message).toBe(
      'fit(table, options): options.rows: is required (a number).',
    )
    expect(thrown(() => checkArgument(z.object(optionsShape), { mode: 'slow' }, site)).message).toMatch(
      /options\.mode: invalid enum value\. Expected 'fast' \| 'exact', received 'slow'/,
    )
  })

  it('lets a valid argument through untouched, unknown keys included', () => {
    expect(() => checkArgument(z.object(optionsShape), { seed: 3, extra: true }, site)).not.toThrow()
  })
})

describe('tableArgument', () => {
  const check = (value: unknown) => checkArgument(tableArgument, value, { call: 'profile(table)', name: 'table' })

  it('accepts a table', () => {
    expect(() => check(tableFromRows([{ a: 1, b: 'x' }]))).not.toThrow()
  })

  it('explains what it got instead of a table', () => {
    expect(thrown(() => check([{ a: 1 }])).message).toBe(
      'profile(table): table: expected a Table, got an array (rows? tableFromRows(rows) makes a Table of them).',
    )
    expect(thrown(() => check('data.csv')).message).toBe(
      'profile(table): table: expected a Table, got a string (a file? readTable(path) reads one).',
    )
    expect(thrown(() => check(undefined)).message).toBe(
      'profile(table): table: expected a Table ({ numRows, columns }), got undefined.',
    )
    expect(
      thrown(() =>
        check({ numRows: 3, columns: [{ name: 'x', kind: 'numeric', values: new Float64Array(2), valid: null }] }),
      ).message,
    ).toBe('profile(table): table: column "x" holds 2 values for numRows 3.')
  })
})

describe('importOptional', () => {
  const dependency = {
    name: 'mg-not-installed-package',
    version: '1.2.3',
    peerOf: '@modelgate/example',
    neededFor: 'The example path',
  }

  it('names the package to add when it is not installed', async () => {
    const error = await importOptional(() => import('mg-not-installed-package' as string), dependency).catch(
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(ModelGateError)
    expect(error).toMatchObject({
      code: 'MG_DEPENDENCY_MISSING',
      message:
        'The example path needs mg-not-installed-package, an optional peer dependency of @modelgate/example, which is not installed.',
      hint: 'Add it beside @modelgate/example: npm install mg-not-installed-package@1.2.3',
    })
  })

  it('rethrows any other failure as it is', async () => {
    const broken = new Error('native binding failed to load')
    await expect(importOptional(() => Promise.reject(broken), dependency)).rejects.toBe(broken)
    expect(
      isModuleNotFound(Object.assign(new Error("Cannot find module 'other'"), { code: 'MODULE_NOT_FOUND' }), 'x'),
    ).toBe(false)
  })
})
