import { readFile } from 'node:fs/promises'
import path from 'node:path'
import type { Expectations } from '@modelgate/contracts'
import { checkExpectations, deriveExpectations, parseExpectations } from '@modelgate/contracts'
import type { Table } from '@modelgate/core'
import { tableFromRows } from '@modelgate/core'
import { describe, expect, it } from 'vitest'
import { generatePayloads } from '../../../examples/fraud-detection/service/generatePayloads.js'
import { loadFraudSchema } from './support/fraudService.js'

const baseline = generatePayloads({ n: 2000, seed: 21, deviceFingerprintNullRate: 0.01 })
const regression = generatePayloads({ n: 2000, seed: 22, deviceFingerprintNullRate: 0.38 })

async function fraudExpectations(): Promise<Expectations> {
  return deriveExpectations({
    schema: await loadFraudSchema('request'),
    sample: baseline,
    schemaSource: 'request.schema.json',
    sampleSource: 'baseline.jsonl',
  })
}

describe('deriveExpectations', () => {
  it('derives required fields, null-rate bounds, allowed categories and quantile bands from schema + healthy sample', async () => {
    const e = await fraudExpectations()
    const by = new Map(e.features.map((f) => [f.name, f]))
    expect(e.features.every((f) => f.required)).toBe(true)
    // 1.0% observed + max(4 points, 3 standard errors) → 5.0%.
    expect(by.get('device_fingerprint')?.maxNullRate).toBe(0.05)
    expect(by.get('amount')?.maxNullRate).toBe(0)
    expect(by.get('merchant_category')?.allowedValues).toEqual(['grocery', 'electronics', 'travel', 'gaming', 'fuel'])
    expect(by.get('amount')?.quantiles?.map((q) => q.p)).toEqual([0.05, 0.25, 0.5, 0.75, 0.95])
    // PII columns get presence and null-rate expectations only.
    expect(by.get('customer_email')).toEqual({ name: 'customer_email', kind: 'text', required: true, maxNullRate: 0 })
    expect(e.derivedFrom).toEqual({ schema: 'request.schema.json', sample: 'baseline.jsonl', rows: 2000 })
  })

  it('keeps only categories seen at least k times when the schema declares none', async () => {
    const schema = { version: 1 as const, columns: [{ name: 'plan', kind: 'categorical' as const, nullable: false }] }
    const rows = [...Array(20).fill({ plan: 'basic' }), ...Array(6).fill({ plan: 'pro' }), { plan: 'vip-jane-doe' }]
    const e = await deriveExpectations({ schema, sample: rows })
    expect(e.features[0]?.allowedValues).toEqual(['basic', 'pro'])
    expect(JSON.stringify(e)).not.toContain('vip-jane-doe')
    // 1 rare value in 27, plus one point of tolerance, rounded up to 0.1%.
    expect(e.features[0]?.maxOtherRate).toBe(0.048)
  })
})

describe('checkExpectations', () => {
  it('flags device_fingerprint when its null rate passes 5%', async () => {
    const report = await checkExpectations(await fraudExpectations(), regression, { source: 'payloads.jsonl' })
    expect(report.verdict).toBe('fail')
    const failed = report.checks.filter((c) => c.verdict === 'fail')
    expect(failed.map((c) => c.message)).toEqual(['device_fingerprint null rate 38.0% > 5.0% (n=2,000)'])
    expect(failed[0]?.id).toBe('contracts.null_rate.device_fingerprint')
    expect(report.summary).toEqual({ payloads: 2000, checks: report.checks.length, failed: 1 })
  })

  it('passes a healthy sample from the same population', async () => {
    const healthy = generatePayloads({ n: 2000, seed: 99, deviceFingerprintNullRate: 0.012 })
    const report = await checkExpectations(await fraudExpectations(), healthy)
    expect(report.checks.filter((c) => c.verdict === 'fail').map((c) => c.message)).toEqual([])
    expect(report.verdict).toBe('pass')
  })

  it('gives the same verdicts on streamed columnar tables as on rows', async () => {
    const e = await fraudExpectations()
    const schema = await loadFraudSchema('request')
    const kinds = Object.fromEntries(schema.columns.map((c) => [c.name, c.kind]))
    async function* chunks(): AsyncGenerator<Table> {
      yield tableFromRows(regression.slice(0, 700), { kinds })
      yield tableFromRows(regression.slice(700), { kinds })
    }
    const fromTables = await checkExpectations(e, chunks())
    const fromRows = await checkExpectations(e, regression)
    expect(fromTables.checks.map((c) => [c.id, c.verdict, c.message])).toEqual(
      fromRows.checks.map((c) => [c.id, c.verdict, c.message]),
    )
  })

  it('reports missing fields, unknown categories (never naming rare ones) and quantile shifts', async () => {
    const e = parseExpectations({
      version: 1,
      features: [
        { name: 'plan', kind: 'categorical', allowedValues: ['basic', 'pro'] },
        { name: 'amount', kind: 'numeric', quantiles: [{ p: 0.5, min: 40, max: 60 }] },
      ],
    })
    const rows = [
      ...Array.from({ length: 90 }, (_, i) => ({ plan: i % 2 === 0 ? 'basic' : 'pro', amount: 200 + i })),
      ...Array.from({ length: 6 }, () => ({ plan: 'enterprise', amount: 210 })),
      { plan: 'jane.doe@corp.example', amount: 1 },
      { amount: 5 },
    ]
    const report = await checkExpectations(e, rows)
    expect(report.checks.filter((c) => c.verdict === 'fail').map((c) => c.message)).toEqual([
      'plan missing in 1 of 98 payloads (1.0%)',
      'plan: 7.2% of values outside the allowed set > 0.0% (n=97): "enterprise" (6) and 1 rarer value',
      'amount p50 240.5 outside [40, 60] (n=98)',
    ])
    expect(JSON.stringify(report)).not.toContain('jane.doe')
  })

  it('computes quantiles as numpy does (type 7), checked against a committed numpy fixture', async () => {
    const fixture = JSON.parse(await readFile(path.join(import.meta.dirname, 'fixtures/quantiles.json'), 'utf8')) as {
      data: number[]
      quantiles: { p: number; value: number }[]
    }
    const e = parseExpectations({
      version: 1,
      features: [
        { name: 'x', kind: 'numeric', quantiles: fixture.quantiles.map((q) => ({ p: q.p, min: 0, max: 1e9 })) },
      ],
    })
    const report = await checkExpectations(
      e,
      fixture.data.map((x) => ({ x })),
    )
    const metrics = report.checks.find((c) => c.id === 'contracts.quantiles.x')?.metrics ?? {}
    for (const q of fixture.quantiles) expect(metrics[`p${Number((q.p * 100).toPrecision(4))}`]).toBeCloseTo(q.value, 9)
  })

  it('refuses an expectations file with a clear message', () => {
    expect(() =>
      parseExpectations({ version: 1, features: [{ name: 'a', kind: 'numeric', maxNullRate: 1.5 }] }, 'exp.json'),
    ).toThrow('Expectations exp.json at features.0.maxNullRate: Number must be less than or equal to 1.')
  })
})
