import type { CheckResult, Report, Verdict } from '@modelgate/core'
import {
  countVerdicts,
  createReport,
  deriveVerdict,
  renderHtml,
  renderJUnit,
  renderTerminalReport,
  verdictExitCode,
} from '@modelgate/core'
import { XMLParser, XMLValidator } from 'fast-xml-parser'
import { describe, expect, it } from 'vitest'

const check = (name: string, verdict: Verdict, message: string, group = 'features'): CheckResult => ({
  id: `drift.${name}`,
  name,
  group,
  verdict,
  message,
})
const at = '2026-12-01T10:00:00.000Z'

const drift = createReport({
  kind: 'drift',
  title: 'Drift',
  createdAt: at,
  durationMs: 2000,
  checks: [
    check('amount', 'pass', 'PSI 0.02'),
    check('country', 'inconclusive', 'country: 12 rows in the window, need 100 to judge'),
  ],
})
const latency = createReport({
  kind: 'latency',
  title: 'Latency',
  createdAt: at,
  checks: [
    check('p99', 'fail', 'p99 312 ms ≥ 250 ms (p99<250ms)', 'slo'),
    check('errors', 'pass', 'errors 0.1% < 1%', 'slo'),
  ],
})
const contracts = createReport({
  kind: 'contracts.check',
  title: 'Contracts',
  createdAt: at,
  checks: [check('device_fingerprint', 'warn', 'null rate 4.8% close to 5.0%', 'null rates')],
})
const gate = createReport({
  kind: 'gate',
  title: 'Gate for fraud-model v42',
  createdAt: at,
  durationMs: 65_000,
  summary: { model: 'fraud-model v42' },
  checks: [],
  reports: [drift, contracts, latency],
})

describe('verdicts', () => {
  it('fold as fail > inconclusive > warn > pass, skip not counted', () => {
    const fold = (...verdicts: Verdict[]): Verdict => deriveVerdict(verdicts.map((verdict) => ({ verdict })))
    expect(fold('pass', 'warn', 'inconclusive', 'fail')).toBe('fail')
    expect(fold('pass', 'warn', 'inconclusive')).toBe('inconclusive')
    expect(fold('inconclusive', 'warn')).toBe('inconclusive')
    expect(fold('pass', 'warn', 'skip')).toBe('warn')
    expect(fold('skip', 'skip')).toBe('pass')
    expect(fold()).toBe('pass')
  })

  it('are counted, inconclusive included', () => {
    expect(countVerdicts(drift.checks)).toEqual({ pass: 1, warn: 0, fail: 0, inconclusive: 1, skip: 0 })
  })

  it('map to exit codes in one place: 0 pass/warn, 1 fail, 1 inconclusive unless allowed, 2 warn when strict', () => {
    const table = (['pass', 'warn', 'fail', 'inconclusive', 'skip'] as const).map((v) => [
      v,
      verdictExitCode(v),
      verdictExitCode(v, { allowInconclusive: true }),
      verdictExitCode(v, { strict: true }),
      verdictExitCode(v, { allowInconclusive: true, strict: true }),
    ])
    expect(table).toEqual([
      ['pass', 0, 0, 0, 0],
      ['warn', 0, 0, 2, 2],
      ['fail', 1, 1, 1, 1],
      ['inconclusive', 1, 0, 1, 0],
      ['skip', 0, 0, 0, 0],
    ])
  })
})

describe('nested reports', () => {
  it("fold the sub-reports' verdicts into the parent's", () => {
    expect([drift.verdict, latency.verdict, contracts.verdict, gate.verdict]).toEqual([
      'inconclusive',
      'fail',
      'warn',
      'fail',
    ])
    expect(createReport({ kind: 'gate', title: 'g', checks: [], reports: [drift, contracts] }).verdict).toBe(
      'inconclusive',
    )
    expect(
      createReport({ kind: 'gate', title: 'g', checks: [check('own', 'fail', 'x')], reports: [contracts] }).verdict,
    ).toBe('fail')
  })

  it('survive a JSON round trip unchanged', () => {
    expect(JSON.parse(JSON.stringify(gate)) as Report).toEqual(gate)
  })

  it('render in the terminal as sections, failing ones first', () => {
    expect(renderTerminalReport(gate)).toMatchInlineSnapshot(`
      "Gate for fraud-model v42  FAIL
        model  fraud-model v42

        Latency  FAIL

          FAIL  [slo] p99 312 ms ≥ 250 ms (p99<250ms)
          PASS  [slo] errors 0.1% < 1%
          2 checks: 1 failed, 0 warned, 1 passed

        Drift  INCONCLUSIVE

          INCONCLUSIVE  [features] country: 12 rows in the window, need 100 to judge
          PASS          [features] amount: PSI 0.02
          2 checks: 0 failed, 1 inconclusive, 0 warned, 1 passed

        Contracts  WARN

          WARN  [null rates] device_fingerprint: null rate 4.8% close to 5.0%
          1 check: 0 failed, 1 warned, 0 passed

      5 checks in 4 reports: 1 failed, 1 inconclusive, 1 warned, 2 passed in 65.0 s
      "
    `)
  })

  it('render in JUnit as one test suite per sub-report, one test case per check', () => {
    const xml = renderJUnit(gate)
    expect(XMLValidator.validate(xml)).toBe(true)
    const parsed = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: '@',
      isArray: (name) => ['testsuite', 'testcase'].includes(name),
    }).parse(xml) as {
      testsuites: Record<string, string> & {
        testsuite: (Record<string, string> & { testcase: Record<string, unknown>[] })[]
      }
    }
    const root = parsed.testsuites
    expect([root['@tests'], root['@failures'], root['@errors'], root['@skipped']]).toEqual(['5', '1', '1', '0'])
    expect(
      root.testsuite.map((s) => [s['@name'], s['@package'], s['@tests'], s['@failures'], s['@errors'], s['@time']]),
    ).toEqual([
      ['Drift', 'drift', '2', '0', '1', '2.000'],
      ['Contracts', 'contracts.check', '1', '0', '0', '0.000'],
      ['Latency', 'latency', '2', '1', '0', '0.000'],
    ])
    const country = root.testsuite[0]?.testcase.find((t) => t['@name'] === 'country') as {
      '@classname': string
      error: { '@type': string; '@message': string }
    }
    expect(country['@classname']).toBe('drift.features')
    expect(country.error['@type']).toBe('inconclusive')
    expect(country.error['@message']).toBe('country: 12 rows in the window, need 100 to judge')
  })

  it('name a grandchild suite after its parent', () => {
    const outer = createReport({ kind: 'gate', title: 'Outer', checks: [], reports: [gate] })
    const names = [...renderJUnit(outer).matchAll(/<testsuite id="\d+" name="([^"]+)"/g)].map((m) => m[1])
    expect(names).toEqual([
      'Gate for fraud-model v42 › Drift',
      'Gate for fraud-model v42 › Contracts',
      'Gate for fraud-model v42 › Latency',
    ])
  })

  it('render in HTML as an overview of verdicts, then one section per sub-report, failing first', () => {
    const html = renderHtml(gate)
    expect(html.match(/<tr class="\w+"><td><span class="badge \w+">\w+<\/span><\/td><td><a href/g)).toEqual([
      '<tr class="fail"><td><span class="badge fail">fail</span></td><td><a href',
      '<tr class="inconclusive"><td><span class="badge inconclusive">inconclusive</span></td><td><a href',
      '<tr class="warn"><td><span class="badge warn">warn</span></td><td><a href',
    ])
    expect([...html.matchAll(/<section class="report" id="([^"]+)">\n<h2>/g)].map((m) => m[1])).toEqual([
      'report-latency-Latency',
      'report-drift-Drift',
      'report-contracts.check-Contracts',
    ])
    expect(html).toContain('<div class="card i"><div class="k">inconclusive</div><div class="v">1</div></div>')
    expect(html).not.toContain('<h2>Checks (0)</h2>')
    expect(html).toMatch(/<section class="report"[^>]*>\n<h2>[^\n]*Latency<\/h2>[\s\S]*<h3>Checks \(2\)<\/h3>/)
  })
})
