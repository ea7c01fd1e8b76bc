import type { Chart, CheckResult, Report, Verdict } from './Report.js'

export interface CreateReportInput {
  readonly kind: string
  readonly title: string
  readonly summary?: Readonly<Record<string, number | string>>
  readonly checks: readonly CheckResult[]
  readonly charts?: readonly Chart[]
  readonly durationMs?: number
  /** Defaults to now. */
  readonly createdAt?: Date | string
}

/** Builds a report, deriving its verdict from the checks: fail if any failed, else warn if any warned, else pass. */
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
    verdict: deriveVerdict(input.checks),
  }
}

/** The verdict of a set of checks, or of anything with a verdict (skipped ones do not count; none at all is a pass). */
export function deriveVerdict(checks: readonly { readonly verdict: Verdict }[]): Verdict {
  let warn = false
  for (const check of checks) {
    if (check.verdict === 'fail') return 'fail'
    if (check.verdict === 'warn') warn = true
  }
  return warn ? 'warn' : 'pass'
}

/** Checks per verdict. */
export function countVerdicts(checks: readonly CheckResult[]): Record<Verdict, number> {
  const counts: Record<Verdict, number> = { pass: 0, warn: 0, fail: 0, skip: 0 }
  for (const check of checks) counts[check.verdict]++
  return counts
}
