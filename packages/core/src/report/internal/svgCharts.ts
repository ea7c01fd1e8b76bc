import { formatNumber } from '../../format/formatNumber.js'
import type { Chart, HeatmapChart, HistogramChart, LineChart, ScatterChart } from '../Report.js'
import { escapeXml as esc } from './escape.js'

/** Series colours (colour-blind safe, Okabe–Ito). */
const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000']

/** Inline SVG for one chart (no external references, no xmlns URL: HTML5 parses inline SVG without it). */
export function renderChartSvg(chart: Chart): string {
  switch (chart.kind) {
    case 'bars':
      return barsSvg(chart)
    case 'heatmap':
      return heatmapSvg(chart)
    case 'line':
      return lineSvg(chart)
    case 'scatter':
      return scatterSvg(chart)
  }
}

const finite = (v: number): boolean => Number.isFinite(v)
const fmt = (v: number): string => (Number.isFinite(v) ? formatNumber(v) : '')
const num = (v: number): string => (Math.round(v * 10) / 10).toString()

function legend(series: readonly { readonly name: string }[], x: number, y: number): string {
  if (series.length < 2) return ''
  return series
    .map((s, i) => {
      const lx = x + i * 140
      return `<rect x="${num(lx)}" y="${num(y - 9)}" width="10" height="10" fill="${PALETTE[i % PALETTE.length]}"/><text x="${num(lx + 14)}" y="${num(y)}" class="lg">${esc(truncate(s.name, 18))}</text>`
    })
    .join('')
}

function barsSvg(chart: HistogramChart): string {
  const labels = chart.labels
  const series = chart.series
  const rotate = labels.length > 8 || labels.some((l) => l.length > 10)
  const width = Math.max(360, Math.min(960, 60 + labels.length * Math.max(18, series.length * 12)))
  const longest = Math.min(14, Math.max(1, ...labels.map((l) => [...l].length)))
  const bottom = rotate ? 26 + Math.ceil(longest * 4.8) : 36
  const height = 200 + bottom
  const top = series.length > 1 ? 28 : 14
  const left = 52
  const plotW = width - left - 12
  const plotH = height - top - bottom
  const max = Math.max(0, ...series.flatMap((s) => s.values.filter(finite)))
  const scale = max === 0 ? 0 : plotH / max
  const band = labels.length === 0 ? plotW : plotW / labels.length
  const barW = Math.max(1, (band * 0.8) / Math.max(1, series.length))
  const parts: string[] = [axes(left, top, plotW, plotH, 0, max)]
  labels.forEach((label, i) => {
    series.forEach((s, j) => {
      const v = s.values[i]
      if (v === undefined || !finite(v)) return
      const h = v * scale
      const x = left + i * band + band * 0.1 + j * barW
      parts.push(
        `<rect x="${num(x)}" y="${num(top + plotH - h)}" width="${num(barW)}" height="${num(h)}" fill="${PALETTE[j % PALETTE.length]}"><title>${esc(`${s.name} · ${label}: ${fmt(v)}`)}</title></rect>`,
      )
    })
    const cx = left + i * band + band / 2
    const ly = top + plotH + 14
    parts.push(
      rotate
        ? `<text x="${num(cx)}" y="${num(ly)}" class="tk" text-anchor="end" transform="rotate(-45 ${num(cx)} ${num(ly)})">${esc(truncate(label, 14))}</text>`
        : `<text x="${num(cx)}" y="${num(ly)}" class="tk" text-anchor="middle">${esc(truncate(label, 12))}</text>`,
    )
  })
  parts.push(legend(series, left, 14))
  const names = series.map((x) => x.name).join(' vs ')
  return svg(width, height, chart.title, parts, `bar chart of ${names || 'values'} over ${labels.length} bins`)
}

function heatmapSvg(chart: HeatmapChart): string {
  const rows = chart.rows
  const cols = chart.columns
  const all = chart.values.flatMap((r) => r.filter(finite))
  const min = chart.min ?? Math.min(0, ...all)
  const max = chart.max ?? Math.max(1, ...all)
  const cell = Math.max(14, Math.min(48, Math.floor(560 / Math.max(1, cols.length, rows.length))))
  const labelW = Math.min(160, 12 + 6.5 * Math.max(4, ...rows.map((r) => Math.min(r.length, 22))))
  const labelH = Math.min(140, 12 + 5.5 * Math.max(4, ...cols.map((c) => Math.min(c.length, 22))))
  const width = labelW + cols.length * cell + 70
  const height = labelH + rows.length * cell + 10
  const showValues = cell >= 30
  const scale = chart.scale ?? 'diverging'
  const parts: string[] = []
  rows.forEach((rowName, i) => {
    const y = labelH + i * cell
    parts.push(
      `<text x="${num(labelW - 6)}" y="${num(y + cell / 2 + 4)}" class="tk" text-anchor="end">${esc(truncate(rowName, 22))}</text>`,
    )
    cols.forEach((colName, j) => {
      const v = chart.values[i]?.[j]
      const x = labelW + j * cell
      const fill = v === undefined || !finite(v) ? '#eeeeee' : colour(v, min, max, scale)
      const title = `${rowName} × ${colName}: ${v === undefined ? 'n/a' : fmt(v)}`
      parts.push(
        `<rect x="${num(x)}" y="${num(y)}" width="${cell}" height="${cell}" fill="${fill}" stroke="#ffffff"><title>${esc(title)}</title></rect>`,
      )
      if (showValues && v !== undefined && finite(v)) {
        // Dark cells get light text (WCAG contrast), light cells dark text.
        const ink = lightness(fill) < 0.4 ? '#ffffff' : '#1f2328'
        parts.push(
          `<text x="${num(x + cell / 2)}" y="${num(y + cell / 2 + 4)}" class="cv" text-anchor="middle" style="fill:${ink}">${esc(v.toFixed(2))}</text>`,
        )
      }
    })
  })
  cols.forEach((colName, j) => {
    const x = labelW + j * cell + cell / 2
    parts.push(
      `<text x="${num(x)}" y="${num(labelH - 6)}" class="tk" text-anchor="start" transform="rotate(-45 ${num(x)} ${num(labelH - 6)})">${esc(truncate(colName, 22))}</text>`,
    )
  })
  // Colour scale.
  const sx = labelW + cols.length * cell + 16
  const steps = 10
  for (let s = 0; s < steps; s++) {
    const v = max - ((max - min) * s) / (steps - 1)
    parts.push(
      `<rect x="${num(sx)}" y="${num(labelH + s * 12)}" width="12" height="12" fill="${colour(v, min, max, scale)}"/>`,
    )
  }
  const [top, bottom] =
    scale === 'higherIsBetter' ? [' good', ' bad'] : scale === 'lowerIsBetter' ? [' bad', ' good'] : ['', '']
  parts.push(`<text x="${num(sx + 16)}" y="${num(labelH + 10)}" class="tk">${esc(fmt(max) + top)}</text>`)
  parts.push(`<text x="${num(sx + 16)}" y="${num(labelH + steps * 12)}" class="tk">${esc(fmt(min) + bottom)}</text>`)
  const cells = rows.length * cols.length
  const worst = extremeCell(chart, scale)
  const description = `${rows.length} × ${cols.length} heat map from ${fmt(min)} to ${fmt(max)}${worst === '' ? '' : `; ${worst}`}`
  return svg(
    width + 30,
    Math.max(height, labelH + steps * 12 + 10),
    chart.title,
    parts,
    cells > 0 ? description : 'empty heat map',
  )
}

/** The cell a reader should look at first: the lowest score, the highest distance, the largest magnitude. */
function extremeCell(chart: HeatmapChart, scale: NonNullable<HeatmapChart['scale']>): string {
  const rank = (v: number): number => (scale === 'higherIsBetter' ? -v : scale === 'lowerIsBetter' ? v : Math.abs(v))
  let best = Number.NaN
  let at = ''
  for (let i = 0; i < chart.values.length; i++) {
    const row = chart.values[i] ?? []
    for (let j = 0; j < row.length; j++) {
      const v = row[j] as number
      if (finite(v) && (Number.isNaN(best) || rank(v) > rank(best))) {
        best = v
        at = `${chart.rows[i] ?? ''} × ${chart.columns[j] ?? ''}`
      }
    }
  }
  if (Number.isNaN(best)) return ''
  const what = scale === 'higherIsBetter' ? 'lowest' : scale === 'lowerIsBetter' ? 'highest' : 'largest in magnitude'
  return `${what}: ${at} = ${fmt(best)}`
}

/**
 * Cell colours. Scores and distances read as a traffic light (ColorBrewer RdYlGn: red bad, yellow middling, green
 * good), oriented by the chart's `scale`; signed values get ColorBrewer's PuOr (purple below, white at the middle,
 * orange above), which says "direction", not "alarm". Both stay distinguishable for the common colour-vision
 * deficiencies through their lightness ramp (colorbrewer2.org).
 */
const TRAFFIC: readonly (readonly [number, number, number])[] = [
  [215, 48, 39],
  [252, 141, 89],
  [254, 224, 139],
  [145, 207, 96],
  [26, 152, 80],
]
const PUOR: readonly (readonly [number, number, number])[] = [
  [94, 60, 153],
  [178, 171, 210],
  [247, 247, 247],
  [253, 184, 99],
  [230, 97, 1],
]

/** Relative luminance (WCAG 2) of an `rgb(r,g,b)` colour. */
function lightness(rgb: string): number {
  const [r, g, b] = (rgb.match(/\d+/g) ?? ['238', '238', '238']).map((c) => {
    const u = Number(c) / 255
    return u <= 0.03928 ? u / 12.92 : ((u + 0.055) / 1.055) ** 2.4
  })
  return 0.2126 * (r as number) + 0.7152 * (g as number) + 0.0722 * (b as number)
}

function colour(v: number, min: number, max: number, scale: NonNullable<HeatmapChart['scale']>): string {
  const t0 = max === min ? 0.5 : Math.min(1, Math.max(0, (v - min) / (max - min)))
  const t = scale === 'lowerIsBetter' ? 1 - t0 : t0
  const stops = scale === 'diverging' ? PUOR : TRAFFIC
  const at = t * (stops.length - 1)
  const i = Math.min(stops.length - 2, Math.floor(at))
  const u = at - i
  const a = stops[i] as readonly [number, number, number]
  const b = stops[i + 1] as readonly [number, number, number]
  const mix = (k: 0 | 1 | 2): number => Math.round(a[k] + (b[k] - a[k]) * u)
  return `rgb(${mix(0)},${mix(1)},${mix(2)})`
}

function lineSvg(chart: LineChart): string {
  const width = 640
  const height = 260
  const left = 52
  const top = chart.series.length > 1 ? 28 : 14
  const bottom = 40
  const plotW = width - left - 28
  const plotH = height - top - bottom
  const xs = chart.x.filter(finite)
  const ys = chart.series.flatMap((s) => s.values.filter(finite))
  const xMin = Math.min(...xs)
  const xMax = Math.max(...xs)
  const yMin = Math.min(0, ...ys)
  const yMax = Math.max(...ys, yMin + 1e-12)
  const px = (x: number): number => left + (xMax === xMin ? plotW / 2 : ((x - xMin) / (xMax - xMin)) * plotW)
  const py = (y: number): number => top + plotH - ((y - yMin) / (yMax - yMin)) * plotH
  const parts: string[] = [axes(left, top, plotW, plotH, yMin, yMax)]
  chart.series.forEach((s, j) => {
    const points: string[] = []
    chart.x.forEach((x, i) => {
      const y = s.values[i]
      if (y !== undefined && finite(y) && finite(x)) points.push(`${num(px(x))},${num(py(y))}`)
    })
    parts.push(
      `<polyline points="${points.join(' ')}" fill="none" stroke="${PALETTE[j % PALETTE.length]}" stroke-width="2"><title>${esc(s.name)}</title></polyline>`,
    )
  })
  if (xs.length > 0) {
    parts.push(`<text x="${left}" y="${top + plotH + 16}" class="tk" text-anchor="start">${esc(fmt(xMin))}</text>`)
    parts.push(
      `<text x="${left + plotW}" y="${top + plotH + 16}" class="tk" text-anchor="end">${esc(fmt(xMax))}</text>`,
    )
  }
  if (chart.xLabel !== undefined)
    parts.push(
      `<text x="${num(left + plotW / 2)}" y="${height - 6}" class="tk" text-anchor="middle">${esc(chart.xLabel)}</text>`,
    )
  parts.push(legend(chart.series, left, 14))
  const last = chart.series.map((x) => `${x.name} ends at ${fmt(x.values[x.values.length - 1] ?? Number.NaN)}`)
  return svg(
    width,
    height,
    chart.title,
    parts,
    `line chart over ${xs.length} points${last.length > 0 ? `; ${last.join(', ')}` : ''}`,
  )
}

/** At most this many points are drawn; a larger chart is thinned evenly (the count drawn is said in the text). */
const MAX_POINTS = 2000

function scatterSvg(chart: ScatterChart): string {
  const width = 420
  const height = 400
  const left = 56
  const top = 14
  const bottom = 44
  const plotW = width - left - 16
  const plotH = height - top - bottom
  const n = Math.min(chart.x.length, chart.y.length)
  const step = Math.max(1, Math.ceil(n / MAX_POINTS))
  const xs: number[] = []
  const ys: number[] = []
  for (let i = 0; i < n; i += step) {
    const x = chart.x[i] as number
    const y = chart.y[i] as number
    if (finite(x) && finite(y)) {
      xs.push(x)
      ys.push(y)
    }
  }
  const all = chart.diagonal === true ? [...xs, ...ys] : []
  const xMin = Math.min(...(all.length > 0 ? all : xs))
  const xMax = Math.max(...(all.length > 0 ? all : xs))
  const yMin = chart.diagonal === true ? xMin : Math.min(...ys)
  const yMax = chart.diagonal === true ? xMax : Math.max(...ys)
  const spanX = xMax - xMin || 1
  const spanY = yMax - yMin || 1
  const px = (x: number): number => left + ((x - xMin) / spanX) * plotW
  const py = (y: number): number => top + plotH - ((y - yMin) / spanY) * plotH
  const parts: string[] = []
  if (xs.length > 0) {
    parts.push(axes(left, top, plotW, plotH, yMin, yMax))
    if (chart.diagonal === true)
      parts.push(
        `<line x1="${num(px(xMin))}" y1="${num(py(xMin))}" x2="${num(px(xMax))}" y2="${num(py(xMax))}" stroke="#6b7280" stroke-dasharray="4 3"><title>y = x (agreement)</title></line>`,
      )
    const dots = xs.map((x, i) => `<circle cx="${num(px(x))}" cy="${num(py(ys[i] as number))}" r="3"/>`)
    parts.push(`<g fill="${PALETTE[0]}" fill-opacity="0.7">${dots.join('')}</g>`)
    parts.push(`<text x="${left}" y="${top + plotH + 16}" class="tk" text-anchor="start">${esc(fmt(xMin))}</text>`)
    parts.push(
      `<text x="${left + plotW}" y="${top + plotH + 16}" class="tk" text-anchor="end">${esc(fmt(xMax))}</text>`,
    )
  }
  parts.push(
    `<text x="${num(left + plotW / 2)}" y="${height - 8}" class="tk" text-anchor="middle">${esc(chart.xLabel)}</text>`,
    `<text x="12" y="${num(top + plotH / 2)}" class="tk" text-anchor="middle" transform="rotate(-90 12 ${num(top + plotH / 2)})">${esc(chart.yLabel)}</text>`,
  )
  const off = chart.diagonal === true ? xs.filter((x, i) => x !== ys[i]).length : 0
  const description =
    xs.length === 0
      ? 'no points'
      : `${xs.length} points${step > 1 ? ` (every ${step}th of ${n})` : ''} of ${chart.yLabel} against ${chart.xLabel}${chart.diagonal === true ? `; ${off} off the y = x line` : ''}`
  return svg(width, height, chart.title, parts, description)
}

function axes(left: number, top: number, plotW: number, plotH: number, min: number, max: number): string {
  const ticks = [min, (min + max) / 2, max]
  return [
    `<line x1="${left}" y1="${num(top + plotH)}" x2="${num(left + plotW)}" y2="${num(top + plotH)}" class="ax"/>`,
    `<line x1="${left}" y1="${top}" x2="${left}" y2="${num(top + plotH)}" class="ax"/>`,
    ...ticks.map((t) => {
      const y = max === min ? top + plotH : top + plotH - ((t - min) / (max - min)) * plotH
      return `<text x="${left - 4}" y="${num(y + 4)}" class="tk" text-anchor="end">${esc(fmt(t))}</text><line x1="${left}" y1="${num(y)}" x2="${num(left + plotW)}" y2="${num(y)}" class="gr"/>`
    }),
  ].join('')
}

/** A figure with its caption; the SVG carries a text alternative (title and a one-line description of the data). */
function svg(width: number, height: number, title: string, parts: readonly string[], description: string): string {
  const alt = `${title}: ${description}`
  return `<figure class="chart"><figcaption>${esc(title)}</figcaption><svg viewBox="0 0 ${num(width)} ${num(height)}" width="${num(width)}" height="${num(height)}" role="img" aria-label="${esc(alt)}"><desc>${esc(description)}</desc>${parts.join('')}</svg></figure>`
}

function truncate(text: string, n: number): string {
  const chars = [...text]
  return chars.length <= n ? text : `${chars.slice(0, n - 1).join('')}…`
}
