// The self-contained HTML reports, opened in a real browser (Debian's Chromium through playwright-core): the page
// loads with no console error and no request beyond its own file, every chart is an SVG the browser lays out with a
// non-zero size, and the verdicts and nested sections are visible. `.ci/run` installs Chromium; without it this
// test fails (it does not skip), so CI cannot pass without the browser check.
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Report, Table } from '@modelgate/core'
import { createRandom, createReport, renderHtml, tableFromRows } from '@modelgate/core'
import { checkDrift } from '@modelgate/drift'
import type { Browser } from 'playwright-core'
import { chromium } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const CHROMIUM = '/usr/bin/chromium'
/** Full-page screenshots of every report opened, kept for a reader (git-ignored). */
const SCREENSHOTS = path.join(import.meta.dirname, 'screenshots')

/** A feature table: a numeric amount (normal, mean shifted by `shift`), a plan category and a nullable score. */
function features(rows: number, shift: number, seed: string): Table {
  const random = createRandom('browser report test', seed)
  const plans = shift === 0 ? ['basic', 'basic', 'plus', 'pro'] : ['basic', 'plus', 'pro', 'pro']
  return tableFromRows(
    Array.from({ length: rows }, () => ({
      amount: 50 + shift + 10 * random.normal(),
      plan: random.pick(plans),
      score: random.uniform() < (shift === 0 ? 0.01 : 0.3) ? null : random.uniform(),
    })),
  )
}

interface PageFacts {
  readonly title: string
  /** Charts laid out before anything was clicked: those of the checks that did not pass. */
  readonly chartsOpenAtLoad: number
  readonly text: string
  readonly charts: number
  readonly emptyCharts: number
  readonly chartShapes: number
  readonly sections: number
}

let browser: Browser
let dir: string

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (.ci/run does)`)
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] })
  dir = await mkdtemp(path.join(os.tmpdir(), 'mg-browser-'))
  await mkdir(SCREENSHOTS, { recursive: true })
}, 60_000)

afterAll(async () => {
  await browser?.close()
  if (dir) await rm(dir, { recursive: true, force: true })
})

/** Writes the report's HTML, opens it and returns what the browser laid out; fails on any error or outside request. */
async function open(report: Report, name: string): Promise<PageFacts> {
  const file = path.join(dir, `${name}.html`)
  await writeFile(file, renderHtml(report))
  const url = pathToFileURL(file).href
  const page = await browser.newPage()
  const problems: string[] = []
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`)
  })
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`))
  page.on('request', (r) => {
    if (r.url() !== url) problems.push(`request beyond the file: ${r.url()}`)
  })
  await page.goto(url, { waitUntil: 'load' })
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true })
  const chartsOpenAtLoad = await page.locator('figure.chart svg:visible').count()
  // Passing checks' charts sit in collapsed <details> rows: open each as a reader would, by clicking its summary.
  const summaries = page.locator('details:not([open]) > summary')
  while ((await summaries.count()) > 0) await summaries.first().click()
  const svgs = page.locator('figure.chart svg')
  const charts = await svgs.count()
  let emptyCharts = 0
  for (let i = 0; i < charts; i++) {
    const box = await svgs.nth(i).boundingBox()
    if (box === null || box.width <= 10 || box.height <= 10) emptyCharts++
  }
  const facts: PageFacts = {
    title: await page.title(),
    chartsOpenAtLoad,
    // biome-ignore lint/performance/useDomNodeTextContent: the rendered text, as a reader sees it, is what is checked
    text: await page.locator('body').innerText(),
    charts,
    emptyCharts,
    chartShapes: await svgs.locator('rect, path, line, circle, polyline').count(),
    sections: await page.locator('section').count(),
  }
  await page.close()
  expect(problems).toEqual([])
  return facts
}

describe('HTML reports in a real browser', () => {
  it('a drift report: loads cleanly, every histogram is laid out, the failing columns are named', async () => {
    const report = checkDrift(features(3000, 0, 'reference'), features(3000, 8, 'current'))
    expect(report.verdict).toBe('fail')
    const page = await open(report, 'drift')
    expect(page.title).toBe(report.title)
    expect(page.charts).toBeGreaterThanOrEqual(2)
    expect(page.emptyCharts).toBe(0)
    expect(page.chartShapes).toBeGreaterThan(page.charts * 3)
    expect(page.text).toMatch(/amount/)
    expect(page.text).toMatch(/plan/)
    expect(page.text.toLowerCase()).toMatch(/fail/)
    // A failing column opens with its reference-vs-current chart, no click needed.
    expect(page.chartsOpenAtLoad).toBeGreaterThanOrEqual(1)
    // Metrics read as a labelled table, never as raw key=value lines.
    expect(page.text).not.toMatch(/\w+=\d/)
    expect((await stat(path.join(SCREENSHOTS, 'drift.png'))).size).toBeGreaterThan(10_000)
  }, 120_000)

  it('a nested report (as the gate writes): each sub-report is a section, verdicts first, charts laid out', async () => {
    const drifted = checkDrift(features(2000, 0, 'a'), features(2000, 8, 'b'))
    const steady = checkDrift(features(2000, 0, 'c'), features(2000, 0, 'd'))
    const latency = createReport({
      kind: 'load',
      title: 'Latency',
      summary: { p99: '12.4 ms' },
      checks: [
        { id: 'load.slo.p99', name: 'p99<100ms', group: 'SLOs', verdict: 'pass', message: 'p99 12.4 ms < 100 ms' },
      ],
      charts: [
        {
          kind: 'line',
          title: 'latency over time',
          x: [1, 2, 3, 4],
          xLabel: 's',
          series: [{ name: 'p99', values: [11, 12, 14, 12] }],
        },
        {
          kind: 'heatmap',
          title: 'a heat map',
          rows: ['a', 'b'],
          columns: ['x', 'y'],
          values: [
            [0.1, 0.9],
            [0.5, 0.2],
          ],
          min: 0,
          max: 1,
        },
      ],
    })
    const gate = createReport({ kind: 'gate', title: 'Release gate', checks: [], reports: [steady, drifted, latency] })
    expect(gate.verdict).toBe('fail')
    const page = await open(gate, 'gate')
    expect(page.sections).toBeGreaterThanOrEqual(3)
    expect(page.emptyCharts).toBe(0)
    expect(page.charts).toBeGreaterThanOrEqual(4)
    const failAt = page.text.toLowerCase().indexOf('fail')
    const latencyAt = page.text.indexOf('Latency')
    expect(failAt).toBeGreaterThanOrEqual(0)
    expect(latencyAt).toBeGreaterThan(failAt)
  }, 120_000)

  it('a synthetic-data report: the Pair Trends heat map shows a perfect score in green, a skew scatter is laid out', async () => {
    const report = createReport({
      kind: 'synth.evaluate',
      title: 'Synthetic quality',
      checks: [
        {
          id: 'skew.feature.amount',
          name: 'amount',
          group: 'features',
          verdict: 'fail',
          message: 'amount: 12% of rows differ beyond tolerance',
          metrics: { agreementRate: 0.88, ks_q: 1, tost_q: 4.42e-34, maxAbsDifference: 3.5 },
          charts: [
            {
              kind: 'scatter',
              title: 'amount: online vs batch per row',
              x: [1, 2, 3, 4, 5, 6],
              y: [1, 2, 3.5, 4, 5, 9],
              xLabel: 'batch',
              yLabel: 'online',
              diagonal: true,
            },
          ],
        },
      ],
      charts: [
        {
          kind: 'heatmap',
          title: 'Column Pair Trends score',
          rows: ['a', 'b'],
          columns: ['a', 'b'],
          values: [
            [1, 0.2],
            [0.2, 1],
          ],
          min: 0,
          max: 1,
          scale: 'higherIsBetter',
        },
      ],
    })
    const page = await open(report, 'synth')
    expect(page.emptyCharts).toBe(0)
    expect(page.chartsOpenAtLoad).toBe(2)
    expect(page.text).toMatch(/TOST q-value\s+< 0\.0001/)
    expect(page.text).toMatch(/agreement rate\s+88\.0%/)
    // The browser's computed fill of the perfect cell is green-dominant, of the poor one red-dominant.
    const browserPage = await browser.newPage()
    await browserPage.goto(pathToFileURL(path.join(dir, 'synth.html')).href)
    // (A string expression: this package's TypeScript has no DOM library.)
    const fills = (await browserPage.evaluate(
      "[...document.querySelectorAll('svg rect title')].map((t) => [t.textContent, getComputedStyle(t.parentElement).fill])",
    )) as [string, string][]
    await browserPage.close()
    const colourOf = (cell: string): number[] =>
      (fills.find(([t]) => t === cell)?.[1] ?? '').match(/\d+/g)?.map(Number) ?? []
    const [r1, g1] = colourOf('a × a: 1')
    const [r0, g0] = colourOf('a × b: 0.2')
    expect(g1).toBeGreaterThan(r1 as number)
    expect(r0).toBeGreaterThan(g0 as number)
  }, 120_000)
})
