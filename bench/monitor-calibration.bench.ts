// The bootstrap calibration of the monitor's thresholds (`--expected-windows-between-false-alarms N`): what it costs,
// and the false-alarm rate it achieves over many simulated undrifted windows, beside the analytic α = 1/N.
//   node --import tsx bench/monitor-calibration.bench.ts [--events 1000] [--budget 50] [--live 2000] [--cost-bootstraps 300]
// The fraud generator of the monitor tests: 20 features (14 numeric, 6 categorical) and a score; the reference is
// 20,000 rows from seed 1, live windows are fresh draws from the same generator (no drift anywhere).
import { loadavg } from 'node:os'
import { parseArgs } from 'node:util'
import { tableFromRows } from '@modelgate/core'
import { createDriftState } from '@modelgate/drift'
import type { AlertRule } from '@modelgate/monitor'
import { calibrateThresholds, defaultRules } from '@modelgate/monitor'
import { seeded } from '../packages/monitor/test/support/events.js'
import { fraudBaseline, fraudEvent } from '../packages/monitor/test/support/fraudEvents.js'

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '1000' },
    budget: { type: 'string', default: '50' },
    live: { type: 'string', default: '2000' },
    'cost-bootstraps': { type: 'string', default: '300' },
  },
})
const n = Number(values.events)
const budget = Number(values.budget)
const live = Number(values.live)

function figure(name: string, value: number, unit: string, extra: Record<string, unknown> = {}): void {
  const load = loadavg()[0]?.toFixed(1)
  process.stdout.write(`${JSON.stringify({ name, value: Number(value.toPrecision(4)), unit, load, ...extra })}\n`)
}

const baseline = fraudBaseline()
const rules: AlertRule[] = defaultRules({ drift: true })
/** The monitor's drift settings at α (its `driftSettings`): p-value methods, Holm across features. */
const settings = (driftAlpha: number, qualityAlpha: number) => {
  const methods = [`numeric=ks:${driftAlpha}`, `categorical=chisquare:${driftAlpha}`, `binary=z:${driftAlpha}`]
  return { methods, options: { alpha: qualityAlpha, methods } }
}

// 1. Cost: seconds per bootstrap window at the live size, and what N = 1,000 needs (B = 10 · N · rule shares).
{
  const B = Number(values['cost-bootstraps'])
  const c = calibrateThresholds({
    baseline,
    rules,
    windowEvents: n,
    expectedWindowsBetweenFalseAlarms: 1000,
    methods: settings(0.001, 0.001).methods,
    bootstraps: B,
  })
  const perWindow = c.seconds / B
  const full = Math.ceil(10 * 1000 * 2)
  figure(
    `calibration: one bootstrap window of ${n} events, 20 features (draw + drift state + evaluate)`,
    perWindow * 1000,
    'ms',
  )
  figure(
    `calibration at N = 1,000, default rules (B = ${full.toLocaleString('en-US')} windows of ${n}), extrapolated`,
    perWindow * full,
    's',
  )
}

// 2. The false-alarm rate at N = budget over `live` fresh windows: calibrated vs analytic, each window judged both ways.
{
  const c = calibrateThresholds({
    baseline,
    rules,
    windowEvents: n,
    expectedWindowsBetweenFalseAlarms: budget,
    methods: settings(1 / budget, 1 / budget).methods,
  })
  figure(`calibration at N = ${budget} (B = ${c.bootstraps} windows of ${n})`, c.seconds, 's', {
    driftAlpha: c.driftAlpha,
    qualityAlpha: c.qualityAlpha,
  })
  const calibrated = settings(c.driftAlpha, c.qualityAlpha)
  const analytic = settings(1 / budget, 1 / budget)
  const random = seeded(4242)
  const alarms = { calibrated: { drift: 0, quality: 0 }, analytic: { drift: 0, quality: 0 } }
  for (let w = 0; w < live; w++) {
    const rows = Array.from({ length: n }, (_, i) => {
      const e = fraudEvent(random, `l${w}-${i}`, w)
      return { ...e.features, score: e.prediction.score }
    })
    const state = createDriftState(baseline, { methods: analytic.methods }).addTable(tableFromRows(rows))
    for (const [name, s] of [
      ['calibrated', calibrated],
      ['analytic', analytic],
    ] as const) {
      const report = state.evaluate(s.options)
      const failed = (prefix: string) => report.checks.some((k) => k.id.startsWith(prefix) && k.verdict === 'fail')
      if (failed('drift.column.')) alarms[name].drift++
      if (failed('drift.quality.')) alarms[name].quality++
    }
  }
  const expected = live / (budget * 2)
  for (const name of ['calibrated', 'analytic'] as const) {
    for (const rule of ['drift', 'quality'] as const) {
      figure(
        `false alarms of the ${rule} rule, ${name}, over ${live} undrifted windows of ${n} (N = ${budget})`,
        alarms[name][rule],
        'windows',
        {
          expectedCalibrated: expected,
        },
      )
    }
  }
}
