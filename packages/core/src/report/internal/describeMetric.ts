import { formatNumber, formatPercent } from '../../format/formatNumber.js'

/** A metric as a reader sees it: a label in words and a value with its unit. */
export interface MetricDisplay {
  readonly label: string
  readonly value: string
}

/** Abbreviations readers know by their capitals, and short keys spelled out. */
const WORDS: Readonly<Record<string, string>> = {
  auc: 'AUC',
  ci: 'CI',
  cbpe: 'CBPE',
  hl: 'Hodges–Lehmann',
  js: 'JS',
  ks: 'KS',
  mwu: 'Mann–Whitney U',
  n: 'n',
  p: 'p-value',
  pii: 'PII',
  psi: 'PSI',
  pvalue: 'p-value',
  q: 'q-value',
  qvalue: 'q-value',
  slo: 'SLO',
  tost: 'TOST',
  z: 'z',
}

/** Words in a key: `batchNullRate` → batch, null, rate; `ks_q` → ks, q; `p99Ms` → p99, ms. */
function words(key: string): string[] {
  return key
    .replace(/([pq])Value/g, '$1value')
    .split(/[_\s.-]+/)
    .flatMap((part) => part.split(/(?<=[a-z0-9])(?=[A-Z])/))
    .filter((w) => w !== '')
    .map((w) => w.toLowerCase())
}

/**
 * Turns a metric key and its number into a label and a value with units, by the naming the packages follow:
 * `…Ms` milliseconds, `…Rate`/`…Share`/`risk` a share shown in percent, `…Bytes` bytes, `p`/`pValue`/`…_p` and
 * `…_q` p- and q-values (tiny ones shown as "< 0.0001" rather than 4.42e-34). Anything else is a plain number.
 */
export function describeMetric(key: string, value: number): MetricDisplay {
  const parts = words(key)
  const last = parts[parts.length - 1] ?? ''
  let unit: 'ms' | 'percent' | 'bytes' | 'p' | 'plain' = 'plain'
  let labelParts = parts
  if (last === 'ms' && parts.length > 1) {
    unit = 'ms'
    labelParts = parts.slice(0, -1)
  } else if (last === 'bytes') unit = 'bytes'
  else if (last === 'rate' || last === 'share' || key === 'risk') unit = 'percent'
  else if (last === 'p' || last === 'q' || last === 'pvalue' || last === 'qvalue') unit = 'p'
  const label = labelParts.map((w) => WORDS[w] ?? w).join(' ')
  return { label: label === '' ? key : label, value: formatValue(value, unit) }
}

function formatValue(value: number, unit: 'ms' | 'percent' | 'bytes' | 'p' | 'plain'): string {
  if (!Number.isFinite(value)) return Number.isNaN(value) ? 'n/a' : String(value)
  switch (unit) {
    case 'ms':
      return `${formatNumber(value)} ms`
    case 'percent':
      return value >= 0 && value <= 1 ? formatPercent(value) : formatNumber(value)
    case 'bytes':
      return value >= 1024 ** 2 ? `${formatNumber(value / 1024 ** 2)} MiB` : `${formatNumber(value)} B`
    case 'p':
      return value < 1e-4 ? '< 0.0001' : formatNumber(value, { significant: 3 })
    case 'plain':
      return formatNumber(value)
  }
}
