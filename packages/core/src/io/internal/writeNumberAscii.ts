// Writes a number's text as ASCII bytes, exactly the text `String(x)` gives, without building a string for the common
// case: a finite x with |x| in [1e-6, 2^50) whose shortest round-trip decimal has at most 15 fraction digits (the
// values a table holds after rounding to its data's decimals). Everything else falls back to String(x).
//
// Why the fast path gives String(x): ECMAScript's Number::toString picks the fewest significant digits that read back
// as x (ECMA-262 §6.1.6.1.20); with the integer part fixed by x's magnitude that is the fewest fraction digits k for
// which some integer r has r / 10^k === x. For k with |x|·10^k < 2^50 such an r lies within 1/8 of x·10^k (x's
// rounding interval is at most ulp(x) ≤ |x|·2^-52 wide), so Math.round of the computed product finds it if it exists,
// and `r / 10^k === x` (one correctly rounded division of exact operands) confirms it. Searching k upward, the first
// hit is the shortest form; r is then not a multiple of 10, so no trailing zero is written. For |x| in [1e-6, 1e21)
// String(x) uses fixed notation, which is what is written here. 0 and -0 are "0".

const LIMIT = 2 ** 50
const P10 = Float64Array.from({ length: 16 }, (_, k) => 10 ** k)

/** Writes `v` (an integer in [0, 1e9)) at `pos`; returns the position after it. */
function writeSmall(buf: Uint8Array, pos: number, v: number): number {
  let n = v | 0
  let len = 1
  for (let t = 10; t <= n; t *= 10) len++
  let p = pos + len
  const end = p
  do {
    const q = (n / 10) | 0
    buf[--p] = 48 + n - q * 10
    n = q
  } while (n > 0)
  return end
}

/** Writes `v` (an integer in [0, 10^width), width ≤ 18) with leading zeros to `width` digits. */
function writePadded(buf: Uint8Array, pos: number, v: number, width: number): number {
  if (width > 9) {
    const hi = Math.floor(v / 1e9)
    pos = writePadded(buf, pos, hi, width - 9)
    return writePadded(buf, pos, v - hi * 1e9, 9)
  }
  let n = v | 0
  const end = pos + width
  for (let p = end - 1; p >= pos; p--) {
    const q = (n / 10) | 0
    buf[p] = 48 + n - q * 10
    n = q
  }
  return end
}

/** Writes `v` (a non-negative integer below 2^53) in decimal; returns the position after it. */
function writeUint(buf: Uint8Array, pos: number, v: number): number {
  if (v < 1e9) return writeSmall(buf, pos, v)
  const hi = Math.floor(v / 1e9)
  return writePadded(buf, writeUint(buf, pos, hi), v - hi * 1e9, 9)
}

/**
 * Writes the text of `String(x)` at `pos` as ASCII bytes (at most 26 of them); returns the position after it.
 * `buf` must have room for 32 bytes at `pos`.
 */
export function writeNumberAscii(buf: Uint8Array, pos: number, x: number): number {
  const a = x < 0 ? -x : x
  if (a < LIMIT && a >= 1e-6) {
    for (let k = 0; k < 16; k++) {
      const p = P10[k] as number
      const m = a * p
      if (m >= LIMIT) break
      const r = Math.round(m)
      if (r / p !== a) continue
      if (x < 0) buf[pos++] = 45 // '-'
      if (k === 0) return writeUint(buf, pos, r)
      // r < 2^50 and p ≤ 10^15, so r / p never rounds across an integer: the floor and the remainder are exact
      const whole = Math.floor(r / p)
      pos = writeUint(buf, pos, whole)
      buf[pos++] = 46 // '.'
      return writePadded(buf, pos, r - whole * p, k)
    }
  } else if (x === 0) {
    buf[pos] = 48 // '0' (also for -0, as String gives)
    return pos + 1
  }
  const s = String(x)
  for (let i = 0; i < s.length; i++) buf[pos++] = s.charCodeAt(i)
  return pos
}
