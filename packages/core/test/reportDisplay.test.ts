// How report figures read: metric labels and units, and heat-map colours that say good and bad as a reader expects.
import type { Report } from '@modelgate/core'
import { createReport, renderHtml } from '@modelgate/core'
import { describe, expect, it } from 'vitest'
import { describeMetric } from '../src/report/internal/describeMetric.js'

describe('describeMetric', () => {
  it.each([
    ['nullRate', 0.38, 'null rate', '38.0%'],
    ['batchNullRate', 0.0004, 'batch null rate', '<0.1%'],
    ['ks_q', 1, 'KS q-value', '1'],
    ['tost_q', 4.42e-34, 'TOST q-value', '< 0.0001'],
    ['pValue', 0.0312345, 'p-value', '0.0312'],
    ['psi', 0.14, 'PSI', '0.14'],
    ['worstLatenessMs', 12.5, 'worst lateness', '12.5 ms'],
    ['p99Ms', 1834.2, 'p99', '1,834 ms'],
    ['n', 2000, 'n', '2,000'],
    ['auc', 0.73, 'AUC', '0.73'],
    ['heapBytes', 5 * 1024 ** 2, 'heap bytes', '5 MiB'],
    ['statistic', Number.NaN, 'statistic', 'n/a'],
    ['outOfRangeShare', 0.125, 'out of range share', '12.5%'],
  ])('%s = %s reads "%s: %s"', (key, value, label, shown) => {
    expect(describeMetric(key, value)).toEqual({ label, value: shown })
  })

  it('leaves a rate outside [0, 1] (events per second) as a number', () => {
    expect(describeMetric('rate', 950).value).toBe('950')
  })
})

/** The fill of the heat-map cell whose tooltip starts with `cell`. */
function fill(html: string, cell: string): [number, number, number] {
  const m = new RegExp(`fill="rgb\\((\\d+),(\\d+),(\\d+)\\)" stroke="#ffffff"><title>${cell}`).exec(html)
  if (m === null) throw new Error(`no cell ${cell}`)
  return [Number(m[1]), Number(m[2]), Number(m[3])]
}

function heatmapReport(scale: 'higherIsBetter' | 'lowerIsBetter' | undefined): Report {
  return createReport({
    kind: 'test',
    title: 'heat map',
    checks: [],
    charts: [
      {
        kind: 'heatmap',
        title: 'scores',
        rows: ['a'],
        columns: ['hi', 'lo'],
        values: [[1, 0]],
        min: 0,
        max: 1,
        ...(scale === undefined ? {} : { scale }),
      },
    ],
  })
}

describe('heat-map colours', () => {
  it('a perfect score is green and the worst red when higher is better', () => {
    const html = renderHtml(heatmapReport('higherIsBetter'))
    const [r1, g1] = fill(html, 'a × hi')
    const [r0, g0] = fill(html, 'a × lo')
    expect(g1).toBeGreaterThan(r1)
    expect(r0).toBeGreaterThan(g0)
    expect(html).toContain('1 good</text>')
    expect(html).toContain('0 bad</text>')
  })

  it('reverses for distances (lower is better)', () => {
    const html = renderHtml(heatmapReport('lowerIsBetter'))
    const [r1, g1] = fill(html, 'a × hi')
    expect(r1).toBeGreaterThan(g1)
  })

  it('signed values get neutral hues with no good or bad (no red, no green)', () => {
    const html = renderHtml(heatmapReport(undefined))
    for (const cell of ['a × hi', 'a × lo']) {
      const [r, g, b] = fill(html, cell)
      // PuOr: purple (blue > green) at one end, orange (red > green > blue) at the other; never a green-dominant fill.
      expect(g).toBeLessThan(Math.max(r, b))
    }
    expect(html).not.toContain(' good</text>')
  })
})

describe('scatter chart', () => {
  it('draws one dot per pair, the y = x line, and says how many points sit off it', () => {
    const html = renderHtml(
      createReport({
        kind: 'test',
        title: 'scatter',
        checks: [],
        charts: [
          {
            kind: 'scatter',
            title: 'f',
            x: [1, 2, 3, 4],
            y: [1, 2, 3.5, 4],
            xLabel: 'batch',
            yLabel: 'online',
            diagonal: true,
          },
        ],
      }),
    )
    expect(html.match(/<circle /g)?.length).toBe(4)
    expect(html).toContain('<title>y = x (agreement)</title>')
    expect(html).toContain('<desc>4 points of online against batch; 1 off the y = x line</desc>')
  })
})
