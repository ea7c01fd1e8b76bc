import type { Report, Verdict } from '@modelgate/core'

/** What `/_modelgate/verdict` serves and an Argo Rollouts web metric reads (`successCondition: result.pass == true`). */
export interface CanaryAnalysisResult {
  /** The shape's version: 1. */
  readonly version: 1
  readonly verdict: Verdict
  /** true for `pass` and `warn`; false for `fail` and `inconclusive`. */
  readonly pass: boolean
  /** Every check's metrics, flattened: `<check id without "canary.">.<metric>` → number (finite only). */
  readonly metrics: Readonly<Record<string, number>>
  /** The messages of the checks that did not pass (fail first, then inconclusive, then warn), then sub-reports (drift). */
  readonly reasons: readonly string[]
  /** When the report was made (ISO). */
  readonly createdAt: string
  readonly pairs: number
}

const ORDER: Readonly<Record<Verdict, number>> = { fail: 0, inconclusive: 1, warn: 2, pass: 3, skip: 4 }

/**
 * The canary report as a small versioned JSON for Argo Rollouts' web metric provider: `pass` for the
 * `successCondition`, `verdict` for a `failureCondition` (`result.verdict == "fail"`), so an inconclusive verdict
 * matches neither and Argo marks the measurement Inconclusive (the rollout pauses) — never a silent pass. No NaN and
 * no empty result reach Argo (its #180: NaN was a failure until PR #275 made it inconclusive; #1466: an empty result
 * aborted the rollout): metrics keep finite numbers only, and verdict is always set.
 */
export function canaryAnalysisResult(report: Report): CanaryAnalysisResult {
  const metrics: Record<string, number> = {}
  for (const check of report.checks)
    for (const [name, value] of Object.entries(check.metrics ?? {}))
      if (Number.isFinite(value)) metrics[`${check.id.replace(/^canary\./, '')}.${name}`] = value
  const reasons = report.checks
    .filter((c) => c.verdict === 'fail' || c.verdict === 'inconclusive' || c.verdict === 'warn')
    .sort((a, b) => ORDER[a.verdict] - ORDER[b.verdict])
    .map((c) => `${c.verdict}: ${c.name}: ${c.message}`)
  for (const sub of report.reports ?? [])
    if (sub.verdict !== 'pass' && sub.verdict !== 'skip') reasons.push(`${sub.verdict}: ${sub.title}`)
  const pairs = report.summary.pairs
  return {
    version: 1,
    verdict: report.verdict,
    pass: report.verdict === 'pass' || report.verdict === 'warn',
    metrics,
    reasons,
    createdAt: report.createdAt,
    pairs: typeof pairs === 'number' ? pairs : 0,
  }
}
