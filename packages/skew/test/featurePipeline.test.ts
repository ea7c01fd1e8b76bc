import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { SkewReport } from '@modelgate/skew'
import { batchCommand, batchFunction, batchSql, checkSkew, onlineFunction, onlineHttp, toReport } from '@modelgate/skew'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TransactionRequest } from '../../../examples/fraud-detection/features/features.js'
import {
  batchFeatures,
  computeOnlineFeatures,
  createFeatureStore,
  FEATURES,
} from '../../../examples/fraud-detection/features/features.js'
import { generateTransactions } from '../../../examples/fraud-detection/features/generateTransactions.js'
import type { RunningServer } from '../../../examples/fraud-detection/features/server.js'
import { startFeatureServer } from '../../../examples/fraud-detection/features/server.js'

const example = (file: string): string =>
  fileURLToPath(new URL(`../../../examples/fraud-detection/features/${file}`, import.meta.url))
const sql = readFileSync(example('features.sql'), 'utf8')

const rows = generateTransactions({ rows: 1500, users: 40, days: 45, seed: 7 })
const store = createFeatureStore(rows)
let correct: RunningServer
let broken: RunningServer

beforeAll(async () => {
  correct = await startFeatureServer({ store })
  broken = await startFeatureServer({ store, broken: true })
})
afterAll(async () => {
  await correct.close()
  await broken.close()
})

const verdicts = (report: SkewReport): Record<string, string> =>
  Object.fromEntries(report.features.map((f) => [f.feature, f.verdict]))

describe('the fraud-scoring feature pipeline', () => {
  it('passes every feature when the online service computes them as the batch SQL does', async () => {
    const report = await checkSkew({
      input: rows,
      key: 'txn_id',
      batch: batchSql(sql),
      online: onlineHttp(correct.url),
      tolerance: 1e-9,
    })
    expect(report.features.map((f) => f.feature).sort()).toEqual([...FEATURES].sort())
    expect(verdicts(report)).toEqual(Object.fromEntries(FEATURES.map((f) => [f, 'pass'])))
    expect(report.rows).toMatchObject({ input: 1500, matched: 1500, missingInBatch: 0, missingInOnline: 0 })
    expect(report.verdict).toBe('pass')
  })

  it('names avg_amount_7d, shows the offending rows and passes every other feature when the online window is 6 days', async () => {
    const report = await checkSkew({
      input: rows,
      key: 'txn_id',
      batch: batchSql(sql),
      online: onlineHttp(broken.url),
      worstRows: 3,
    })
    expect(report.verdict).toBe('fail')
    expect(report.features.filter((f) => f.verdict === 'fail').map((f) => f.feature)).toEqual(['avg_amount_7d'])
    for (const f of report.features) if (f.feature !== 'avg_amount_7d') expect(f.verdict).toBe('pass')
    const avg = report.features.find((f) => f.feature === 'avg_amount_7d')
    expect(avg?.agreementRate).toBeLessThan(1)
    expect(avg?.agreementRate).toBeGreaterThan(0.3)
    expect(avg?.message).toMatch(/^avg_amount_7d: [\d,]+ of 1,500 rows differ/)
    expect(avg?.message).toMatch(
      / Worst: key \d+ [\d.]+ → null; key \d+ [\d.]+ → null; key \d+ [\d.]+ → [\d.]+ \(Δ -?[\d.]+\)\.$/,
    )
    expect(avg?.worstRows).toHaveLength(3)
    // both kinds of disagreement are shown: a feature missing online, and the largest difference
    expect(avg?.worstRows.map((w) => w.difference === null)).toEqual([true, true, false])
    expect(Math.abs(avg?.worstRows[2]?.difference ?? 0)).toBe(avg?.maxAbsDifference)
    for (const w of avg?.worstRows ?? []) {
      // each offending row carries both values and the input row it came from, recomputable by hand
      expect(w.input.txn_id).toBe(w.key)
      expect(w.batch).not.toEqual(w.online)
      const request = w.input as unknown as TransactionRequest
      expect(computeOnlineFeatures(store, request).avg_amount_7d).toBeCloseTo(Number(w.batch ?? Number.NaN), 9)
      expect(computeOnlineFeatures(store, request, { broken: true }).avg_amount_7d ?? null).toEqual(w.online)
    }
    const junitFeed = toReport(report)
    expect(junitFeed.checks.find((c) => c.id === 'skew.feature.avg_amount_7d')?.verdict).toBe('fail')
    expect(junitFeed.checks.filter((c) => c.group === 'features' && c.verdict === 'pass')).toHaveLength(5)
  })

  it('agrees between the TypeScript batch function and the in-process online function', async () => {
    const report = await checkSkew({
      input: rows,
      key: 'txn_id',
      batch: batchFunction(batchFeatures),
      online: onlineFunction((row) => computeOnlineFeatures(store, row as unknown as TransactionRequest)),
      tolerance: 0,
    })
    expect(report.verdict).toBe('pass')
    expect(report.features.every((f) => f.maxAbsDifference === 0)).toBe(true)
  })

  it('runs a real external Python job as the batch path and finds it equivalent to the service', async () => {
    const report = await checkSkew({
      input: rows,
      key: 'txn_id',
      batch: batchCommand(`python3 ${example('batch_features.py')} {input} {output}`),
      online: onlineHttp(correct.url),
    })
    expect(report.batchPath).toContain('python3')
    expect(verdicts(report)).toEqual(Object.fromEntries(FEATURES.map((f) => [f, 'pass'])))
    expect(report.rows.matched).toBe(1500)
  })
})
