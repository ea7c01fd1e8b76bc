export interface FormatNumberOptions {
  /** Round to this many significant digits, printed plainly (0.123457, 1234.57): thresholds and bounds in a message. */
  readonly significant?: number
  /** Exactly this many decimals (0.900, 12.50): a score quoted beside its threshold. */
  readonly decimals?: number
}

/**
 * A number for people: compact by default (38.6, 1,077.6, 189,778, 1.48M, 0.0123); with `significant`, rounded to that
 * many significant digits and printed plainly (0.123457, 1234.57), for thresholds and bounds quoted in a message; with
 * `decimals`, that many decimals.
 */
export function formatNumber(value: number, options: FormatNumberOptions = {}): string {
  if (!Number.isFinite(value)) return String(value)
  if (options.decimals !== undefined) return value.toFixed(options.decimals)
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

/**
 * A test statistic, p-value or distance in a message: 4 significant digits (0.1235, 12.35, 1235), in scientific
 * notation below 0.0001 and from a million (1.235e-7, 4.5e+6) so that a tiny p-value keeps its digits.
 */
export function formatStatistic(value: number): string {
  if (!Number.isFinite(value)) return String(value)
  if (value === 0) return '0'
  const abs = Math.abs(value)
  if (abs >= 1e-4 && abs < 1e6) return String(Number(value.toPrecision(4)))
  const [mantissa, exponent] = value.toExponential(3).split('e') as [string, string]
  return `${trimZeros(mantissa)}e${exponent}`
}

export interface FormatPercentOptions {
  /** Decimals (default 1). */
  readonly digits?: number
  /**
   * Decimals for a nonzero share below 0.1%, so that a small rate still shows (0.012%); without it such a share with
   * at most one decimal is "<0.1%".
   */
  readonly smallDigits?: number
  /** Instead of decimals: this many significant digits (0.0123%, 4.56%, 12.3%, 100%). */
  readonly significant?: number
}

/**
 * A share in [0, 1] as a percentage with `digits` decimals (12.3%); a share below 0.1% with one decimal is "<0.1%".
 * Options: `smallDigits` for shares below 0.1%, or `significant` digits instead of decimals.
 */
export function formatPercent(share: number, digits: number | FormatPercentOptions = 1): string {
  const options = typeof digits === 'number' ? { digits } : digits
  if (options.significant !== undefined) return `${Number((share * 100).toPrecision(options.significant))}%`
  const decimals = options.digits ?? 1
  if (share > 0 && share < 0.001) {
    if (options.smallDigits !== undefined) return `${(share * 100).toFixed(options.smallDigits)}%`
    if (decimals <= 1) return '<0.1%'
  }
  return `${(share * 100).toFixed(decimals)}%`
}

/** A count with thousands separators: 1,204. */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US')
}

/** A file size with one decimal: 812.4 KB below a mebibyte, 3.1 MB from there (units of 1,024). */
export function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${(bytes / 1024).toFixed(1)} KB`
}

function trimZeros(text: string): string {
  return text.includes('.') && !text.includes('e') ? text.replace(/\.?0+$/, '') : text
}
