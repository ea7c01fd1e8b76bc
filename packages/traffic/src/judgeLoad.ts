import type { Chart, CheckResult, Report, Slo } from '@modelgate/core'
import { createReport, formatPercent, meetsSlo } from '@modelgate/core'
import type { LatencyHistogram } from '@modelgate/stats'
import { createLatencyHistogram, decodeLatencyHistogram } from '@modelgate/stats'
import { TrafficError } from './errors.js'
import { formatClock, formatMs, formatSloValue, sloValue } from './internal/sloValue.js'
import type { LoadResult, LoadSecond } from './LoadResult.js'

export interface JudgeLoadOptions {
  /** The objectives (core's `parseSlo`); none gives a report of the figures and the schedule check only. */
  readonly slos?: readonly Slo[]
  /** A previous run, set beside this one in the summary and the charts. */
  readonly compare?: LoadResult
  readonly title?: string
}

/** The id of the check that holds the measurements (`details.loadResult`), read back by `loadResultFromReport`. */
export const SCHEDULE_CHECK_ID = 'load.schedule'

/**
 * Judges a load run: one check per SLO (sliding-window SLOs name the first breaching window), and the
 * generator-falls-behind check. The schedule check carries the whole `LoadResult` in its details, so a report's JSON
 * can be merged with other shards' or compared with a later run.
 */
export function judgeLoad(result: LoadResult, options: JudgeLoadOptions = {}): Report {
  const latency = decodeLatencyHistogram(result.latency)
  const uncorrected = decodeLatencyHistogram(result.uncorrected)
  const lateness = decodeLatencyHistogram(result.lateness)
  const measuredS = result.measuredMs / 1000
  // the achieved rate counts what left within the measured time: requests a lagging generator sent after the
  // schedule's end do not make its rate
  const sentInTime = result.seconds.slice(0, Math.ceil(measuredS - 1e-9)).reduce((n, second) => n + second.sent, 0)
  const counts = { ok: result.counts.ok, errors: result.counts.errors, sent: sentInTime, seconds: measuredS }
  const checks: CheckResult[] = [scheduleCheck(result, lateness)]
  for (const slo of options.slos ?? [])
    checks.push(slo.windowMs === undefined ? wholeRunCheck(slo, latency, counts) : windowCheck(slo, result))
  if (!(options.slos ?? []).some((slo) => slo.kind === 'errors')) checks.push(errorsCheck(result))

  const s = latency.summary()
  const u = uncorrected.summary()
  const finished = result.counts.ok + result.counts.errors
  const previous = options.compare === undefined ? undefined : decodeLatencyHistogram(options.compare.latency).summary()
  const summary: Record<string, number | string> = {
    target: result.target,
    schedule: result.schedule.description,
    requests: result.counts.scheduled,
    'intended rate (/s)': round(result.counts.scheduled / Math.max(measuredS, 1e-9)),
    'achieved rate (/s)': round(sentInTime / Math.max(measuredS, 1e-9)),
    'p50 (ms)': round(s.p50),
    'p90 (ms)': round(s.p90),
    'p99 (ms)': round(s.p99),
    'p99.9 (ms)': round(s.p999),
    'max (ms)': round(s.max),
    'p99 uncorrected (ms)': round(u.p99),
    'errors (%)': finished === 0 ? 0 : round((100 * result.counts.errors) / finished),
    ...Object.fromEntries(
      Object.entries(result.errors)
        .filter(([, n]) => n > 0)
        .map(([c, n]) => [`errors: ${c}`, n]),
    ),
    ...(result.shards.length > 0 ? { shards: result.shards.map((x) => `${x.index}/${x.count}`).join(' ') } : {}),
    ...(previous === undefined
      ? {}
      : {
          'previous p50 (ms)': round(previous.p50),
          'previous p99 (ms)': round(previous.p99),
          'previous p99.9 (ms)': round(previous.p999),
        }),
  }
  return createReport({
    kind: 'load',
    title: options.title ?? `Load test of ${result.target}`,
    createdAt: result.startedAt,
    summary,
    checks,
    charts: charts(result, latency, uncorrected, options.compare),
  })
}

/** The `LoadResult` inside a load report's JSON (`MG_LOAD_BAD_RESULT` when it holds none). */
export function loadResultFromReport(report: unknown, name = 'the report'): LoadResult {
  const checks = (report as { checks?: unknown } | null)?.checks
  const check = Array.isArray(checks)
    ? checks.find((c) => (c as { id?: unknown })?.id === SCHEDULE_CHECK_ID)
    : undefined
  const result = (check as { details?: { loadResult?: unknown } } | undefined)?.details?.loadResult
  if (result === null || typeof result !== 'object' || (result as { version?: unknown }).version !== 1)
    throw new TrafficError(
      'MG_LOAD_BAD_RESULT',
      `${name} is not the JSON report of a load run (no ${SCHEDULE_CHECK_ID} measurements).`,
      {
        hint: 'Pass the JSON report a load run wrote (its --json output or --json-out file).',
      },
    )
  return result as LoadResult
}

function scheduleCheck(result: LoadResult, lateness: LatencyHistogram): CheckResult {
  const { late, veryLate, sent, scheduled } = result.counts
  const rule = result.scheduleRule
  const share = scheduled === 0 ? 0 : late / scheduled
  const worst = lateness.count === 0 ? 0 : lateness.summary().max
  const ruleText = `the rule: at most ${formatPercent(rule.maxLateShare, { significant: 3 })} of requests over ${rule.lateThresholdMs} ms late, none over ${rule.maxLatenessMs} ms`
  const behind = veryLate > 0 || share > rule.maxLateShare
  const message = behind
    ? `THE LOAD GENERATOR FELL BEHIND ITS SCHEDULE: ${late.toLocaleString('en-US')} of ${scheduled.toLocaleString('en-US')} requests (${formatPercent(share, { significant: 3 })}) left more than ${rule.lateThresholdMs} ms late, ${veryLate.toLocaleString('en-US')} more than ${rule.maxLatenessMs} ms (worst ${formatMs(worst)}) — ${ruleText}. The latencies measure the client, not the server: give the generator more CPU or split the load across processes.`
    : `the generator kept its schedule: ${formatPercent(share, { significant: 3 })} of requests over ${rule.lateThresholdMs} ms late, worst ${formatMs(worst)} (${ruleText}); ${sent.toLocaleString('en-US')} sent`
  return {
    id: SCHEDULE_CHECK_ID,
    name: 'generator schedule',
    group: 'generator',
    verdict: behind ? 'fail' : 'pass',
    message,
    metrics: {
      late,
      veryLate,
      lateShare: share,
      worstLatenessMs: worst,
      latenessP99Ms: lateness.count === 0 ? 0 : lateness.percentile(99),
    },
    details: { loadResult: result },
  }
}

/**
 * Without an `errors` SLO, failed requests still never pass silently: any failure warns, and a run in which no request
 * succeeded fails.
 */
function errorsCheck(result: LoadResult): CheckResult {
  const { ok, errors } = result.counts
  const finished = ok + errors
  const classes = Object.entries(result.errors)
    .filter(([, n]) => n > 0)
    .map(([c, n]) => `${c} ${n.toLocaleString('en-US')}`)
    .join(', ')
  const base = { id: 'load.errors', name: 'failed requests', group: 'errors' }
  if (finished === 0) return { ...base, verdict: 'inconclusive', message: 'no measured request finished' }
  const share = errors / finished
  const metrics = { errors, ok, share }
  if (errors === 0)
    return { ...base, verdict: 'pass', message: `no request failed (n=${finished.toLocaleString('en-US')})`, metrics }
  return {
    ...base,
    verdict: ok === 0 ? 'fail' : 'warn',
    message: `${errors.toLocaleString('en-US')} of ${finished.toLocaleString('en-US')} requests failed (${formatPercent(share, { significant: 3 })}: ${classes})${ok === 0 ? '; none succeeded' : ''}; add an SLO such as errors<0.1% to judge them`,
    metrics,
  }
}

function wholeRunCheck(
  slo: Slo,
  latency: LatencyHistogram,
  counts: { ok: number; errors: number; sent: number; seconds: number },
): CheckResult {
  const base = { id: `load.slo.${slo.source}`, name: slo.source, group: 'SLO' }
  const measure = sloValue(slo, latency, counts)
  if ('inconclusive' in measure)
    return { ...base, verdict: 'inconclusive', message: `${slo.source}: cannot judge: ${measure.inconclusive}` }
  const ok = meetsSlo(slo, measure.value)
  return {
    ...base,
    verdict: ok ? 'pass' : 'fail',
    message: `${slo.metric} = ${formatSloValue(slo, measure.value)} (${ok ? 'meets' : 'breaks'} ${slo.source}; n=${measure.n.toLocaleString('en-US')})`,
    metrics: { value: measure.value, threshold: slo.threshold, n: measure.n },
  }
}

/**
 * A sliding-window SLO: windows of `windowMs` slide over the measured seconds in steps of max(1 s, window/10); each
 * window with enough responses is judged, and the first that breaks the objective is named (from the run's start).
 */
function windowCheck(slo: Slo, result: LoadResult): CheckResult {
  const base = { id: `load.slo.${slo.source}`, name: slo.source, group: 'SLO' }
  const w = Math.max(1, Math.round((slo.windowMs as number) / 1000))
  const total = Math.ceil(result.measuredMs / 1000 - 1e-9)
  if (total < w)
    return {
      ...base,
      verdict: 'inconclusive',
      message: `${slo.source}: the measured run (${total} s) is shorter than the window (${w} s)`,
    }
  const step = Math.max(1, Math.floor(w / 10))
  const blocksPerWindow = Math.ceil(w / step)
  const blocks: { hist: LatencyHistogram; ok: number; errors: number; sent: number }[] = []
  let judged = 0
  let skipped = 0
  let worst: { value: number; start: number } | undefined
  let firstBreach: { value: number; start: number } | undefined
  let breaches = 0
  const offsetS = result.warmupMs / 1000
  for (let start = 0; start < total; start += step) {
    blocks.push(block(result.seconds, start, Math.min(start + step, total)))
    if (blocks.length > blocksPerWindow) blocks.shift()
    const windowStart = start + step - blocks.length * step
    if (windowStart + w > total || blocks.length < blocksPerWindow) continue
    const hist = createLatencyHistogram()
    let ok = 0
    let errors = 0
    let sent = 0
    for (const b of blocks) {
      hist.merge(b.hist)
      ok += b.ok
      errors += b.errors
      sent += b.sent
    }
    const measure = sloValue(slo, hist, { ok, errors, sent, seconds: blocks.length * step })
    if ('inconclusive' in measure) {
      skipped++
      continue
    }
    judged++
    const bad = !meetsSlo(slo, measure.value)
    const worse =
      worst === undefined || (slo.op.startsWith('<') ? measure.value > worst.value : measure.value < worst.value)
    if (worse) worst = { value: measure.value, start: windowStart }
    if (bad) {
      breaches++
      if (firstBreach === undefined) firstBreach = { value: measure.value, start: windowStart }
    }
  }
  const span = (x: { start: number }): string =>
    `${formatClock(offsetS + x.start)}–${formatClock(offsetS + x.start + blocksPerWindow * step)}`
  if (judged === 0)
    return {
      ...base,
      verdict: 'inconclusive',
      message: `${slo.source}: no ${w} s window had enough responses to judge (${skipped} windows skipped)`,
    }
  const skippedNote = skipped > 0 ? `; ${skipped} windows with too few responses not judged` : ''
  if (firstBreach !== undefined && worst !== undefined)
    return {
      ...base,
      verdict: 'fail',
      message: `${slo.metric} = ${formatSloValue(slo, firstBreach.value)} in the window ${span(firstBreach)} breaks ${slo.source}; ${breaches} of ${judged} windows breach it, the worst ${span(worst)} (${formatSloValue(slo, worst.value)})${skippedNote}`,
      metrics: {
        value: firstBreach.value,
        worst: worst.value,
        threshold: slo.threshold,
        breachingWindows: breaches,
        windows: judged,
        windowStartS: offsetS + firstBreach.start,
      },
    }
  const worstW = worst as { value: number; start: number }
  return {
    ...base,
    verdict: 'pass',
    message: `every ${w} s window meets ${slo.source}; the worst ${span(worstW)}: ${slo.metric} = ${formatSloValue(slo, worstW.value)} (${judged} windows${skippedNote})`,
    metrics: { worst: worstW.value, threshold: slo.threshold, windows: judged },
  }
}

function block(
  seconds: readonly LoadSecond[],
  from: number,
  to: number,
): { hist: LatencyHistogram; ok: number; errors: number; sent: number } {
  const hist = createLatencyHistogram()
  let ok = 0
  let errors = 0
  let sent = 0
  for (let i = from; i < to; i++) {
    const s = seconds[i]
    if (s === undefined) continue
    if (s.latency !== null) hist.merge(decodeLatencyHistogram(s.latency))
    ok += s.ok
    errors += s.errors
    sent += s.sent
  }
  return { hist, ok, errors, sent }
}

const SPECTRUM = [50, 75, 90, 95, 99, 99.5, 99.9, 99.95, 99.99]

function charts(
  result: LoadResult,
  latency: LatencyHistogram,
  uncorrected: LatencyHistogram,
  compare: LoadResult | undefined,
): Chart[] {
  const offsetS = result.warmupMs / 1000
  const x = result.seconds.map((_, i) => offsetS + i)
  const p50: number[] = []
  const p99: number[] = []
  const max: number[] = []
  for (const s of result.seconds) {
    const h = s.latency === null ? undefined : decodeLatencyHistogram(s.latency)
    p50.push(h === undefined ? 0 : round(h.percentile(50)))
    p99.push(h === undefined ? 0 : round(h.percentile(99)))
    max.push(h === undefined ? 0 : round(h.percentile(100)))
  }
  const out: Chart[] = []
  if (latency.count > 0) {
    out.push({
      kind: 'line',
      title: 'Latency over time (ms, corrected, per second)',
      x,
      xLabel: 'seconds from the start',
      series: [
        { name: 'p50', values: p50 },
        { name: 'p99', values: p99 },
        { name: 'max', values: max },
      ],
    })
    const nines = SPECTRUM.map((p) => round(-Math.log10(1 - p / 100)))
    const series = [
      { name: 'corrected', values: SPECTRUM.map((p) => round(latency.percentile(p))) },
      { name: 'uncorrected', values: SPECTRUM.map((p) => round(uncorrected.percentile(p))) },
    ]
    if (compare !== undefined) {
      const previous = decodeLatencyHistogram(compare.latency)
      if (previous.count > 0)
        series.push({ name: 'previous run', values: SPECTRUM.map((p) => round(previous.percentile(p))) })
    }
    out.push({
      kind: 'line',
      title: 'Percentile spectrum (ms): p50 · p90 · p99 · p99.9 · p99.99',
      x: nines,
      xLabel: 'nines (1 = p90, 2 = p99, 3 = p99.9)',
      series,
    })
  }
  out.push({
    kind: 'line',
    title: 'Requests per second: intended vs achieved',
    x,
    xLabel: 'seconds from the start',
    series: [
      { name: 'intended', values: result.seconds.map((s) => s.intended) },
      { name: 'achieved (sent)', values: result.seconds.map((s) => s.sent) },
      { name: 'errors', values: result.seconds.map((s) => s.errors) },
    ],
  })
  return out
}

function round(x: number): number {
  return Number.isFinite(x) ? Number(x.toPrecision(5)) : 0
}
