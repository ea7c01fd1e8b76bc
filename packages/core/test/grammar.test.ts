import { meetsSlo, parseDuration, parsePercent, parseRate, parseSlo } from '@modelgate/core'
import { describe, expect, it } from 'vitest'
import { thrown } from './support/caughtErrors.js'

/** The error a call throws, as `CODE: message`. */
function failure(run: () => unknown): string {
  const error = thrown(run)
  return `${error.code} (exit ${error.exitCode}): ${error.message}`
}

describe('parseDuration', () => {
  it('reads milliseconds, seconds, minutes, hours, days and microseconds', () => {
    expect(['250ms', '60s', '2m', '1h', '1d', '500us', '1.5s', '0.1s', '1.1m'].map(parseDuration)).toEqual([
      250, 60_000, 120_000, 3_600_000, 86_400_000, 0.5, 1500, 100, 66_000,
    ])
  })

  it('reads compounds from the largest unit to the smallest', () => {
    expect(parseDuration('1m30s')).toBe(90_000)
    expect(parseDuration('1h30m')).toBe(5_400_000)
    expect(parseDuration('2s500ms')).toBe(2500)
    expect(parseDuration(' 1d2h3m4s5ms ')).toBe(86_400_000 + 7_200_000 + 180_000 + 4000 + 5)
  })

  it('says which unit a bare number needs', () => {
    expect(failure(() => parseDuration('60'))).toMatchInlineSnapshot(
      `"MG_DURATION_INVALID (exit 2): Duration "60": add a unit, e.g. 60s or 60ms"`,
    )
    expect(failure(() => parseDuration('0.5'))).toMatchInlineSnapshot(
      `"MG_DURATION_INVALID (exit 2): Duration "0.5": add a unit, e.g. 0.5s or 0.5ms"`,
    )
  })

  it('names the text and the expected form for anything else', () => {
    expect(failure(() => parseDuration('5 minutes'))).toMatchInlineSnapshot(
      `"MG_DURATION_INVALID (exit 2): Duration "5 minutes": expected a number and a unit (250ms, 60s, 2m, 1h, or a compound such as 1m30s; units d h m s ms us)"`,
    )
    expect(failure(() => parseDuration('30s1m'))).toMatchInlineSnapshot(
      `"MG_DURATION_INVALID (exit 2): Duration "30s1m": units must go from the largest to the smallest, each once (e.g. 1h30m, 1m30s)"`,
    )
    expect(failure(() => parseDuration('-5s'))).toMatchInlineSnapshot(
      `"MG_DURATION_INVALID (exit 2): Duration "-5s": must not be negative"`,
    )
    for (const bad of ['', 's', '1m1m', '1.s', '.5s', '1e3ms', '5S', '1m 30s', '1h-1m'])
      expect(() => parseDuration(bad), bad).toThrow(/^Duration /)
  })

  it('cuts long input in its message', () => {
    expect(failure(() => parseDuration('x'.repeat(200))).length).toBeLessThan(260)
  })
})

describe('parseRate', () => {
  it('reads events per second, minute and hour as events per second', () => {
    expect(['500/s', '3000/m', '36/h', '0.5/s', '10 / s'].map(parseRate)).toEqual([500, 50, 0.01, 0.5, 10])
  })

  it('says to add a unit to a bare number, and names the expected form otherwise', () => {
    expect(failure(() => parseRate('500'))).toMatchInlineSnapshot(
      `"MG_RATE_INVALID (exit 2): Rate "500": add a unit, e.g. 500/s or 500/m"`,
    )
    expect(failure(() => parseRate('500rps'))).toMatchInlineSnapshot(
      `"MG_RATE_INVALID (exit 2): Rate "500rps": expected a number of events per unit of time: 500/s, 3000/m or 10/h"`,
    )
    expect(failure(() => parseRate('-1/s'))).toMatchInlineSnapshot(
      `"MG_RATE_INVALID (exit 2): Rate "-1/s": must not be negative"`,
    )
  })
})

describe('parsePercent', () => {
  it('reads a percentage as a fraction, exactly', () => {
    expect(['5%', '0.1%', '100%', '0%', '0.7%', '12.5 %'].map(parsePercent)).toEqual([0.05, 0.001, 1, 0, 0.007, 0.125])
  })

  it('refuses a bare number: 5 could be 5 % or 500 %', () => {
    expect(failure(() => parsePercent('5'))).toMatchInlineSnapshot(
      `"MG_PERCENT_INVALID (exit 2): Percentage "5": add %, e.g. 5%"`,
    )
    expect(failure(() => parsePercent('five%'))).toMatchInlineSnapshot(
      `"MG_PERCENT_INVALID (exit 2): Percentage "five%": expected a number and %, e.g. 5% or 0.1%"`,
    )
  })
})

describe('parseSlo', () => {
  it('parses latency objectives to milliseconds, keeping the source text', () => {
    expect(parseSlo('p99<100ms')).toEqual({
      source: 'p99<100ms',
      kind: 'latency',
      metric: 'p99',
      quantile: 0.99,
      op: '<',
      threshold: 100,
    })
    expect(parseSlo(' p99.9 <= 1.5s over 5m ')).toEqual({
      source: 'p99.9 <= 1.5s over 5m',
      kind: 'latency',
      metric: 'p99.9',
      quantile: 0.999,
      op: '<=',
      threshold: 1500,
      windowMs: 300_000,
    })
    expect(parseSlo('mean < 250us').threshold).toBe(0.25)
    expect(parseSlo('max<2s')).toMatchObject({ metric: 'max', threshold: 2000 })
    expect(parseSlo('MIN>1ms')).toMatchObject({ metric: 'min', op: '>' })
  })

  it("accepts k6's thresholds, where a value without a unit is in milliseconds", () => {
    expect(parseSlo('p(99)<100')).toEqual({
      source: 'p(99)<100',
      kind: 'latency',
      metric: 'p99',
      quantile: 0.99,
      op: '<',
      threshold: 100,
    })
    expect(parseSlo('p(99.9) < 250')).toMatchObject({ metric: 'p99.9', threshold: 250 })
    expect(parseSlo('avg<200')).toMatchObject({ metric: 'mean', threshold: 200 })
    expect(parseSlo('med<=150')).toMatchObject({ metric: 'p50', quantile: 0.5, threshold: 150 })
    expect(parseSlo('max<1s')).toMatchObject({ metric: 'max', threshold: 1000 })
  })

  it('parses error-share and throughput objectives', () => {
    expect(parseSlo('errors<1%')).toEqual({
      source: 'errors<1%',
      kind: 'errors',
      metric: 'errors',
      op: '<',
      threshold: 0.01,
    })
    expect(parseSlo('rate >= 3000/m over 1m30s')).toEqual({
      source: 'rate >= 3000/m over 1m30s',
      kind: 'rate',
      metric: 'rate',
      op: '>=',
      threshold: 50,
      windowMs: 90_000,
    })
  })

  it('names the expression and the expected form when it is wrong', () => {
    expect(failure(() => parseSlo('p99<1OOms'))).toMatchInlineSnapshot(
      `"MG_SLO_INVALID (exit 2): SLO "p99<1OOms": "1OOms" is not a latency: a number with us, ms or s; expected <metric> <op> <value> [over <duration>], e.g. p99<100ms, p(99)<100, mean<=50ms, errors<1%, rate>=500/s over 5m (metrics p50 p90 p95 p99 p99.9 max mean min errors rate; ops < <= > >=)"`,
    )
    expect(failure(() => parseSlo('p99<100'))).toMatchInlineSnapshot(
      `"MG_SLO_INVALID (exit 2): SLO "p99<100": add a unit to 100: p99<100ms"`,
    )
    expect(failure(() => parseSlo('latency<100ms'))).toMatch(
      /^MG_SLO_INVALID \(exit 2\): SLO "latency<100ms": unknown metric "latency"; expected <metric> <op>/,
    )
    expect(failure(() => parseSlo('p99 = 100ms'))).toMatch(/SLO "p99 = 100ms": expected <metric> <op> <value>/)
    expect(failure(() => parseSlo('p100<1s'))).toMatchInlineSnapshot(
      `"MG_SLO_INVALID (exit 2): SLO "p100<1s": a percentile is between p0 and p100 (exclusive), got p100; use max or min for the extremes"`,
    )
    expect(failure(() => parseSlo('errors<0.01'))).toMatchInlineSnapshot(
      `"MG_SLO_INVALID (exit 2): SLO "errors<0.01": errors takes a percentage (errors<1%), got "0.01""`,
    )
    expect(failure(() => parseSlo('rate<0.01'))).toMatchInlineSnapshot(
      `"MG_SLO_INVALID (exit 2): SLO "rate<0.01": rate takes a rate (rate>=500/s), got "0.01"; for the share of failed requests write errors<1%"`,
    )
    expect(failure(() => parseSlo('p99<100ms over 5'))).toMatchInlineSnapshot(
      `"MG_SLO_INVALID (exit 2): SLO "p99<100ms over 5": the window after "over" is not a duration (Duration "5": add a unit, e.g. 5s or 5ms)"`,
    )
    for (const bad of ['', 'p99', '<100ms', 'p(99<100', 'p99<', 'p99<100ms over', 'p99<100 ms', 'p99<<1ms'])
      expect(() => parseSlo(bad), bad).toThrow(/^SLO /)
  })

  it('judges an observed value against the objective', () => {
    expect(meetsSlo(parseSlo('p99<100ms'), 99.9)).toBe(true)
    expect(meetsSlo(parseSlo('p99<100ms'), 100)).toBe(false)
    expect(meetsSlo(parseSlo('p99<=100ms'), 100)).toBe(true)
    expect(meetsSlo(parseSlo('rate>=500/s'), 499)).toBe(false)
    expect(meetsSlo(parseSlo('rate>500/s'), 501)).toBe(true)
    expect(meetsSlo(parseSlo('errors<1%'), 0.011)).toBe(false)
  })
})
