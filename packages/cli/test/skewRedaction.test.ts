// Issue #12: `modelgate skew` printed and wrote the input rows of its worst rows with their PII unless `--redact` was
// given. Through the CLI: everything printed and every report file is scanned for the personal values.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { runCli } from './support/runCli.js'

const dir = mkdtempSync(join(tmpdir(), 'mg-cli-skew-redact-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const GIVEN = ['Alice', 'Robert', 'Maria', 'James', 'Linda', 'David']
const SURNAMES = [
  'Zorblax',
  'Quindle',
  'Farrowby',
  'Plimsoll',
  'Trevarrow',
  'Ostergaard',
  'Merriwether',
  'Huxtaby',
  'Penhallow',
  'Vantreight',
]
const rows = Array.from({ length: 60 }, (_, i) => ({
  id: i + 1,
  customer: `${GIVEN[i % 6]} ${SURNAMES[Math.floor(i / 6)]}`,
  email: `${(GIVEN[i % 6] as string).toLowerCase()}.${i}@mailbox-${i % 7}.org`,
  memo: `callback about parcel ${9000 + i} left at the blue door`,
  amount: 10 + i,
}))
writeFileSync(
  join(dir, 'rows.csv'),
  `id,customer,email,memo,amount\n${rows.map((r) => `${r.id},${r.customer},${r.email},${r.memo},${r.amount}`).join('\n')}\n`,
)
writeFileSync(
  join(dir, 'paths.mjs'),
  `export function batch(table) {
  const amount = table.columns.find((c) => c.name === 'amount')
  return { numRows: table.numRows, columns: [table.columns.find((c) => c.name === 'id'), { kind: 'numeric', name: 'score', values: Float64Array.from(amount.values, (v) => Math.log1p(v)), valid: null }] }
}
export function online(row) { return { score: Math.log1p(row.amount) * 1.5 } }
`,
)
writeFileSync(
  join(dir, 'schema.json'),
  JSON.stringify({
    version: 1,
    columns: [
      { name: 'id', kind: 'id' },
      { name: 'customer', kind: 'text' },
      { name: 'email', kind: 'text' },
      { name: 'memo', kind: 'text', pii: { type: 'free_text' } },
      { name: 'amount', kind: 'integer' },
    ],
  }),
)

describe('modelgate skew redacts PII by default', () => {
  it('prints and writes worst rows without names, emails or a tagged memo', async () => {
    const { code, out, err } = await runCli(
      [
        'skew',
        '--rows',
        'rows.csv',
        '--key',
        'id',
        '--batch',
        'module:paths.mjs#batch',
        '--online',
        'module:paths.mjs#online',
        '--schema',
        'schema.json',
        '--worst-rows',
        '60',
        '--json-out',
        'r.json',
        '--html',
        'r.html',
        '--junit',
        'r.xml',
      ],
      dir,
    )
    expect(code).toBe(1)
    expect(out).toMatch(/customer=\[redacted\] email=\[redacted\] memo=\[redacted\] amount=\d+/)
    expect(out).toMatch(
      /redacted \(PII\): customer \(detected: .*\), email \(detected: .*\), memo \(tagged free_text in the schema\)/,
    )
    const everything = [out, err, ...['r.json', 'r.html', 'r.xml'].map((f) => readFileSync(join(dir, f), 'utf8'))].join(
      '\n',
    )
    const leaked = rows.flatMap((r) => [r.customer, r.email, r.memo]).filter((s) => everything.includes(s))
    expect(leaked).toEqual([])
  })
})
