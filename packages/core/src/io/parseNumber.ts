/**
 * Number parsing from text without regex on the hot path.
 *
 * Accepted: optional sign, digits with an optional `.` fraction, optional exponent (`1e-3`), e.g. `-12.5`, `.5`, `3.`.
 * Not accepted: thousands separators, `0x` prefixes, surrounding spaces (callers trim), the empty string.
 * `NaN`, `Infinity`, `-Infinity`, `inf`, `-inf` (any case) are recognised separately by `parseNonFinite`.
 */

const POW10 = [
  1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20,
  1e21, 1e22,
]

/** 0 = not a number, 1 = integer text (`-12`, at most 15 digits), 2 = any other number text. */
export function classifyNumber(s: string): 0 | 1 | 2 {
  const len = s.length
  let i = 0
  let c = s.charCodeAt(0)
  if (c === 43 || c === 45) {
    i = 1
  }
  let intDigits = 0
  while (i < len) {
    c = s.charCodeAt(i)
    if (c < 48 || c > 57) break
    intDigits++
    i++
  }
  if (i === len) return intDigits === 0 ? 0 : intDigits <= 15 ? 1 : 2
  let fracDigits = 0
  if (c === 46) {
    i++
    while (i < len) {
      c = s.charCodeAt(i)
      if (c < 48 || c > 57) break
      fracDigits++
      i++
    }
  }
  if (intDigits + fracDigits === 0) return 0
  if (i === len) return 2
  if (c !== 101 && c !== 69) return 0
  i++
  c = s.charCodeAt(i)
  if (c === 43 || c === 45) i++
  let expDigits = 0
  while (i < len) {
    c = s.charCodeAt(i)
    if (c < 48 || c > 57) return 0
    expDigits++
    i++
  }
  return expDigits === 0 ? 0 : 2
}

/**
 * Parses number text; returns `NaN` when `s` is not a number (check with `classifyNumber` when NaN matters).
 * Short decimals (≤ 15 significant digits, ≤ 22 fraction digits) take an exact fast path; the rest use `Number`.
 */
export function parseNumber(s: string): number {
  const len = s.length
  let i = 0
  let neg = false
  let c = s.charCodeAt(0)
  if (c === 45) {
    neg = true
    i = 1
  } else if (c === 43) i = 1
  let mant = 0
  let nd = 0
  let scale = 0
  let any = false
  while (i < len) {
    c = s.charCodeAt(i)
    if (c < 48 || c > 57) break
    mant = mant * 10 + (c - 48)
    nd++
    any = true
    i++
  }
  if (i < len && c === 46) {
    i++
    while (i < len) {
      c = s.charCodeAt(i)
      if (c < 48 || c > 57) break
      mant = mant * 10 + (c - 48)
      nd++
      scale++
      any = true
      i++
    }
  }
  if (i === len && any && nd <= 15 && scale <= 22) {
    const v = scale === 0 ? mant : mant / (POW10[scale] as number)
    return neg ? -v : v
  }
  return classifyNumber(s) === 0 ? Number.NaN : Number(s)
}

/** `NaN`/`Infinity` text (case-insensitive; `inf`, `+inf`, `-inf`, `-Infinity` too) → the value, else `undefined`. */
export function parseNonFinite(s: string): number | undefined {
  if (s.length > 9 || s.length < 3) return undefined
  const t = s.toLowerCase()
  if (t === 'nan' || t === '-nan' || t === '+nan') return Number.NaN
  if (t === 'inf' || t === 'infinity' || t === '+inf' || t === '+infinity') return Number.POSITIVE_INFINITY
  if (t === '-inf' || t === '-infinity') return Number.NEGATIVE_INFINITY
  return undefined
}
