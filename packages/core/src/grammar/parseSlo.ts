import { isModelGateError } from '../errors.js'
import { grammarError, NUMBER, shifted } from './internal/grammarError.js'
import { grammarSchema } from './internal/grammarSchema.js'
import { parseDuration } from './parseDuration.js'
import { parsePercent } from './parsePercent.js'
import { parseRate } from './parseRate.js'

export type SloOperator = '<' | '<=' | '>' | '>='

/** A service-level objective such as `p99<100ms over 5m`, parsed. */
export interface Slo {
  /** The expression as written (trimmed), for reports. */
  readonly source: string
  /** What the threshold measures: a latency (ms), the share of failed requests (a fraction), or throughput (/s). */
  readonly kind: 'latency' | 'errors' | 'rate'
  /** Canonical metric: `p50`, `p99`, `p99.9` …, `mean`, `min`, `max`, `errors` or `rate` (k6's `p(99)` is `p99`, `avg` is `mean`, `med` is `p50`). */
  readonly metric: string
  /** The quantile of a percentile metric (`p99` → 0.99, `p99.9` → 0.999). */
  readonly quantile?: number
  readonly op: SloOperator
  /** Milliseconds (latency), a fraction (errors: `1%` → 0.01), or events per second (rate). */
  readonly threshold: number
  /** The `over <duration>` window in milliseconds, when given. */
  readonly windowMs?: number
}

const FORM =
  'expected <metric> <op> <value> [over <duration>], e.g. p99<100ms, p(99)<100, mean<=50ms, errors<1%, rate>=500/s over 5m ' +
  '(metrics p50 p90 p95 p99 p99.9 max mean min errors rate; ops < <= > >=)'
const EXPRESSION = /^(p\(\s*[^)]*\)|[a-z][a-z0-9.]*)\s*(<=|>=|<|>)\s*(\S(?:.*\S)?)$/i
const LATENCY = new RegExp(`^(${NUMBER})(us|ms|s)?$`)
/** k6's own spellings; with them a value without a unit is in milliseconds, as in k6 thresholds. */
const K6_NAMES: Readonly<Record<string, string>> = { avg: 'mean', med: 'p50', min: 'min', max: 'max' }

/**
 * Parses an SLO expression: `<metric> <op> <value> [over <duration>]`. Latency metrics (`p50 p90 p95 p99 p99.9`,
 * any `pN` with 0 < N < 100, `max mean min`) take a value with `us`, `ms` or `s`; k6's spellings (`p(99)<100`,
 * `avg`, `med`, `min`, `max`) may leave the unit out, which means milliseconds as in k6. `errors` takes a
 * percentage, `rate` a rate (`500/s`). Throws `MG_SLO_INVALID` naming the expression and the expected form.
 */
export function parseSlo(text: string): Slo {
  const source = text.trim()
  const fail = (problem: string): never => {
    throw grammarError('MG_SLO_INVALID', 'SLO', text, problem)
  }
  const overAt = source.search(/\s+over\s+/i)
  const head = overAt < 0 ? source : source.slice(0, overAt)
  const windowText = overAt < 0 ? undefined : source.slice(overAt).replace(/^\s+over\s+/i, '')
  const match = EXPRESSION.exec(head)
  if (match === null) return fail(FORM)
  const [, rawMetric = '', op = '<', valueText = ''] = match
  const name = rawMetric.toLowerCase().replace(/\s+/g, '')
  const k6 = name.startsWith('p(') || K6_NAMES[name] !== undefined
  let metric: string
  let quantile: number | undefined
  let kind: Slo['kind'] = 'latency'
  const percentile = /^p\(?(\d+(?:\.\d+)?)\)?$/.exec(name)
  if (percentile !== null && name.startsWith('p(') === name.endsWith(')')) {
    const digits = percentile[1] ?? ''
    quantile = shifted(digits, -2)
    if (!(quantile > 0 && quantile < 1))
      return fail(`a percentile is between p0 and p100 (exclusive), got ${rawMetric}; use max or min for the extremes`)
    metric = `p${Number(digits)}`
  } else if (name === 'errors' || name === 'rate') {
    metric = name
    kind = name
  } else if (name === 'mean' || K6_NAMES[name] !== undefined) {
    metric = K6_NAMES[name] ?? name
    if (metric === 'p50') quantile = 0.5
  } else return fail(`unknown metric "${rawMetric}"; ${FORM}`)

  let threshold: number
  if (kind === 'latency') {
    const value = LATENCY.exec(valueText)
    if (value === null) return fail(`"${valueText}" is not a latency: a number with us, ms or s; ${FORM}`)
    const [, digits = '', unit] = value
    if (unit === undefined && !k6) return fail(`add a unit to ${valueText}: ${rawMetric}${op}${valueText}ms`)
    threshold = unit === 's' ? shifted(digits, 3) : unit === 'us' ? shifted(digits, -3) : Number(digits)
  } else {
    const parse = kind === 'errors' ? parsePercent : parseRate
    try {
      threshold = parse(valueText)
    } catch (error) {
      if (!isModelGateError(error)) throw error
      return fail(
        kind === 'errors'
          ? `errors takes a percentage (errors<1%), got "${valueText}"`
          : `rate takes a rate (rate>=500/s), got "${valueText}"; for the share of failed requests write errors<1%`,
      )
    }
  }
  let windowMs: number | undefined
  if (windowText !== undefined) {
    try {
      windowMs = parseDuration(windowText)
    } catch (error) {
      if (!isModelGateError(error)) throw error
      return fail(`the window after "over" is not a duration (${error.message})`)
    }
  }
  return {
    source,
    kind,
    metric,
    ...(quantile === undefined ? {} : { quantile }),
    op: op as SloOperator,
    threshold,
    ...(windowMs === undefined ? {} : { windowMs }),
  }
}

/** Whether an observed value (in the SLO's unit: ms, fraction or per second) meets the objective. */
export function meetsSlo(slo: Slo, observed: number): boolean {
  switch (slo.op) {
    case '<':
      return observed < slo.threshold
    case '<=':
      return observed <= slo.threshold
    case '>':
      return observed > slo.threshold
    case '>=':
      return observed >= slo.threshold
  }
}

/** A config-file field holding an SLO expression (`slo: p99<100ms over 5m`). */
export const sloSchema = grammarSchema(parseSlo, 'an SLO: p99<100ms, p(99)<100, errors<1%, rate>=500/s over 5m')
