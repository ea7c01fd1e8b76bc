/**
 * A number for people: compact by default (38.6, 1,077.6, 189,778, 1.48M, 0.0123); with `significant`, rounded to that
 * many significant digits and printed plainly (0.123457, 1234.57), for thresholds and bounds quoted in a message.
 */
export function formatNumber(value: number, options: { readonly significant?: number } = {}): string {
  if (!Number.isFinite(value)) return String(value)
  if (options.significant !== undefined) return String(Number(value.toPrecision(options.significant)))
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

/** A share in [0, 1] as a percentage with `digits` decimals (12.3%); a share below 0.1% with one decimal is "<0.1%". */
export function formatPercent(share: number, digits = 1): string {
  if (share > 0 && share < 0.001 && digits <= 1) return '<0.1%'
  return `${(share * 100).toFixed(digits)}%`
}

/** A count with thousands separators: 1,204. */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US')
}

function trimZeros(text: string): string {
  return text.includes('.') && !text.includes('e') ? text.replace(/\.?0+$/, '') : text
}
