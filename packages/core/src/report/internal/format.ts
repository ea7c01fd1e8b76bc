/** Compact human number: 38.6, 1,077.6, 189,778, 1.48M, 0.0123. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value)
  const abs = Math.abs(value)
  if (abs >= 1e6) {
    const units: [number, string][] = [
      [1e12, 'T'],
      [1e9, 'G'],
      [1e6, 'M'],
    ]
    for (const [scale, unit] of units) if (abs >= scale) return `${trimZeros((value / scale).toFixed(2))}${unit}`
  }
  if (Number.isInteger(value) || abs >= 1000) return Math.round(value).toLocaleString('en-US')
  if (abs >= 100) return value.toLocaleString('en-US', { maximumFractionDigits: 1 })
  if (abs >= 1) return trimZeros(value.toFixed(2))
  if (abs === 0) return '0'
  return trimZeros(value.toPrecision(3))
}

function trimZeros(text: string): string {
  return text.includes('.') && !text.includes('e') ? text.replace(/\.?0+$/, '') : text
}

export function formatPercent(share: number, digits = 1): string {
  if (share > 0 && share < 0.001 && digits <= 1) return '<0.1%'
  return `${(share * 100).toFixed(digits)}%`
}

/** Visible width of text (ANSI colour codes do not count). */
export function visibleWidth(text: string): number {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escape sequences
  return [...text.replace(/\u001b\[[0-9;]*m/g, '')].length
}

export function padEnd(text: string, width: number): string {
  const w = visibleWidth(text)
  return w >= width ? text : text + ' '.repeat(width - w)
}

export function padStart(text: string, width: number): string {
  const w = visibleWidth(text)
  return w >= width ? text : ' '.repeat(width - w) + text
}

export function truncate(text: string, width: number): string {
  const chars = [...text]
  return chars.length <= width ? text : `${chars.slice(0, Math.max(0, width - 1)).join('')}…`
}

const SPARK = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█']

/** A one-line bar chart of counts; empty bins are blank. */
export function sparkline(counts: readonly number[]): string {
  const max = Math.max(0, ...counts)
  if (max === 0) return ''
  return counts
    .map((c) => (c === 0 ? ' ' : SPARK[Math.min(SPARK.length - 1, Math.floor((c / max) * (SPARK.length - 1) + 0.5))]))
    .join('')
}

export interface Paint {
  readonly red: (s: string) => string
  readonly green: (s: string) => string
  readonly yellow: (s: string) => string
  readonly dim: (s: string) => string
  readonly bold: (s: string) => string
  readonly cyan: (s: string) => string
}

export function createPaint(color: boolean): Paint {
  const wrap =
    (open: number, close: number) =>
    (s: string): string =>
      color ? `\u001b[${open}m${s}\u001b[${close}m` : s
  return {
    red: wrap(31, 39),
    green: wrap(32, 39),
    yellow: wrap(33, 39),
    dim: wrap(2, 22),
    bold: wrap(1, 22),
    cyan: wrap(36, 39),
  }
}
