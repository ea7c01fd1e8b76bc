import { execFileSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'

const repoRoot = execFileSync('git', ['rev-parse', '--show-toplevel'], { cwd: __dirname, encoding: 'utf8' }).trim()

describe('importing @modelgate/skew', () => {
  it('does not load DuckDB’s native binding until a SQL batch path runs', () => {
    // A fresh process records every native addon it opens: none for the import, DuckDB's for the first SQL run.
    const code = [
      'const opened = []',
      'const dlopen = process.dlopen',
      'process.dlopen = (module, file, ...rest) => { opened.push(file); return dlopen(module, file, ...rest) }',
      "const skew = await import('./packages/skew/src/index.ts')",
      'const afterImport = opened.some((f) => /duckdb/i.test(f))',
      "const { tableFromRows } = await import('./packages/core/src/index.ts')",
      "await skew.batchSql('select k, k * 2 as twice from input').compute(tableFromRows([{ k: 1 }, { k: 2 }]), { key: 'k' })",
      'console.log(JSON.stringify({ afterImport, afterRun: opened.some((f) => /duckdb/i.test(f)) }))',
    ].join('; ')
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
      cwd: repoRoot,
      encoding: 'utf8',
    }).trim()
    expect(JSON.parse(out.split('\n').pop() as string)).toEqual({ afterImport: false, afterRun: true })
  })
})
