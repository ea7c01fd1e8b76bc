import type { Table } from '@modelgate/core'
import { getColumn, ModelGateError } from '@modelgate/core'
import type { FeatureRecord, InputRow } from '@modelgate/skew'
import { batchFunction, checkSkew, onlineFunction, toReport } from '@modelgate/skew'
import { describe, expect, it } from 'vitest'
import { createRng } from '../../../examples/fraud-detection/features/generateTransactions.js'

const n = 2000
const rng = createRng(11)
const x = Float64Array.from({ length: n }, () => rng() * 100)
const input: Table = {
  numRows: n,
  columns: [
    { kind: 'id', name: 'id', values: Array.from({ length: n }, (_, i) => `r${i}`) },
    { kind: 'numeric', name: 'x', values: x, valid: null },
    { kind: 'categorical', name: 'email', codes: new Int32Array(n), dictionary: ['jane@example.com'] },
  ],
}
const features = (row: InputRow): { score: number; band: string; flag: boolean } => {
  const v = row.x as number
  return { score: Math.log1p(v), band: v < 33 ? 'low' : v < 66 ? 'mid' : 'high', flag: v > 90 }
}
const batch = batchFunction((t) => {
  const values = (getColumn(t, 'x') as { values: Float64Array }).values
  const bands = Int32Array.from(values, (v) => (v < 33 ? 0 : v < 66 ? 1 : 2))
  return {
    numRows: t.numRows,
    columns: [
      { kind: 'numeric', name: 'score', values: Float64Array.from(values, (v) => Math.log1p(v)), valid: null },
      { kind: 'categorical', name: 'band', codes: bands, dictionary: ['low', 'mid', 'high'] },
      { kind: 'boolean', name: 'flag', values: Uint8Array.from(values, (v) => (v > 90 ? 1 : 0)), valid: null },
    ],
  }
})
const online = (change: (row: InputRow, f: ReturnType<typeof features>) => FeatureRecord) =>
  onlineFunction((row) => change(row, features(row)))

describe('checkSkew', () => {
  it('passes identical paths and keys rows by a generated __row key when no key is given', async () => {
    const seen = new Set<string>()
    const report = await checkSkew({
      input,
      batch,
      online: online((row, f) => {
        for (const k of Object.keys(row)) seen.add(k)
        return f
      }),
    })
    expect(report.key).toBe('__row')
    expect([...seen]).toEqual(['id', 'x', 'email']) // the generated key is not sent to the service
    expect(report.verdict).toBe('pass')
    expect(report.features.map((f) => [f.feature, f.verdict])).toEqual([
      ['score', 'pass'],
      ['band', 'pass'],
      ['flag', 'pass'],
    ])
  })

  it('reports a feature missing from the online response as schema skew', async () => {
    const report = await checkSkew({
      input,
      key: 'id',
      batch,
      online: online((_, f) => ({ score: f.score, band: f.band })),
    })
    const flag = report.features.find((f) => f.feature === 'flag')
    expect(flag?.verdict).toBe('fail')
    expect(flag?.schema.problems).toEqual(['missing in the online output'])
    expect(flag?.message).toBe('flag is missing in the online output.')
    expect(report.features.find((f) => f.feature === 'score')?.verdict).toBe('pass')
  })

  it('reports a type change when the service sends a number as a string', async () => {
    const report = await checkSkew({
      input,
      key: 'id',
      batch,
      online: online((_, f) => ({ ...f, score: f.score.toFixed(3) })),
    })
    const score = report.features.find((f) => f.feature === 'score')
    expect(score?.schema).toMatchObject({ batchType: 'number', onlineType: 'string', verdict: 'fail' })
    expect(score?.schema.problems).toContain('type changed: number in batch, string online')
    expect(score?.verdict).toBe('fail')
  })

  it('flags band when its null rate online passes the allowed difference', async () => {
    const report = await checkSkew({
      input,
      key: 'id',
      batch,
      online: online((row, f) => ({ ...f, band: (row.x as number) > 95 ? null : f.band })),
    })
    const band = report.features.find((f) => f.feature === 'band')
    expect(band?.schema.onlineNullRate).toBeGreaterThan(0.03)
    expect(band?.schema.batchNullRate).toBe(0)
    expect(band?.schema.problems[0]).toMatch(/^null rate 0\.0% in batch vs \d\.\d% online/)
    expect(band?.nullMismatches).toBe(band?.compared !== undefined ? band.compared - band.agreeing : -1)
    expect(band?.worstRows[0]?.online).toBeNull()
  })

  it('compares a batch datetime with the ISO 8601 string an HTTP service returns, and finds an hour shift', async () => {
    const at = (t: Table): Float64Array =>
      Float64Array.from(
        (getColumn(t, 'x') as { values: Float64Array }).values,
        (v) => Date.UTC(2026, 0, 1) + Math.round(v) * 3_600_000,
      )
    const withTime = batchFunction((t) => ({
      numRows: t.numRows,
      columns: [{ kind: 'datetime', name: 'last_seen', values: at(t), valid: null, format: 'iso' }],
    }))
    const iso = (shiftMs: number) =>
      onlineFunction((row) => ({
        last_seen: new Date(Date.UTC(2026, 0, 1) + Math.round(row.x as number) * 3_600_000 + shiftMs).toISOString(),
      }))
    const same = await checkSkew({ input, key: 'id', batch: withTime, online: iso(0) })
    expect(same.features[0]?.schema.problems).toEqual([])
    expect(same.verdict).toBe('pass')
    const shifted = await checkSkew({ input, key: 'id', batch: withTime, online: iso(3_600_000) })
    expect(shifted.features[0]?.maxAbsDifference).toBe(3_600_000)
    expect(shifted.features[0]?.worstRows[0]?.online).toMatch(/^2026-01-\d\dT\d\d:00:00\.000Z$/)
    expect(shifted.verdict).toBe('fail')
  })

  it('keeps a difference within tolerance as agreement and one outside it as skew', async () => {
    const nudged = online((_, f) => ({ ...f, score: f.score + 1e-7 }))
    expect((await checkSkew({ input, key: 'id', batch, online: nudged, tolerance: 1e-6 })).verdict).toBe('pass')
    const strict = await checkSkew({
      input,
      key: 'id',
      batch,
      online: online((_, f) => ({ ...f, score: f.score + 1e-7 })),
      tolerance: 1e-9,
    })
    expect(strict.features.find((f) => f.feature === 'score')?.agreementRate).toBe(0)
  })

  it('charts a skewed numeric feature as online vs batch per row, its worst rows among the points', async () => {
    const report = await checkSkew({
      input,
      key: 'id',
      batch,
      online: online((row, f) => ({ ...f, score: Number(String(row.id).slice(1)) % 10 === 0 ? f.score + 5 : f.score })),
    })
    expect(report.features.find((f) => f.feature === 'score')?.verdict).toBe('fail')
    const score = report.features.find((f) => f.feature === 'score')
    expect(score?.pairs?.batch.length).toBeGreaterThan(10)
    expect(score?.pairs?.batch.length).toBeLessThanOrEqual(400)
    // Every worst row is among the points, and about a tenth of the even spread sits 5 above the y = x line.
    const off = (score?.pairs?.batch ?? []).filter((b, i) => Math.abs((score?.pairs?.online[i] ?? b) - b - 5) < 1e-9)
    expect(score?.worstRows.length).toBeGreaterThan(0)
    expect(off.length).toBeGreaterThanOrEqual(score?.worstRows.length ?? 1)
    const charts = toReport(report).checks.find((c) => c.id === 'skew.feature.score')?.charts ?? []
    expect(charts[0]).toMatchObject({ kind: 'scatter', xLabel: 'batch', yLabel: 'online', diagonal: true })
  })

  it('never copies a redacted input column into the report', async () => {
    const report = await checkSkew({
      input,
      key: 'id',
      batch,
      online: online((_, f) => ({ ...f, score: f.score * 1.5 })),
      redactColumns: ['email'],
    })
    const text = JSON.stringify(toReport(report))
    expect(report.features.find((f) => f.feature === 'score')?.worstRows[0]?.input.email).toBe('[redacted]')
    expect(text).not.toContain('jane@example.com')
  })

  it('shows a category seen fewer than 5 times as (rare), never its value', async () => {
    const codes = new Int32Array(n) // every row "common" …
    codes[17] = 1 // … except one
    const withRare: Table = {
      ...input,
      columns: [
        ...input.columns,
        { kind: 'categorical', name: 'merchant', codes, dictionary: ['common', 'Tiny Corner Shop'] },
      ],
    }
    const report = await checkSkew({
      input: withRare,
      key: 'id',
      batch,
      online: online((_, f) => ({ ...f, score: f.score + 1 })),
      worstRows: n,
    })
    const row17 = report.features.find((f) => f.feature === 'score')?.worstRows.find((w) => w.key === 'r17')
    expect(row17?.input.merchant).toBe('(rare)')
    expect(JSON.stringify(toReport(report))).not.toContain('Tiny Corner Shop')
  })

  it('discounts the online path\u2019s own nondeterminism with a second run (noise control)', async () => {
    const jitter = createRng(5)
    const noisy = () => online((_, f) => ({ ...f, score: f.score + (jitter() - 0.5) * 1e-4 }))
    const without = await checkSkew({ input, key: 'id', batch, online: noisy(), tolerance: 1e-9 })
    expect(without.features.find((f) => f.feature === 'score')?.verdict).toBe('fail')
    const withNoise = await checkSkew({ input, key: 'id', batch, online: noisy(), tolerance: 1e-9, noise: 'online' })
    const score = withNoise.features.find((f) => f.feature === 'score')
    expect(score?.noiseFloor).toBeGreaterThan(5e-5)
    expect(score?.noiseFloor).toBeLessThanOrEqual(1e-4)
    expect(score?.verdict).toBe('pass')
    expect(withNoise.verdict).toBe('pass')
  })

  it('measures both paths when noise is "both" and takes the larger floor', async () => {
    const jitterB = createRng(8)
    const noisyBatch = batchFunction((t) => {
      const values = (getColumn(t, 'x') as { values: Float64Array }).values
      return {
        numRows: t.numRows,
        columns: [
          {
            kind: 'numeric',
            name: 'score',
            values: Float64Array.from(values, (v) => Math.log1p(v) + (jitterB() - 0.5) * 1e-3),
            valid: null,
          },
        ],
      }
    })
    const jitterO = createRng(9)
    const report = await checkSkew({
      input,
      key: 'id',
      batch: noisyBatch,
      online: online((_, f) => ({ score: f.score + (jitterO() - 0.5) * 1e-5 })),
      noise: 'both',
    })
    const score = report.features[0]
    expect(score?.noiseFloor).toBeGreaterThan(5e-4) // the batch path's jitter dominates
    expect(score?.verdict).toBe('pass')
    expect(report.noise).toBe('both')
  })

  it('still fails a real skew under noise control, because it is larger than the noise', async () => {
    const jitter = createRng(6)
    const report = await checkSkew({
      input,
      key: 'id',
      batch,
      noise: 'online',
      online: online((_, f) => ({ ...f, score: f.score + 0.01 + (jitter() - 0.5) * 1e-4 })),
    })
    expect(report.features.find((f) => f.feature === 'score')?.verdict).toBe('fail')
  })

  it('judges an approximate feature statistically: TOST-equivalent rounding passes, a shift fails', async () => {
    const rounded = await checkSkew({
      input,
      key: 'id',
      batch,
      statistical: ['score'],
      online: online((_, f) => ({ ...f, score: Math.round(f.score * 100) / 100 })),
    })
    const score = rounded.features.find((f) => f.feature === 'score')
    expect(score?.mode).toBe('statistical')
    expect(score?.agreementRate).toBeLessThan(0.1)
    expect(score?.verdict).toBe('pass')
    const tost = score?.tests.find((t) => t.test === 'tost')
    expect(tost?.passed).toBe(true)
    expect(tost?.qValue).toBeLessThan(0.05)
    expect(score?.margin?.source).toMatch(/^0\.05 × sd\(batch\)/)

    const shifted = await checkSkew({
      input,
      key: 'id',
      batch,
      statistical: ['score'],
      online: online((_, f) => ({ ...f, score: f.score + 0.3 })),
    })
    const bad = shifted.features.find((f) => f.feature === 'score')
    expect(bad?.verdict).toBe('fail')
    expect(bad?.message).toContain('TOST NOT equivalent')
  })

  it('adjusts p-values across features with Benjamini–Hochberg', async () => {
    const report = await checkSkew({
      input,
      key: 'id',
      batch,
      statistical: true,
      online: online((_, f) => ({ ...f, score: f.score + 0.3 })),
    })
    const ks = report.features.flatMap((f) => f.tests.filter((t) => t.test === 'ks'))
    expect(ks.length).toBe(2) // score and flag are numeric; band is categorical
    for (const t of ks) expect(t.qValue).toBeGreaterThanOrEqual(t.pValue ?? 1)
    const band = report.features.find((f) => f.feature === 'band')
    expect(band?.tests.map((t) => t.test)).toEqual(['jensen-shannon', 'psi'])
  })

  it('rejects duplicate keys in a path output with the key and row', async () => {
    const dup = batchFunction((t) => ({
      numRows: t.numRows,
      columns: [
        { kind: 'id', name: 'id', values: Array.from({ length: t.numRows }, (_, i) => (i === 9 ? 'r3' : `r${i}`)) },
        { kind: 'numeric', name: 'score', values: new Float64Array(t.numRows), valid: null },
      ],
    }))
    const error = await checkSkew({ input, key: 'id', batch: dup, online: online((_, f) => f) }).catch(
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(ModelGateError)
    expect((error as ModelGateError).message).toBe(
      'Key "r3" appears more than once in the batch output (column "id", row 10); rows cannot be joined.',
    )
  })

  it('names the available columns when the key column does not exist', async () => {
    const error = await checkSkew({ input, key: 'txn', batch, online: online((_, f) => f) }).catch((e: unknown) => e)
    expect((error as ModelGateError).code).toBe('MG_SKEW_NO_KEY_COLUMN')
    expect((error as ModelGateError).message).toBe('The input has no key column "txn". Input columns: id, x, email.')
  })

  it('names a wrong argument from a JavaScript caller: a URL where a feature path belongs', async () => {
    const untyped = (value: unknown): never => value as never
    await expect(
      checkSkew({
        input,
        key: 'id',
        batch,
        online: untyped('http://127.0.0.1:8080/features'),
        noise: untyped('twice'),
      }),
    ).rejects.toMatchObject({
      code: 'MG_ARGUMENT_INVALID',
      message:
        "checkSkew(options): options.online: expected an object, got a string; options.noise: invalid enum value. Expected 'online' | 'batch' | 'both', received 'twice'.",
      hint: expect.stringContaining('onlineHttp'),
    })
  })
})
