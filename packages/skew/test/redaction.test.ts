// Issue #12: skew printed and wrote the input rows of its worst rows with their PII (`email=…`) unless told which
// columns to redact. PII columns — tagged in a schema or detected by core's detectPii — are now redacted by default,
// in the report and everything rendered from it, and so is a PII key or entity column.
import type { Table } from '@modelgate/core'
import { defineSchema, renderHtml, renderJUnit, renderTerminalReport, tableFromRows } from '@modelgate/core'
import type { InputRow, SkewReport } from '@modelgate/skew'
import { batchFunction, checkLeakage, checkSkew, onlineFunction, renderSkewDetails, toReport } from '@modelgate/skew'
import { describe, expect, it } from 'vitest'

const GIVEN = ['Alice', 'Robert', 'Maria', 'James', 'Linda', 'David']
const SURNAMES = ['Zorblax', 'Quindle', 'Farrowby', 'Plimsoll', 'Trevarrow', 'Ostergaard']

/** 60 customers: name, email, digit-only phone, a free-text memo and an amount; every value personal but the amount. */
function customers(): Table {
  return tableFromRows(
    Array.from({ length: 60 }, (_, i) => ({
      customer: `${GIVEN[i % 6]} ${SURNAMES[Math.floor(i / 6) % 6]}${i >= 36 ? 'son' : ''}`,
      email: `${(GIVEN[i % 6] as string).toLowerCase()}.${i}@mailbox-${i % 7}.org`,
      phone: 2025550100 + i * 7919,
      memo: `callback re order ${1000 + i}`,
      amount: 10 + i,
    })),
  )
}

/** Every personal value of the table, as text. */
function secrets(table: Table): string[] {
  const out: string[] = []
  for (const column of table.columns) {
    if (column.name === 'amount') continue
    for (let i = 0; i < table.numRows; i++) {
      const v =
        column.kind === 'text' || column.kind === 'id'
          ? column.values[i]
          : column.kind === 'categorical'
            ? column.dictionary[column.codes[i] as number]
            : column.kind === 'integer' || column.kind === 'numeric'
              ? column.values[i]
              : undefined
      if (v !== undefined && v !== null) out.push(String(v))
    }
  }
  return out
}

const features = (row: InputRow): { score: number } => ({ score: Math.log1p(row.amount as number) })
const batch = batchFunction((t) => {
  const amount = t.columns.find((c) => c.name === 'amount') as { values: Float64Array }
  return {
    numRows: t.numRows,
    columns: [
      { kind: 'numeric', name: 'score', values: Float64Array.from(amount.values, (v) => Math.log1p(v)), valid: null },
    ],
  }
})
/** An online path that disagrees on every row, so that every row is a worst-row candidate. */
const drifting = onlineFunction((row) => ({ score: features(row).score * 1.5 }))

/** Everything a skew run can show: the report as JSON, and the terminal, JUnit and HTML renderings. */
function everything(report: SkewReport): string {
  const shared = toReport(report)
  return [
    JSON.stringify(report),
    renderTerminalReport(shared),
    renderJUnit(shared),
    renderHtml(shared),
    renderSkewDetails(report),
  ].join('\n')
}

function leaked(text: string, table: Table): string[] {
  return secrets(table).filter((s) => text.includes(s))
}

describe('skew redacts PII by default', () => {
  it('detected PII columns (names, emails, digit-only phones) never reach the report or its renderings', async () => {
    const input = customers()
    const report = await checkSkew({ input, batch, online: drifting, worstRows: 60 })
    const worst = report.features[0]?.worstRows ?? []
    expect(worst.length).toBe(60)
    expect(worst[0]?.input).toMatchObject({ customer: '[redacted]', email: '[redacted]', phone: '[redacted]' })
    expect(report.redactedColumns.map((c) => c.column)).toEqual(['customer', 'email', 'phone'])
    expect(report.redactedColumns[1]?.reason).toMatch(/detected/)
    expect(leaked(everything(report), input).filter((s) => !s.startsWith('callback'))).toEqual([])
  })

  it('redacts a column a schema tags as PII although detection would not flag it', async () => {
    const input = customers()
    const schema = defineSchema({ version: 1, columns: [{ name: 'memo', kind: 'text', pii: { type: 'free_text' } }] })
    const report = await checkSkew({ input, schema, batch, online: drifting, worstRows: 60 })
    expect(report.features[0]?.worstRows[0]?.input.memo).toBe('[redacted]')
    expect(report.redactedColumns.find((c) => c.column === 'memo')?.reason).toBe('tagged free_text in the schema')
    expect(leaked(everything(report), input)).toEqual([])
  })

  it('redacts a PII key in worst rows, their one-line summary and the failed rows', async () => {
    const input = customers()
    const failingOnline = onlineFunction((row) => {
      if ((row.amount as number) % 10 === 0) throw new Error(`no score for ${String(row.email)}`)
      return { score: features(row).score * 1.5 }
    })
    const report = await checkSkew({ input, key: 'email', batch, online: failingOnline, worstRows: 60 })
    expect(report.features[0]?.worstRows[0]?.key).toBe('[redacted]')
    expect(report.rows.failures.online.length).toBe(6)
    expect(report.rows.failures.online[0]?.key).toBe('[redacted]')
    expect(leaked(everything(report), input).filter((s) => !s.startsWith('callback'))).toEqual([])
  })

  it('redacts the values of a feature that is itself PII (an echoed email)', async () => {
    const input = customers()
    const echoBatch = batchFunction((t) => ({
      numRows: t.numRows,
      columns: [{ ...(t.columns.find((c) => c.name === 'email') as Table['columns'][number]), name: 'contact' }],
    }))
    const echoOnline = onlineFunction((row) => ({ contact: String(row.email).toUpperCase() }))
    const report = await checkSkew({ input, batch: echoBatch, online: echoOnline, worstRows: 60 })
    const contact = report.features[0]
    expect(contact?.verdict).toBe('fail')
    expect(contact?.worstRows[0]).toMatchObject({ batch: '[redacted]', online: '[redacted]' })
    const text = everything(report)
    expect(leaked(text, input).filter((s) => !s.startsWith('callback'))).toEqual([])
    expect(leaked(text.toLowerCase(), input).filter((s) => s.includes('@'))).toEqual([])
  })

  it('keeps the values of columns that are not PII', async () => {
    const report = await checkSkew({ input: customers(), batch, online: drifting, worstRows: 1 })
    expect(typeof report.features[0]?.worstRows[0]?.input.amount).toBe('number')
  })
})

describe('leakage redacts a PII entity column', () => {
  it('shows offending rows of a leaky customer without the customer email', () => {
    const rows = Array.from({ length: 40 }, (_, i) => ({
      email: `person.${i % 8}@inbox-${i % 8}.net`,
      at: new Date(Date.UTC(2026, 0, 1 + i)).toISOString(),
      split: i % 5 === 4 ? 'train' : 'test',
    }))
    const table = tableFromRows(rows)
    const report = checkLeakage(table, { time: 'at', split: 'split', entity: 'email' })
    const check = report.checks.find((c) => c.id === 'entity-train-before-test')
    expect(check?.verdict).toBe('fail')
    expect(check?.examples[0]?.entity).toBe('[redacted]')
    const text = [JSON.stringify(report), renderTerminalReport(toReport(report)), renderHtml(toReport(report))].join(
      '\n',
    )
    expect(rows.filter((r) => text.includes(r.email))).toEqual([])
  })
})
