/** Visible width of text (ANSI colour codes do not count). */
function visibleWidth(text: string): number {
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
  readonly magenta: (s: string) => string
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
    magenta: wrap(35, 39),
  }
}
