// The self-contained HTML reports, opened in a real browser (Debian's Chromium through playwright-core): the page
// loads with no console error and no request beyond its own file, every chart is an SVG the browser lays out with a
// non-zero size, and the verdicts and nested sections are visible. `.ci/run` installs Chromium; without it this
// test fails (it does not skip), so CI cannot pass without the browser check.
import { existsSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
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
  // Charts sit in collapsed <details> rows: open each as a reader would, by clicking its summary.
  const summaries = page.locator('details > summary')
  const collapsed = await summaries.count()
  for (let i = 0; i < collapsed; i++) await summaries.nth(i).click()
  const svgs = page.locator('figure.chart svg')
  const charts = await svgs.count()
  let emptyCharts = 0
  for (let i = 0; i < charts; i++) {
    const box = await svgs.nth(i).boundingBox()
    if (box === null || box.width <= 10 || box.height <= 10) emptyCharts++
  }
  const facts: PageFacts = {
    title: await page.title(),
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
})
