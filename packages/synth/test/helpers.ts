import { execFileSync } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Column, Table } from '@modelgate/core'

const here = path.dirname(fileURLToPath(import.meta.url))
export const repoRoot = execFileSync('git', ['rev-parse', '--show-toplevel'], { cwd: here, encoding: 'utf8' }).trim()
export const adultPath = path.resolve(repoRoot, 'test/data/adult.csv')
export const transactionsPath = path.resolve(repoRoot, 'examples/data/transactions.csv')

export function column(table: Table, name: string): Column {
  const c = table.columns.find((x) => x.name === name)
  if (c === undefined) throw new Error(`no column ${name}`)
  return c
}

/** Every non-null value of a column as text. */
export function textValues(c: Column): string[] {
  const out: string[] = []
  const n = c.kind === 'categorical' ? c.codes.length : c.values.length
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
