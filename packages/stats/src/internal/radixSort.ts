// LSD radix sort of float64 keys (4 passes of 16 bits over the IEEE-754 bit pattern, with the usual
// sign flip so unsigned order equals numeric order) for large arrays (bench/RESULTS.md, ksTest, has the figures);
// small arrays use the built-in sort. Inputs must not contain NaN (validated upstream).

const SMALL = 20_000
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1

/**
 * Sorts `a` ascending in place and returns it. The raw IEEE-754 bit patterns are radix-sorted as unsigned
 * integers, moving whole doubles (one 8-byte move per element and pass); that order is "positives ascending,
 * then negatives by ascending magnitude", so a last pass writes the negatives reversed in front.
 */
export function sortFloat64(a: Float64Array): Float64Array {
  const n = a.length
  if (n < SMALL || !LITTLE_ENDIAN || a.byteOffset % 8 !== 0) return a.sort()
  let src: Float64Array = a
  let dst: Float64Array = new Float64Array(n)
  let srcWords = new Uint32Array(src.buffer, src.byteOffset, 2 * n)
  const counts = new Uint32Array(4 * 65536)
  for (let i = 0; i < n; i++) {
    const l = srcWords[2 * i] as number
    const h = srcWords[2 * i + 1] as number
    counts[l & 0xffff] = (counts[l & 0xffff] as number) + 1
    counts[65536 + (l >>> 16)] = (counts[65536 + (l >>> 16)] as number) + 1
    counts[131072 + (h & 0xffff)] = (counts[131072 + (h & 0xffff)] as number) + 1
    counts[196608 + (h >>> 16)] = (counts[196608 + (h >>> 16)] as number) + 1
  }
  for (let pass = 0; pass < 4; pass++) {
    const c = counts.subarray(pass * 65536, (pass + 1) * 65536)
    if (skip(c, n)) continue
    prefix(c)
    const word = pass >> 1
    const shift = (pass & 1) * 16
    for (let i = 0; i < n; i++) {
      const d = ((srcWords[2 * i + word] as number) >>> shift) & 0xffff
      const at = c[d] as number
      c[d] = at + 1
      dst[at] = src[i] as number
    }
    const t = src
    src = dst
    dst = t
    srcWords = new Uint32Array(src.buffer, src.byteOffset, 2 * n)
  }
  // first negative: sign bits are 0…0 1…1 in this order
  let lo = 0
  let hi = n
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if ((srcWords[2 * mid + 1] as number) >>> 31) hi = mid
    else lo = mid + 1
  }
  const positives = lo
  const negatives = n - positives
  if (src === a) {
    if (negatives === 0) return a
    dst.set(a)
    src = dst
  }
  for (let i = 0; i < negatives; i++) a[i] = src[n - 1 - i] as number
  a.set(src.subarray(0, positives), negatives)
  return a
}

/** Indices that sort `a` ascending (stable). */
export function argsortFloat64(a: Float64Array): Uint32Array {
  const n = a.length
  if (n < SMALL || !LITTLE_ENDIAN || a.byteOffset % 4 !== 0) {
    const idx = new Uint32Array(n)
    for (let i = 0; i < n; i++) idx[i] = i
    return idx.sort((x, y) => (a[x] as number) - (a[y] as number) || x - y)
  }
  const words = new Uint32Array(a.buffer, a.byteOffset, 2 * n)
  let lo = new Uint32Array(n)
  let hi = new Uint32Array(n)
  let idx = new Uint32Array(n)
  for (let i = 0; i < n; i++) {
    const h = words[2 * i + 1] as number
    const neg = h >>> 31
    hi[i] = (neg ? ~h : h ^ 0x80000000) >>> 0
    lo[i] = (neg ? ~(words[2 * i] as number) : (words[2 * i] as number)) >>> 0
    idx[i] = i
  }
  const counts = histograms(lo, hi)
  let lo2 = new Uint32Array(n)
  let hi2 = new Uint32Array(n)
  let idx2 = new Uint32Array(n)
  for (let pass = 0; pass < 4; pass++) {
    const c = counts.subarray(pass * 65536, (pass + 1) * 65536)
    if (skip(c, n)) continue
    prefix(c)
    const src = pass < 2 ? lo : hi
    const shift = (pass & 1) * 16
    for (let i = 0; i < n; i++) {
      const d = ((src[i] as number) >>> shift) & 0xffff
      const at = c[d] as number
      c[d] = at + 1
      lo2[at] = lo[i] as number
      hi2[at] = hi[i] as number
      idx2[at] = idx[i] as number
    }
    ;[lo, lo2] = [lo2, lo]
    ;[hi, hi2] = [hi2, hi]
    ;[idx, idx2] = [idx2, idx]
  }
  return idx
}

function histograms(lo: Uint32Array, hi: Uint32Array): Uint32Array {
  const counts = new Uint32Array(4 * 65536)
  for (let i = 0; i < lo.length; i++) {
    const l = lo[i] as number
    const h = hi[i] as number
    counts[l & 0xffff] = (counts[l & 0xffff] as number) + 1
    counts[65536 + (l >>> 16)] = (counts[65536 + (l >>> 16)] as number) + 1
    counts[131072 + (h & 0xffff)] = (counts[131072 + (h & 0xffff)] as number) + 1
    counts[196608 + (h >>> 16)] = (counts[196608 + (h >>> 16)] as number) + 1
  }
  return counts
}

/** A pass whose digit is the same for every key changes nothing. */
function skip(c: Uint32Array, n: number): boolean {
  for (let d = 0; d < 65536; d++) {
    const v = c[d] as number
    if (v !== 0) return v === n
  }
  return true
}

function prefix(c: Uint32Array): void {
  let sum = 0
  for (let d = 0; d < 65536; d++) {
    const v = c[d] as number
    c[d] = sum
    sum += v
  }
}
