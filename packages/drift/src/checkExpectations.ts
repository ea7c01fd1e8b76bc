import type { CheckResult, Report } from '@modelgate/core'
import { createReport, formatCount, formatNumber, formatPercent } from '@modelgate/core'
import type { Expectations } from './expectations.js'
import { FeatureAccumulator } from './internal/featureAccumulator.js'
import { feedAccumulators } from './internal/feedAccumulators.js'
import type { PayloadSource } from './PayloadSource.js'

export interface CheckExpectationsOptions {
  /** Name of the sample in the report title, e.g. `payloads.jsonl`. */
  readonly source?: string
  /** Unknown categories seen fewer than k times are counted but never named in the report. Default 5. */
  readonly k?: number
  /** Column names that hold PII: their values are never named in the report. */
  readonly piiColumns?: readonly string[]
}

const num = (x: number): string => formatNumber(x, { significant: 6 })
const pLabel = (p: number): string => `p${Number((p * 100).toPrecision(4))}`

/**
 * Checks a sample of payloads against distribution expectations: required fields, null-rate upper bounds,
 * allowed categories, numeric quantile bands — what a shape-only contract cannot see. Streams rows or
 * tables; returns a report whose verdict is `fail` when any expectation is broken, e.g.
 * `device_fingerprint null rate 38.0% > 5.0% (n=2,000)`.
 */
export async function checkExpectations(
  expectations: Expectations,
  sample: PayloadSource,
  options: CheckExpectationsOptions = {},
): Promise<Report> {
  const started = Date.now()
  const k = options.k ?? 5
  const pii = new Set(options.piiColumns ?? [])
  const accumulators = expectations.features.map((f) => new FeatureAccumulator(f))
  const n = await feedAccumulators(sample, accumulators)
  const checks: CheckResult[] = []
  for (const acc of accumulators) {
    const f = acc.expectation
    const present = acc.rows - acc.missing
    if (f.required) {
      checks.push({
        id: `contracts.required.${f.name}`,
        name: f.name,
        group: 'required fields',
        verdict: acc.missing === 0 ? 'pass' : 'fail',
        message:
          acc.missing === 0
            ? `${f.name} present in all ${formatCount(n)} payloads`
            : `${f.name} missing in ${formatCount(acc.missing)} of ${formatCount(n)} payloads (${formatPercent(acc.missing / Math.max(1, n))})`,
        metrics: { missing: acc.missing, n },
      })
    }
    if (acc.wrongType > 0) {
      checks.push({
        id: `contracts.type.${f.name}`,
        name: f.name,
        group: 'types',
        verdict: 'fail',
        message: `${f.name}: ${formatCount(acc.wrongType)} of ${formatCount(present)} values are not ${f.kind === 'numeric' || f.kind === 'integer' ? 'numbers' : 'strings'}`,
        metrics: { wrongType: acc.wrongType, n: present },
      })
    }
    if (f.maxNullRate !== undefined && present > 0) {
      const rate = acc.nulls / present
      const ok = rate <= f.maxNullRate + 1e-12
      checks.push({
        id: `contracts.null_rate.${f.name}`,
        name: f.name,
        group: 'null rates',
        verdict: ok ? 'pass' : 'fail',
        message: `${f.name} null rate ${formatPercent(rate)} ${ok ? '≤' : '>'} ${formatPercent(f.maxNullRate)} (n=${formatCount(present)})`,
        metrics: { nullRate: rate, threshold: f.maxNullRate, nulls: acc.nulls, n: present },
      })
    }
    if (f.allowedValues !== undefined) {
      const allowed = new Set(f.allowedValues)
      let total = 0
      let other = 0
      const unknown: { value: string; count: number }[] = []
      let hiddenRare = 0
      for (const [value, c] of acc.categories) {
        total += c
        if (allowed.has(value)) continue
        other += c
        if (c >= k && !pii.has(f.name)) unknown.push({ value, count: c })
        else hiddenRare++
      }
      const limit = f.maxOtherRate ?? 0
      const rate = total > 0 ? other / total : 0
      const ok = rate <= limit + 1e-12
      unknown.sort((a, b) => b.count - a.count)
      const named = unknown.slice(0, 5).map((u) => `"${u.value}" (${formatCount(u.count)})`)
      const rest = unknown.length - named.length + hiddenRare
      checks.push({
        id: `contracts.categories.${f.name}`,
        name: f.name,
        group: 'allowed categories',
        verdict: ok ? 'pass' : 'fail',
        message: ok
          ? `${f.name}: ${formatPercent(rate)} of values outside the allowed set ≤ ${formatPercent(limit)} (n=${formatCount(total)})`
          : `${f.name}: ${formatPercent(rate)} of values outside the allowed set > ${formatPercent(limit)} (n=${formatCount(total)})${named.length > 0 ? `: ${named.join(', ')}` : ''}${rest > 0 ? `${named.length > 0 ? ' and' : ':'} ${rest} rarer value${rest === 1 ? '' : 's'}` : ''}`,
        metrics: { otherRate: rate, threshold: limit, n: total },
        ...(ok ? {} : { details: { unknown, rarerValues: hiddenRare } }),
      })
    }
    if (f.quantiles !== undefined && f.quantiles.length > 0) {
      const m = acc.numberTotal
      if (m > 0) {
        const metrics: Record<string, number> = { n: m }
        const broken: string[] = []
        const observed = acc.quantiles(f.quantiles.map((b) => b.p))
        for (const [i, band] of f.quantiles.entries()) {
          const q = observed[i] as number
          metrics[pLabel(band.p)] = q
          if (q < band.min || q > band.max)
            broken.push(`${pLabel(band.p)} ${num(q)} outside [${num(band.min)}, ${num(band.max)}]`)
        }
        const labels = f.quantiles.map((b) => pLabel(b.p))
        checks.push({
          id: `contracts.quantiles.${f.name}`,
          name: f.name,
          group: 'quantile bands',
          verdict: broken.length === 0 ? 'pass' : 'fail',
          message:
            broken.length === 0
              ? `${f.name} quantiles ${labels[0]}–${labels[labels.length - 1]} within their bands (n=${formatCount(m)})`
              : `${f.name} ${broken.join('; ')} (n=${formatCount(m)})`,
          metrics,
          charts: [
            {
              kind: 'bars',
              title: `${f.name} quantiles vs expected bands`,
              labels,
              series: [
                { name: 'band min', values: f.quantiles.map((b) => b.min) },
                { name: 'observed', values: f.quantiles.map((b) => metrics[pLabel(b.p)] as number) },
                { name: 'band max', values: f.quantiles.map((b) => b.max) },
              ],
            },
          ],
        })
      }
    }
  }
  const failed = checks.filter((c) => c.verdict === 'fail').length
  return createReport({
    kind: 'contracts.check',
    title: `Distribution contract check${options.source !== undefined ? `: ${options.source}` : ''}`,
    summary: { payloads: n, checks: checks.length, failed },
    checks,
    durationMs: Date.now() - started,
  })
}
