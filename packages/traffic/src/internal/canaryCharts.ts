import type { HistogramChart } from '@modelgate/core'
import { formatNumber } from '@modelgate/core'

/** Histogram of candidate − primary on symmetric bins around 0 (the middle bin holds the exact zeros' neighbourhood). */
export function deltaHistogram(field: string, differences: Float64Array, tolerance: number, bins = 21): HistogramChart {
  let extent = tolerance * 2
  for (const d of differences) if (Math.abs(d) > extent) extent = Math.abs(d)
  const width = (2 * extent) / bins
  const counts = new Array<number>(bins).fill(0)
  for (const d of differences) {
    const i = Math.min(bins - 1, Math.max(0, Math.floor((d + extent) / width)))
    counts[i] = (counts[i] as number) + 1
  }
  const labels = counts.map((_, i) => formatNumber(-extent + (i + 0.5) * width, { significant: 2 }))
  return {
    kind: 'bars',
    title: `Δ${field} (candidate − primary), ${differences.length.toLocaleString('en-US')} pairs`,
    labels,
    series: [{ name: 'pairs', values: counts }],
  }
}

/** Latency distributions of both on shared log-spaced bins. */
export function latencyHistogram(primary: Float64Array, candidate: Float64Array, bins = 20): HistogramChart {
  let lo = Number.POSITIVE_INFINITY
  let hi = 0
  for (const xs of [primary, candidate])
    for (const x of xs) {
      if (x > 0 && x < lo) lo = x
      if (x > hi) hi = x
    }
  if (!Number.isFinite(lo) || hi <= lo) {
    lo = Math.max(hi, 1e-3) / 2
    hi = lo * 4
  }
  const a = Math.log(lo)
  const step = (Math.log(hi) - a) / bins
  const count = (xs: Float64Array): number[] => {
    const counts = new Array<number>(bins).fill(0)
    for (const x of xs) {
      const i = x <= 0 ? 0 : Math.min(bins - 1, Math.max(0, Math.floor((Math.log(x) - a) / step)))
      counts[i] = (counts[i] as number) + 1
    }
    return counts
  }
  return {
    kind: 'bars',
    title: 'Latency (ms), primary vs candidate',
    labels: Array.from({ length: bins }, (_, i) => formatNumber(Math.exp(a + (i + 0.5) * step), { significant: 2 })),
    series: [
      { name: 'primary', values: count(primary) },
      { name: 'candidate', values: count(candidate) },
    ],
  }
}
