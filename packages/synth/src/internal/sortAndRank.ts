/**
 * A numeric column's present values sorted, and each row's key replaced by the rank of its value among the distinct
 * values (0, 1, …; NaN stays NaN) — what sorting every value and a binary search per row give, found instead through
 * an open-addressing hash of the values' bits, so only the distinct values are sorted (a column of ages has 73 of
 * 32,561). The table starts small and doubles when half full, so a column of few values stays in the first-level
 * cache. −0 and 0 hash apart and sort as a full sort puts them (−0 first) but share a rank, as they compare equal.
 * `keys` holds each row's value (NaN where absent) and is overwritten with the ranks; `count` is its non-NaN entries.
 */
export function sortAndRank(keys: Float64Array, count: number): Float64Array {
  const n = keys.length
  let slots: Int32Array = new Int32Array(MIN_CAPACITY).fill(-1)
  let mask = MIN_CAPACITY - 1
  const ids = new Int32Array(n)
  const valueAt = new Float64Array(count)
  const bitsOf = new Uint32Array(valueAt.buffer)
  const countOf = new Int32Array(count)
  let distinct = 0
  for (let i = 0; i < n; i++) {
    const v = keys[i] as number
    if (Number.isNaN(v)) {
      ids[i] = -1
      continue
    }
    scratch[0] = v
    const lo = scratchBits[0] as number
    const hi = scratchBits[1] as number
    let h = mix(lo ^ mix(hi)) & mask
    for (;;) {
      const id = slots[h] as number
      if (id < 0) {
        slots[h] = distinct
        valueAt[distinct] = v
        countOf[distinct] = 1
        ids[i] = distinct++
        if (2 * distinct > mask) {
          slots = rehash(bitsOf, distinct, 2 * (mask + 1))
          mask = slots.length - 1
        }
        break
      }
      if (bitsOf[2 * id] === lo && bitsOf[2 * id + 1] === hi) {
        ids[i] = id
        countOf[id] = (countOf[id] as number) + 1
        break
      }
      h = (h + 1) & mask
    }
  }
  const order = valueAt.slice(0, distinct).sort()
  const rankOf = new Float64Array(distinct)
  const sorted = new Float64Array(count)
  let rank = -1
  let at = 0
  for (let p = 0; p < distinct; p++) {
    const v = order[p] as number
    if (p === 0 || v !== order[p - 1]) rank++
    scratch[0] = v
    const lo = scratchBits[0] as number
    const hi = scratchBits[1] as number
    let h = mix(lo ^ mix(hi)) & mask
    let id = slots[h] as number
    // Present: the probe from h meets its slot before any empty one (nothing is ever removed).
    while (!(bitsOf[2 * id] === lo && bitsOf[2 * id + 1] === hi)) {
      h = (h + 1) & mask
      id = slots[h] as number
    }
    rankOf[id] = rank
    const end = at + (countOf[id] as number)
    sorted.fill(v, at, end)
    at = end
  }
  for (let i = 0; i < n; i++) {
    const id = ids[i] as number
    if (id >= 0) keys[i] = rankOf[id] as number
  }
  return sorted
}

const MIN_CAPACITY = 256

/** A table of `capacity` slots holding the first `distinct` values (their bits, two words each). */
function rehash(bitsOf: Uint32Array, distinct: number, capacity: number): Int32Array {
  const slots = new Int32Array(capacity).fill(-1)
  const mask = capacity - 1
  for (let id = 0; id < distinct; id++) {
    let h = mix((bitsOf[2 * id] as number) ^ mix(bitsOf[2 * id + 1] as number)) & mask
    while ((slots[h] as number) >= 0) h = (h + 1) & mask
    slots[h] = id
  }
  return slots
}

const scratch = new Float64Array(1)
const scratchBits = new Uint32Array(scratch.buffer)

/** MurmurHash3's 32-bit finalizer: every input bit reaches every output bit. */
function mix(x: number): number {
  let h = Math.imul(x ^ (x >>> 16), 0x85ebca6b)
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35)
  return h ^ (h >>> 16)
}
