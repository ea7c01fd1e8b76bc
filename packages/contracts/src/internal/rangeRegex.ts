/**
 * Regular expressions that accept the JSON text of a number inside integer bounds. Pact has no range
 * matcher, but the Pact core applies a regex matcher to the JSON text of a number, so `number` + this
 * regex makes the provider verification fail on `score: 1.5` when the schema says `[0, 1]`.
 */

/** Alternatives matching exactly the decimal integers lo..hi (non-negative, no leading zeros). */
export function integerRangeAlternatives(lo: number, hi: number): string[] {
  if (lo > hi) return []
  const sLo = String(lo)
  const sHi = String(hi)
  if (sLo.length < sHi.length) {
    const top = 10 ** sLo.length - 1
    return [...integerRangeAlternatives(lo, top), ...integerRangeAlternatives(top + 1, hi)]
  }
  if (lo === hi) return [sLo]
  let i = 0
  while (sLo[i] === sHi[i]) i++
  const prefix = sLo.slice(0, i)
  const rest = sLo.length - i - 1
  const a = Number(sLo[i])
  const b = Number(sHi[i])
  const loTailZero = /^0*$/.test(sLo.slice(i + 1))
  const hiTailNine = /^9*$/.test(sHi.slice(i + 1))
  const out: string[] = []
  let start = a
  let end = b
  if (!loTailZero) {
    out.push(...integerRangeAlternatives(lo, Number(`${prefix}${a}${'9'.repeat(rest)}`)))
    start = a + 1
  }
  if (!hiTailNine) end = b - 1
  if (start <= end) out.push(`${prefix}${start === end ? String(start) : `[${start}-${end}]`}${'[0-9]'.repeat(rest)}`)
  if (!hiTailNine) out.push(...integerRangeAlternatives(Number(`${prefix}${b}${'0'.repeat(rest)}`), hi))
  return out
}

/**
 * A regex for the JSON text of a number in [min, max], or undefined when the bounds cannot be expressed
 * exactly (non-integer or negative bounds). `integer` forbids a fraction part.
 */
export function numberRangeRegex(min: number, max: number, integer: boolean): string | undefined {
  if (!Number.isInteger(min) || !Number.isInteger(max) || min < 0 || max < min) return undefined
  // From 1e21 on, JSON text switches to exponent form; stay well below it.
  if (max > 1e15) return undefined
  if (integer) return `^(?:${integerRangeAlternatives(min, max).join('|')})$`
  const parts: string[] = []
  if (max > min) parts.push(`(?:${integerRangeAlternatives(min, max - 1).join('|')})(?:\\.[0-9]+)?`)
  parts.push(`${max}(?:\\.0+)?`)
  // Below 1 the JSON text may use an exponent (1e-7); d.ddd e-N with N ≥ 1 is always < 1.
  if (min === 0) parts.push('[0-9](?:\\.[0-9]+)?[eE]-[1-9][0-9]*')
  return `^(?:${parts.join('|')})$`
}
