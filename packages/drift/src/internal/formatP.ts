import { formatNumber } from '@modelgate/core'

/** A p-value for a message: 3 significant digits, exponential below 1e-4. */
export function formatP(p: number): string {
  return p < 1e-4 ? p.toExponential(1) : formatNumber(p, { significant: 3 })
}
