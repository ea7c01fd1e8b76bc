import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Random } from '@modelgate/core'
import { createRandom, tableFromRows } from '@modelgate/core'
import { buildBaseline } from '@modelgate/drift'
import type { AlertRuleInput, WindowSummary } from '@modelgate/monitor'
import { alertRuleSchema, calibrateThresholds, createMonitor, createMonitorMetrics } from '@modelgate/monitor'
import { describe, expect, it } from 'vitest'
import { startCalibrationThread } from '../src/internal/calibrationThread.js'
import { calibrationHook } from '../src/internal/driftSettings.js'
import { waitFor } from './support/events.js'

const T0 = Date.UTC(2026, 11, 6, 12, 0, 0)
const WINDOW_MS = 1000
const N = 10 // expected windows between false alarms
const EVENTS = 200 // per window

/** One row of the population the reference and the live traffic come from (no drift anywhere). */
function features(random: Random): Record<string, unknown> {
  return {
    amount: Math.exp(3 + random.normal()),
    age: Math.round(40 + 12 * random.normal()),
    score: random.normal(),
    income: random.uniform() < 0.03 ? null : 30_000 + 8000 * random.normal(),
    channel: ['web', 'app', 'store', 'phone'][Math.min(3, Math.floor(4 * random.uniform() ** 1.5))],
    returning: random.uniform() < 0.3 ? 'yes' : 'no',
  }
}

const rules = [
  { name: 'drift', metric: 'drift_failed', op: '>', threshold: 0 },
  { name: 'quality', metric: 'quality_failed', op: '>', threshold: 0 },
  { name: 'income-nulls', metric: 'feature_null_ratio', feature: 'income', op: '>', threshold: 0.5 },
].map((r) => alertRuleSchema.parse(r as AlertRuleInput))

describe('bootstrap calibration of the rule thresholds (--expected-windows-between-false-alarms)', () => {
  const random = createRandom(11, 'calibration-reference')
  const baseline = buildBaseline(tableFromRows(Array.from({ length: 20_000 }, () => features(random))), {})

  it('keeps about one false alarm per N windows per rule share over many undrifted live windows', () => {
    let wall = T0
    const monitor = createMonitor({
      baseline,
      windowMs: WINDOW_MS,
      latenessMs: 0,
      now: () => wall,
      metrics: createMonitorMetrics({ processMetrics: false }),
      rules,
      expectedWindowsBetweenFalseAlarms: N,
      calibrate: { windowEvents: EVENTS, seed: 3 },
    })
    const calibration = monitor.status().calibration
    expect(calibration?.method).toBe('bootstrap')
    // the budget 1/N is split over three rules: drift and the null-ratio rule simulated, data quality analytic
    expect(calibration?.rules.map((r) => r.rule)).toEqual(['drift', 'income-nulls'])
    const rate = 1 / (N * 3)
    expect(calibration?.bootstraps).toBe(Math.ceil(10 / rate))
    for (const r of calibration?.rules ?? []) expect(r.achieved).toBeLessThanOrEqual(rate)
    expect(calibration?.qualityAlpha).toBeCloseTo(rate, 12)

    // live traffic: M fresh windows from the population (not the reference), through the monitor
    const M = 450
    const live = createRandom(12, 'calibration-live')
    const windows: WindowSummary[] = []
    for (let w = 0; w < M; w++) {
      monitor.ingest(
        Array.from({ length: EVENTS }, (_, i) => ({
          request_id: `w${w}-${i}`,
          timestamp: T0 + w * WINDOW_MS + i,
          features: features(live),
        })),
      )
      wall += WINDOW_MS // the watermark passes the window's end: it closes
      windows.push(...monitor.tick())
    }
    expect(windows).toHaveLength(M)
    const alarms = (rule: string) => windows.filter((w) => w.alerts.includes(rule)).length
    // At most M · rate = 15 per rule; a rule on a discrete statistic (a null ratio is k / 200) alarms less, at the
    // share of bootstrap windows beyond its threshold (`achieved`). The threshold is itself an estimate from
    // B = 10 / rate windows (10 beyond it), so its true rate varies by about ±30 %, and the count over M windows
    // adds binomial noise: a generous bound is [M · achieved / 3, 2.5 · M · rate].
    for (const r of calibration?.rules ?? []) {
      expect(alarms(r.rule), r.rule).toBeGreaterThanOrEqual(Math.floor((M * r.achieved) / 3))
      expect(alarms(r.rule), r.rule).toBeLessThanOrEqual(Math.ceil(2.5 * M * rate))
    }
    expect(alarms('quality')).toBeLessThanOrEqual(Math.ceil(2.5 * M * rate))
    expect(windows[0]?.drift?.features.find((f) => f.method === 'ks')?.threshold).toBeCloseTo(
      calibration?.driftAlpha as number,
      12,
    )
  })

  it('falls back to the analytic α, with a warning, when the reference is too small for the window', () => {
    const small = buildBaseline(tableFromRows(Array.from({ length: 1000 }, () => features(random))), {})
    const c = calibrateThresholds({
      baseline: small,
      rules,
      windowEvents: EVENTS,
      expectedWindowsBetweenFalseAlarms: N,
      methods: ['numeric=ks:0.1'],
    })
    expect(c.method).toBe('analytic')
    expect(c.driftAlpha).toBe(1 / N)
    expect(c.warning).toMatch(/1000 rows, fewer than 20 windows of 200 events/)
  })

  it('is seeded and cached per baseline and window size', () => {
    const options = {
      baseline,
      rules,
      windowEvents: 100,
      expectedWindowsBetweenFalseAlarms: 5,
      methods: ['numeric=ks:0.2'],
      bootstraps: 60,
    }
    const first = calibrateThresholds(options)
    expect(calibrateThresholds({ ...options })).toBe(first)
    const other = calibrateThresholds({ ...options, seed: 2 })
    expect(other).not.toBe(first)
    expect(other.rules.map((r) => r.rule)).toEqual(first.rules.map((r) => r.rule))
  })

  it('names a corrupt cached result once and computes it again', async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'modelgate-calibration-cache-'))
    try {
      const warnings: string[] = []
      const hook = () =>
        calibrationHook({
          baseline,
          rules,
          budget: 5,
          user: { calibrate: { bootstraps: 40, seed: 4, cacheDir, onWarning: (m) => warnings.push(m) } },
        })
      const first = hook()?.start(100)
      await waitFor(() => readdirSync(cacheDir).some((f) => f.startsWith('calibration-')))
      const [file] = readdirSync(cacheDir)
      const path = join(cacheDir, file as string)
      const cached = hook()
      expect(cached?.start(100)?.calibration).toEqual(first?.calibration)
      expect(cached?.progress?.cached).toBe(true)
      writeFileSync(path, '{"method":"bootstr') // a write cut short
      const again = hook()
      const recomputed = again?.start(100)
      expect(warnings).toEqual([
        `the cached calibration ${path} is not a calibration result (corrupt?); computing it again`,
      ])
      expect(again?.progress?.cached).toBe(false)
      expect(recomputed?.calibration.rules).toEqual(first?.calibration.rules)
      await waitFor(() => readFileSync(path, 'utf8').endsWith('}'))
      expect(JSON.parse(readFileSync(path, 'utf8')).method).toBe('bootstrap')
    } finally {
      rmSync(cacheDir, { recursive: true, force: true })
    }
  })

  it('on its thread, fails with the error calibrateThresholds throws on the calling thread (its code kept)', async () => {
    const thread = startCalibrationThread(
      { baseline, rules, windowEvents: 0, expectedWindowsBetweenFalseAlarms: N, methods: [] },
      () => {},
    )
    const failure = await thread.result.catch((error: unknown) => error)
    expect(failure).toMatchObject({ code: 'MG_MONITOR_BAD_OPTION' })
    expect((failure as Error).message).toMatch(/^calibrateThresholds: windowEvents must be a positive integer/)
  })
})
