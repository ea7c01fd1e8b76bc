import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Table } from '@modelgate/core'
import { ModelGateError } from '@modelgate/core'
import { batchCommand, batchSql, checkSkew, createPathFromSpec, onlineFunction } from '@modelgate/skew'
import { afterAll, describe, expect, it } from 'vitest'

const dir = mkdtempSync(join(tmpdir(), 'modelgate-skew-adapters-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const n = 50
const input: Table = {
  numRows: n,
  columns: [
    { kind: 'integer', name: 'id', values: Float64Array.from({ length: n }, (_, i) => i + 1), valid: null },
    { kind: 'numeric', name: 'x', values: Float64Array.from({ length: n }, (_, i) => i / 4), valid: null },
    {
      kind: 'datetime',
      name: 'ts',
      values: Float64Array.from({ length: n }, (_, i) => Date.UTC(2026, 0, 1 + i)),
      valid: null,
      format: 'iso',
    },
    {
      kind: 'categorical',
      name: 'kind',
      codes: Int32Array.from({ length: n }, (_, i) => i % 3),
      dictionary: ['a', 'b', 'c'],
    },
  ],
}
const online = onlineFunction((row) => ({
  x2: 2 * (row.x as number),
  dom: new Date(row.ts as string).getUTCDate(),
  upper: String(row.kind).toUpperCase(),
}))

async function failure(run: () => Promise<unknown>): Promise<ModelGateError> {
  const error = await run().catch((e: unknown) => e)
  expect(error).toBeInstanceOf(ModelGateError)
  return error as ModelGateError
}

describe('batch adapters', () => {
  it('gives DuckDB the rows as typed columns: numbers, BIGINT ids, TIMESTAMP datetimes, VARCHAR categories', async () => {
    const sql = `SELECT id, x * 2 AS x2, dayofmonth(ts) AS dom, upper(kind) AS upper, typeof(id) || ',' || typeof(x) || ',' || typeof(ts) || ',' || typeof(kind) AS types FROM input`
    const out = await batchSql(sql).compute(input, { key: 'id' })
    const types = out.table.columns.find((c) => c.name === 'types')
    expect(types?.kind === 'categorical' ? types.dictionary : null).toEqual(['BIGINT,DOUBLE,TIMESTAMP,VARCHAR'])
    const report = await checkSkew({ input, key: 'id', batch: batchSql(sql), online, features: ['x2', 'dom', 'upper'] })
    expect(report.verdict).toBe('pass')
  })

  it('wraps a DuckDB error with the SQL path name', async () => {
    const error = await failure(() =>
      checkSkew({ input, key: 'id', batch: batchSql('SELECT id, nope FROM input', { name: 'sql:bad.sql' }), online }),
    )
    expect(error.code).toBe('MG_SKEW_SQL_FAILED')
    expect(error.message).toMatch(/^The batch SQL \(sql:bad\.sql\) failed: .*nope/)
  })

  it('asks for the key when SQL output cannot be matched to the input', async () => {
    const error = await failure(() =>
      checkSkew({ input, key: 'id', batch: batchSql('SELECT x * 2 AS x2 FROM input LIMIT 10'), online }),
    )
    expect(error.code).toBe('MG_SKEW_NO_KEY')
    expect(error.hint).toBe('Select the key column "id" in the output (e.g. SELECT id, … in SQL).')
  })

  it('runs a shell command on a JSONL file and reads its CSV output by extension', async () => {
    const script = join(dir, 'job.py')
    writeFileSync(
      script,
      [
        'import json, sys',
        'rows = [json.loads(l) for l in open(sys.argv[1])]',
        'with open(sys.argv[2], "w") as f:',
        '    f.write("id,x2,dom,upper\\n")',
        "    for r in rows: f.write(f\"{r['id']},{r['x'] * 2},{int(r['ts'][8:10])},{r['kind'].upper()}\\n\")",
      ].join('\n'),
    )
    const batch = batchCommand(`python3 ${script} {input} {output}`, { format: 'jsonl', outputFormat: 'csv' })
    const report = await checkSkew({ input, key: 'id', batch, online })
    expect(report.verdict).toBe('pass')
  })

  it('reports a failing command with its exit code and last stderr lines', async () => {
    const batch = batchCommand(`sh -c 'echo "KeyError: amount" >&2; exit 3' {input} {output}`)
    const error = await failure(() => checkSkew({ input, key: 'id', batch, online }))
    expect(error.code).toBe('MG_SKEW_COMMAND_FAILED')
    expect(error.message).toContain('exited with code 3.\nIts last stderr lines:\nKeyError: amount')
  })

  it('requires both placeholders in a command', () => {
    expect(() => batchCommand('python3 job.py {input}')).toThrow(/must contain both \{input\} and \{output\}/)
  })

  it('rejects duplicate keys in the input', async () => {
    const dup: Table = {
      ...input,
      columns: [
        {
          kind: 'integer',
          name: 'id',
          values: Float64Array.from({ length: n }, (_, i) => (i === 30 ? 4 : i)),
          valid: null,
        },
        ...input.columns.slice(1),
      ],
    }
    const error = await failure(() =>
      checkSkew({ input: dup, key: 'id', batch: batchSql('SELECT id FROM input'), online }),
    )
    expect(error.message).toBe(
      'Key 4 appears more than once in the input (column "id", row 31); rows cannot be joined.',
    )
  })
})

describe('createPathFromSpec', () => {
  it('reads sql: from a file relative to cwd and names the path after the spec', async () => {
    writeFileSync(join(dir, 'f.sql'), 'SELECT id, x * 2 AS x2 FROM input')
    const path = await createPathFromSpec('sql:f.sql', { role: 'batch', cwd: dir })
    expect(path.name).toBe('sql:f.sql')
    const report = await checkSkew({ input, key: 'id', batch: path, online, features: ['x2'] })
    expect(report.verdict).toBe('pass')
  })

  it('loads a module export as an online function', async () => {
    writeFileSync(join(dir, 'online.mjs'), 'export function features(row) { return { x2: row.x * 2 } }\n')
    const path = await createPathFromSpec('module:online.mjs#features', { role: 'online', cwd: dir })
    expect(path.kind).toBe('online')
    const report = await checkSkew({
      input,
      key: 'id',
      batch: batchSql('SELECT id, x * 2 AS x2 FROM input'),
      online: path,
    })
    expect(report.verdict).toBe('pass')
  })

  it('takes a spec with {input} and {output} and no cmd: prefix as a command', async () => {
    writeFileSync(
      join(dir, 'job.mjs'),
      [
        "import { readFileSync, writeFileSync } from 'node:fs'",
        "const [head, ...rows] = readFileSync(process.argv[2], 'utf8').trim().split('\\n')",
        "const cols = head.split(',')",
        "const id = cols.indexOf('id'), x = cols.indexOf('x')",
        "writeFileSync(process.argv[3], ['id,x2', ...rows.map((r) => { const f = r.split(','); return f[id] + ',' + Number(f[x]) * 2 })].join('\\n') + '\\n')",
      ].join('\n'),
    )
    const path = await createPathFromSpec(`${process.execPath} job.mjs {input} {output}`, { role: 'batch', cwd: dir })
    const report = await checkSkew({ input, key: 'id', batch: path, online, features: ['x2'] })
    expect(report.verdict).toBe('pass')
    const error = await failure(() => createPathFromSpec('python3 job.py', { role: 'batch', cwd: dir }))
    expect(error.message).toContain('no adapter scheme; a command needs {input} and {output} placeholders')
  })

  it('lists the exports when the named one is missing', async () => {
    writeFileSync(join(dir, 'mod.mjs'), 'export const a = 1\nexport function b() {}\n')
    const error = await failure(() => createPathFromSpec('module:mod.mjs#features', { role: 'batch', cwd: dir }))
    expect(error.code).toBe('MG_SKEW_BAD_ADAPTER')
    expect(error.message).toContain('has no function or FeaturePath export "features". Its exports: a, b.')
  })
})
