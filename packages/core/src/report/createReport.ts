import type { Chart, CheckResult, Report, Verdict } from './Report.js'

export interface CreateReportInput {
  readonly kind: string
  readonly title: string
  readonly summary?: Readonly<Record<string, number | string>>
  readonly checks: readonly CheckResult[]
  readonly charts?: readonly Chart[]
  /** Sub-reports (the gate's report holds each check's report); their verdicts fold into this one's. */
  readonly reports?: readonly Report[]
  readonly durationMs?: number
  /** Defaults to now. */
  readonly createdAt?: Date | string
}

/** Builds a report, deriving its verdict from its checks and sub-reports (see `deriveVerdict`). */
export function createReport(input: CreateReportInput): Report {
  const createdAt =
    input.createdAt === undefined
      ? new Date().toISOString()
      : typeof input.createdAt === 'string'
        ? input.createdAt
        : input.createdAt.toISOString()
  return {
    kind: input.kind,
    title: input.title,
    createdAt,
    ...(input.durationMs === undefined ? {} : { durationMs: input.durationMs }),
    summary: input.summary ?? {},
    checks: input.checks,
    ...(input.charts === undefined ? {} : { charts: input.charts }),
    ...(input.reports === undefined ? {} : { reports: input.reports }),
    verdict: deriveVerdict([...input.checks, ...(input.reports ?? [])]),
  }
}

/**
 * The verdict of a set of checks or reports: fail if any failed, else inconclusive if any was inconclusive, else
 * warn if any warned, else pass. Skipped ones do not count; nothing at all is a pass.
 */
export function deriveVerdict(items: readonly { readonly verdict: Verdict }[]): Verdict {
  let inconclusive = false
  let warn = false
  for (const item of items) {
    if (item.verdict === 'fail') return 'fail'
    if (item.verdict === 'inconclusive') inconclusive = true
    else if (item.verdict === 'warn') warn = true
  }
  return inconclusive ? 'inconclusive' : warn ? 'warn' : 'pass'
}

/** Checks per verdict. */
export function countVerdicts(checks: readonly CheckResult[]): Record<Verdict, number> {
  const counts: Record<Verdict, number> = { pass: 0, warn: 0, fail: 0, inconclusive: 0, skip: 0 }
  for (const check of checks) counts[check.verdict]++
  return counts
}

/** Every check of a report and of its sub-reports, depth first. */
export function allChecks(report: Report): CheckResult[] {
  return [...report.checks, ...(report.reports ?? []).flatMap(allChecks)]
}
