// Test and bench helper: reads ../shared/data/adult.csv into a core Table (the file has no quoting;
// values carry a leading space; `?` is missing). Used until core's CSV reader can be relied on here.
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Column, Table } from '@modelgate/core'

const here = dirname(fileURLToPath(import.meta.url))

export function adultPath(): string {
  const root = execFileSync('git', ['rev-parse', '--show-toplevel'], { cwd: here, encoding: 'utf8' }).trim()
  return resolve(root, '../shared/data/adult.csv')
}

const NUMERIC = new Set(['age', 'fnlwgt', 'education-num', 'capital-gain', 'capital-loss', 'hours-per-week'])

/** Adult as a Table: six integer columns, nine categorical; `rows` keeps the first n rows. */
export function readAdult(rows?: number): Table {
  const lines = readFileSync(adultPath(), 'utf8').split('\n').filter((l) => l.length > 0)
  const header = lines[0]!.split(',')
  const body = lines.slice(1, rows === undefined ? undefined : rows + 1)
  const n = body.length
  const cells = body.map((l) => l.split(','))
  const columns: Column[] = header.map((name, j) => {
    if (NUMERIC.has(name)) {
      const values = new Float64Array(n)
      for (let i = 0; i < n; i++) values[i] = Number(cells[i]![j])
      return { kind: 'integer', name, values, valid: null }
    }
    const dictionary: string[] = []
    const index = new Map<string, number>()
    const codes = new Int32Array(n)
    for (let i = 0; i < n; i++) {
      const v = cells[i]![j]!.trim()
      if (v === '?') {
        codes[i] = -1
        continue
      }
      let c = index.get(v)
      if (c === undefined) {
        c = dictionary.length
        dictionary.push(v)
        index.set(v, c)
      }
      codes[i] = c
    }
    return { kind: 'categorical', name, codes, dictionary }
  })
  return { numRows: n, columns }
}
