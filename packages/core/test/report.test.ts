import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { CheckResult, Report } from '@modelgate/core'
import {
  createReport,
  ModelGateError,
  renderHtml,
  renderJUnit,
  renderTerminalReport,
  writeReport,
} from '@modelgate/core'
import { XMLParser, XMLValidator } from 'fast-xml-parser'
import { afterAll, describe, expect, it } from 'vitest'

const dir = mkdtempSync(join(tmpdir(), 'mg-report-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const nasty = `amount <"EUR"> & 'tax'`
const checks: CheckResult[] = [
  {
    id: 'contracts.null_rate.device_fingerprint',
    name: 'device_fingerprint',
    group: 'null rates',
    verdict: 'fail',
    message: 'device_fingerprint null rate 38.0% > 5.0% (n=2,000)',
    metrics: { nullRate: 0.38, threshold: 0.05, n: 2000 },
    charts: [
      {
        kind: 'bars',
        title: 'null rate by day',
        labels: ['Mon', 'Tue'],
        series: [{ name: 'null rate', values: [0.02, 0.38] }],
      },
    ],
  },
  {
    id: 'contracts.null_rate.amount',
    name: nasty,
    group: 'null rates',
    verdict: 'pass',
    message: `${nasty} null rate 0.0% ≤ 5.0%`,
  },
  {
    id: 'skew.feature.avg_amount_7d',
    name: 'avg_amount_7d',
    group: 'feature skew',
    verdict: 'warn',
    message: 'PSI 0.14 between 0.1 and 0.2',
    metrics: { psi: 0.14 },
    charts: [
      {
        kind: 'line',
        title: 'PSI over time',
        x: [1, 2, 3, 4],
        xLabel: 'window',
        series: [{ name: 'psi', values: [0.02, 0.05, 0.11, 0.14] }],
      },
    ],
  },
  {
    id: 'skew.feature.country',
    name: 'country',
    group: 'feature skew',
    verdict: 'skip',
    message: 'not present in the online log',
  },
  { id: 'skew.feature.age', name: 'age', group: 'feature skew', verdict: 'pass', message: 'KS 0.01, p = 0.93' },
]
const report: Report = createReport({
  kind: 'contracts.check',
  title: `Payload check for <fraud-scoring> & "friends"`,
  summary: { rows: 2000, 'null-rate checks': 2, verdict: 'see checks' },
  checks,
  charts: [
    {
      kind: 'heatmap',
      title: 'correlation <real>',
      rows: ['a', 'b'],
      columns: ['a', 'b'],
      values: [
        [1, -0.3],
        [-0.3, 1],
      ],
      min: -1,
      max: 1,
    },
  ],
  createdAt: '2026-11-25T17:00:00.000Z',
  durationMs: 1234,
})

describe('createReport', () => {
  it('derives the verdict: fail if any check failed, else warn if any warned, else pass', () => {
    expect(report.verdict).toBe('fail')
    expect(createReport({ kind: 'k', title: 't', checks: checks.filter((c) => c.verdict !== 'fail') }).verdict).toBe(
      'warn',
    )
    expect(
      createReport({
        kind: 'k',
        title: 't',
        checks: checks.filter((c) => c.verdict === 'pass' || c.verdict === 'skip'),
      }).verdict,
    ).toBe('pass')
    expect(createReport({ kind: 'k', title: 't', checks: [] }).verdict).toBe('pass')
  })

  it('stamps createdAt as an ISO timestamp', () => {
    const r = createReport({ kind: 'k', title: 't', checks: [] })
    expect(new Date(r.createdAt).toISOString()).toBe(r.createdAt)
  })
})

describe('renderTerminalReport', () => {
  it('prints the summary, then failing and warning checks first, then the counts', () => {
    expect(renderTerminalReport(report)).toMatchInlineSnapshot(`
      "Payload check for <fraud-scoring> & "friends"  FAIL
        rows              2,000
        null-rate checks  2
        verdict           see checks

        FAIL  [null rates] device_fingerprint null rate 38.0% > 5.0% (n=2,000)
        WARN  [feature skew] avg_amount_7d: PSI 0.14 between 0.1 and 0.2
        SKIP  [feature skew] country: not present in the online log
        PASS  [null rates] amount <"EUR"> & 'tax' null rate 0.0% ≤ 5.0%
        PASS  [feature skew] age: KS 0.01, p = 0.93

      5 checks: 1 failed, 1 warned, 2 passed, 1 skipped in 1.2 s
      "
    `)
  })

  it('lists only failing and warning checks when there are many', () => {
    const many = createReport({
      kind: 'skew',
      title: 'Skew',
      checks: Array.from({ length: 30 }, (_, i) => ({
        id: `f${i}`,
        name: `f${i}`,
        group: 'features',
        verdict: i === 7 ? ('fail' as const) : ('pass' as const),
        message: `feature ${i}`,
      })),
    })
    expect(renderTerminalReport(many).split('\n').slice(1)).toEqual([
      '',
      '  FAIL  [features] f7: feature 7',
      '  … 29 passing or skipped checks not shown',
      '',
      '30 checks: 1 failed, 0 warned, 29 passed',
      '',
    ])
  })

  it('colours verdicts only when asked', () => {
    expect(renderTerminalReport(report)).not.toContain('\u001b[')
    expect(renderTerminalReport(report, { color: true })).toContain('\u001b[31mFAIL\u001b[39m')
  })
})

describe('renderJUnit', () => {
  const xml = renderJUnit(report)
  const parsed = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@',
    isArray: (name) => ['testsuite', 'testcase'].includes(name),
  }).parse(xml) as {
    testsuites: {
      '@tests': string
      '@failures': string
      '@skipped': string
      '@name': string
      testsuite: {
        '@name': string
        '@tests': string
        '@failures': string
        '@skipped': string
        testcase: Record<string, unknown>[]
      }[]
    }
  }

  it('is well-formed XML', () => {
    expect(XMLValidator.validate(xml)).toBe(true)
  })

  it('has one testsuite per group and one testcase per check, with the right counts', () => {
    const root = parsed.testsuites
    expect([root['@tests'], root['@failures'], root['@skipped']]).toEqual(['5', '1', '1'])
    expect(
      root.testsuite.map((s) => [s['@name'], s['@tests'], s['@failures'], s['@skipped'], s.testcase.length]),
    ).toEqual([
      ['null rates', '2', '1', '0', 2],
      ['feature skew', '3', '0', '1', 3],
    ])
  })

  it('carries the failure message and a skipped element, and escapes names', () => {
    const [nullRates, skew] = parsed.testsuites.testsuite
    const failed = nullRates?.testcase[0] as { '@name': string; failure: { '@message': string } }
    expect(failed['@name']).toBe('device_fingerprint')
    expect(failed.failure['@message']).toBe('device_fingerprint null rate 38.0% > 5.0% (n=2,000)')
    expect(skew?.testcase.find((t) => t['@name'] === 'country')).toHaveProperty('skipped')
    expect(parsed.testsuites['@name']).toBe('Payload check for <fraud-scoring> & "friends"')
    expect(xml).toContain('name="amount &lt;&quot;EUR&quot;&gt; &amp; &#39;tax&#39;"')
  })

  it('decodes the escaped names back to the originals with a decoding parser', () => {
    const decoded = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: '@',
      processEntities: true,
      htmlEntities: true,
    }).parse(xml) as {
      testsuites: { testsuite: { testcase: { '@name': string }[] }[] }
    }
    expect(decoded.testsuites.testsuite[0]?.testcase[1]?.['@name']).toBe(nasty)
  })

  it('replaces characters XML cannot hold', () => {
    const odd = createReport({
      kind: 'k',
      title: 't',
      checks: [{ id: 'x', name: 'bell\u0007', group: 'g', verdict: 'fail', message: 'nul\u0000' }],
    })
    expect(XMLValidator.validate(renderJUnit(odd))).toBe(true)
  })
})

describe('renderHtml', () => {
  const html = renderHtml(report)

  it('is one self-contained page: no scripts, no external URLs, fonts or stylesheets', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true)
    expect(html).not.toMatch(/https?:|\/\/[a-z]|<script|<link|@import|url\(|@font-face/i)
    expect(html).toContain('<style>')
  })

  it('escapes names, titles and messages', () => {
    expect(html).not.toContain(nasty)
    expect(html).toContain('amount &lt;&quot;EUR&quot;&gt; &amp; &#39;tax&#39;')
    expect(html).toContain('<title>Payload check for &lt;fraud-scoring&gt; &amp; &quot;friends&quot;</title>')
    expect(html).toContain('correlation &lt;real&gt;')
  })

  it('draws inline SVG for bars, line and heatmap charts, per-check charts inside <details>, open unless passed', () => {
    expect(html.match(/<svg /g)?.length).toBe(3)
    expect(html).toMatch(
      /<details open><summary>1 chart<\/summary><figure class="chart"><figcaption>null rate by day<\/figcaption><svg[^>]*>.*<rect /,
    )
    // The warning's chart is open too: a check that did not pass opens with its evidence.
    expect(html).toMatch(/<details open><summary>1 chart<\/summary><figure class="chart"><figcaption>PSI over time/)
    expect(html).toMatch(/<polyline points="[\d., ]+"/)
    expect(html.match(/<tr class="(fail|warn|skip|pass)"/g)).toEqual([
      '<tr class="fail"',
      '<tr class="warn"',
      '<tr class="skip"',
      '<tr class="pass"',
      '<tr class="pass"',
    ])
  })

  it('gives every chart a text alternative naming what it shows', () => {
    expect(html).toMatch(/aria-label="null rate by day: bar chart of null rate over 2 bins"/)
    expect(html).toMatch(/<desc>2 × 2 heat map from -1 to 1; largest in magnitude: a × a = 1<\/desc>/)
  })

  it('shows metrics as a labelled table with units, not key=value lines', () => {
    expect(html).not.toMatch(/nullRate=/)
    expect(html).toContain('<tr><th scope="row" title="nullRate">null rate</th><td>38.0%</td></tr>')
    expect(html).toContain('<tr><th scope="row" title="psi">PSI</th><td>0.14</td></tr>')
  })

  it('shows summary cards and verdict counts', () => {
    expect(html).toContain('<div class="k">rows</div><div class="v">2,000</div>')
    expect(html).toContain('<div class="card f"><div class="k">failed</div><div class="v">1</div></div>')
  })
})

describe('writeReport', () => {
  it('writes JSON, JUnit and HTML and leaves no temporary file behind', async () => {
    const out = join(dir, 'ok')
    const written = await writeReport(report, {
      json: join(out, 'r.json'),
      junit: join(out, 'r.xml'),
      html: join(out, 'r.html'),
    })
    expect(written.length).toBe(3)
    expect(JSON.parse(readFileSync(join(out, 'r.json'), 'utf8'))).toEqual(report)
    expect(readFileSync(join(out, 'r.xml'), 'utf8')).toBe(renderJUnit(report))
    expect(readdirSync(out).sort()).toEqual(['r.html', 'r.json', 'r.xml'])
  })

  it('fails with MG_IO_WRITE_FAILED and leaves nothing when the target cannot be written', async () => {
    const out = join(dir, 'blocked')
    mkdirSync(out)
    mkdirSync(join(out, 'r.html')) // a directory where the file should go: rename fails
    writeFileSync(join(out, 'keep.txt'), 'x')
    const error = await writeReport(report, { html: join(out, 'r.html') }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ModelGateError)
    expect((error as ModelGateError).code).toBe('MG_IO_WRITE_FAILED')
    expect(readdirSync(out).sort()).toEqual(['keep.txt', 'r.html'])
    expect(existsSync(join(out, 'r.html', 'index.html'))).toBe(false)
  })
})
