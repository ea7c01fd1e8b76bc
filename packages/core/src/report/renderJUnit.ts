import { allChecks, countVerdicts } from './createReport.js'
import { xmlText } from './internal/escape.js'
import type { CheckResult, Report } from './Report.js'

/**
 * JUnit XML (the Jenkins/GitLab/GitHub flavour): one `<testsuite>` per check group of the report's own checks and
 * one per sub-report (the gate's checks: drift, latency …; nested sub-reports get their own suite, named
 * `parent › child`), one `<testcase>` per check. `<failure>` for failed checks, `<error type="inconclusive">` for
 * checks without enough data to judge, `<skipped>` for skipped ones; warnings pass with a `<system-out>` note.
 */
export function renderJUnit(report: Report): string {
  const checks = allChecks(report)
  const total = countVerdicts(checks)
  const seconds = ((report.durationMs ?? 0) / 1000).toFixed(3)
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${xmlText(report.title)}" tests="${checks.length}" failures="${total.fail}" errors="${total.inconclusive}" skipped="${total.skip}" time="${seconds}" timestamp="${xmlText(report.createdAt)}">`,
  ]
  let id = 0
  const suite = (
    name: string,
    kind: string,
    classname: (check: CheckResult) => string,
    of: Report,
    cases: readonly CheckResult[],
  ): void => {
    const counts = countVerdicts(cases)
    const time = of === report ? '0' : ((of.durationMs ?? 0) / 1000).toFixed(3)
    lines.push(
      `  <testsuite id="${id++}" name="${xmlText(name)}" package="${xmlText(kind)}" tests="${cases.length}" failures="${counts.fail}" errors="${counts.inconclusive}" skipped="${counts.skip}" time="${time}" timestamp="${xmlText(of.createdAt)}">`,
    )
    for (const check of cases) {
      const open = `    <testcase name="${xmlText(check.name)}" classname="${xmlText(classname(check))}" time="0"`
      const body = caseBody(check)
      lines.push(
        body.length === 0 ? `${open}/>` : `${open}>`,
        ...body,
        ...(body.length === 0 ? [] : ['    </testcase>']),
      )
    }
    lines.push('  </testsuite>')
  }
  for (const [group, cases] of byGroup(report.checks))
    suite(group, report.kind, () => `${report.kind}.${group}`, report, cases)
  const nested = (sub: Report, prefix: string): void => {
    const name = prefix === '' ? sub.title : `${prefix} › ${sub.title}`
    if (sub.checks.length > 0 || (sub.reports ?? []).length === 0)
      suite(name, sub.kind, (check) => `${sub.kind}.${check.group}`, sub, sub.checks)
    for (const child of sub.reports ?? []) nested(child, name)
  }
  for (const sub of report.reports ?? []) nested(sub, '')
  lines.push('</testsuites>')
  return `${lines.join('\n')}\n`
}

function byGroup(checks: readonly CheckResult[]): Map<string, CheckResult[]> {
  const groups = new Map<string, CheckResult[]>()
  for (const check of checks) {
    const list = groups.get(check.group)
    if (list === undefined) groups.set(check.group, [check])
    else list.push(check)
  }
  return groups
}

function caseBody(check: CheckResult): string[] {
  const metrics =
    check.metrics === undefined
      ? ''
      : Object.entries(check.metrics)
          .map(([k, v]) => `${k}=${v}`)
          .join(' ')
  const detail = [check.message, metrics === '' ? '' : `metrics: ${metrics}`, `id: ${check.id}`]
    .filter((s) => s !== '')
    .join('\n')
  switch (check.verdict) {
    case 'fail':
      return [
        `      <failure message="${xmlText(check.message)}" type="${xmlText(check.id)}">${xmlText(detail)}</failure>`,
      ]
    case 'inconclusive':
      return [`      <error message="${xmlText(check.message)}" type="inconclusive">${xmlText(detail)}</error>`]
    case 'skip':
      return [`      <skipped message="${xmlText(check.message)}"/>`]
    case 'warn':
      return [`      <system-out>${xmlText(`WARN ${detail}`)}</system-out>`]
    case 'pass':
      return []
  }
}
