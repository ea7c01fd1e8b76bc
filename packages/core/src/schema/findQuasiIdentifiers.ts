import type { Column, Table } from '../Table.js'

export interface FindQuasiIdentifiersOptions {
  /** Columns not to check (PII columns, ids, categoricals whose allowed values a schema declares). They still count as partners. */
  readonly skip?: Iterable<string>
  /** Largest group one value may mark, as a share of the rows (default 0.05). */
  readonly maxGroupShare?: number
  /** Other columns that must repeat with a value for it to mark an entity (default 2). */
  readonly minPartners?: number
}

export interface QuasiIdentifier {
  readonly column: string
  /** 1 where this row's value of the column marks a repeated entity: it must not be stored. */
  readonly rows: Uint8Array
  /** Distinct values that mark an entity. */
  readonly values: number
  /** Rows holding them. */
  readonly rowCount: number
  /** The columns that repeat with them most often (at most three), e.g. `contact_num, taxpayer, memo`. */
  readonly partners: readonly string[]
}

const AGREEMENT = 0.9
const OUTSIDE = 0.1

/**
 * The entity-memorization rule, a second line of defence that does not rely on PII detection. A value marks a
 * repeated entity (the same customer on many rows) when it holds a small group of rows — at least 2, at most
 * `maxGroupShare` of the table — on which at least `minPartners` other columns each repeat one value (on ≥ 90 % of
 * the group's non-null rows) that is specific to the group (≤ 10 % of that value's rows lie outside it): a name
 * whose rows all share one phone number, one card and one memo found nowhere else. Such a value is a
 * quasi-identifier: storing it (or a synthesizer learning it with its partners) would replay a real person's
 * record, however many rows hold it. A code and its label (`education`, `education-num`) repeat with one partner
 * only, a large category (a country with its currency and language) holds more than `maxGroupShare` of the rows:
 * neither is folded. Returns one entry per column holding such values, never the values themselves.
 */
export function findQuasiIdentifiers(table: Table, options: FindQuasiIdentifiersOptions = {}): QuasiIdentifier[] {
  const n = table.numRows
  const maxGroup = Math.floor((options.maxGroupShare ?? 0.05) * n)
  const minPartners = options.minPartners ?? 2
  if (n < 4 || maxGroup < 2 || table.columns.length <= minPartners) return []
  const skip = new Set(options.skip ?? [])
  const encoded = table.columns.map((c) => encodeColumn(c, n))
  const index = exactGroupIndex(encoded, n, maxGroup)
  // The columns that may repeat within a group of a given size (its partners can only be among them), by size.
  const candidates = candidateColumns(encoded, maxGroup)
  // A wide table's codes also row-major (one more copy of them), for the groups of more than EXACT_MAX rows.
  const width = encoded.length
  const byRow = width >= 64 ? rowMajor(encoded, n) : null
  const offsets = new Int32Array(QUICK_MAX)
  const out: QuasiIdentifier[] = []
  table.columns.forEach((_, ci) => {
    const column = table.columns[ci] as Column
    if (skip.has(column.name) || column.kind === 'boolean') return
    const groups = index.groups[ci] ?? null
    if (groups === null) return
    const rows = new Uint8Array(n)
    const partnerHits = new Map<number, number>()
    let values = 0
    let rowCount = 0
    const found: number[] = []
    const exact: number[] = []
    for (let g = 0; g + 1 < groups.offsets.length; g++) {
      const start = groups.offsets[g] as number
      const end = groups.offsets[g + 1] as number
      const size = end - start
      found.length = 0
      if (size <= EXACT_MAX) {
        // Null-free partners of a group of at most 8 rows are exactly the columns with a value on those rows alone.
        // Partners are credited in column order, as a scan of every column would find them.
        exact.length = 0
        index.partners(groups.rows, start, end, ci, exact)
        const nullable = candidates(size).nullable
        exact.sort((a, b) => a - b)
        let ei = 0
        let ni = 0
        while (found.length < minPartners) {
          const next = ei < exact.length ? (exact[ei] as number) : Number.POSITIVE_INFINITY
          for (; ni < nullable.length && (nullable[ni] as number) < next && found.length < minPartners; ni++) {
            const di = nullable[ni] as number
            if (di !== ci && repeatsWithin(encoded[di] as Encoded, groups.rows, start, end)) found.push(di)
          }
          if (found.length >= minPartners || ei >= exact.length) break
          found.push(next)
          ei++
        }
      } else {
        // A null-free column whose values on the group's first rows all differ cannot agree on ≥ 90 % of them
        // (`probeRows`); read row-major on a wide table, that test is one pass over memory.
        const probe = size <= QUICK_MAX && byRow !== null ? probeRows(size) : 0
        for (let i = 0; i < probe; i++) offsets[i] = (groups.rows[start + i] as number) * width
        const all = candidates(size).all
        for (let x = 0; x < all.length && found.length < minPartners; x++) {
          const di = all[x] as number
          if (probe > 0 && !(encoded[di] as Encoded).hasNull) {
            let distinct = true
            for (let i = 0; i < probe && distinct; i++) {
              const a = (byRow as Int32Array)[(offsets[i] as number) + di]
              for (let j = i + 1; j < probe && distinct; j++)
                distinct = a !== (byRow as Int32Array)[(offsets[j] as number) + di]
            }
            if (distinct) continue
          }
          if (di !== ci && repeatsWithin(encoded[di] as Encoded, groups.rows, start, end)) found.push(di)
        }
      }
      if (found.length < minPartners) continue
      values++
      rowCount += end - start
      for (let i = start; i < end; i++) rows[groups.rows[i] as number] = 1
      for (const di of found) partnerHits.set(di, (partnerHits.get(di) ?? 0) + 1)
    }
    if (values === 0) return
    const partners = [...partnerHits]
      .sort((a, b) => b[1] - a[1] || a[0] - b[0])
      .slice(0, 3)
      .map(([di]) => (table.columns[di] as Column).name)
    out.push({ column: column.name, rows, values, rowCount, partners })
  })
  return out
}

/** Largest group the first-rows test is used on. */
const QUICK_MAX = 39

/**
 * Rows to probe in a group of `size` rows of a null-free column: ≥ 90 % of the rows must hold one value, so at most
 * t = ⌊size/10⌋ do not, and among any t + 2 rows two hold it — t + 2 pairwise different values rule the column out.
 * (0.1·size is never below size/10 in floating point, and 0.9·size never below 9·size/10: t is never too small.)
 */
function probeRows(size: number): number {
  return Math.min(size, Math.floor(size * OUTSIDE + 1e-9) + 2)
}

function rowMajor(encoded: readonly Encoded[], n: number): Int32Array {
  const width = encoded.length
  const out = new Int32Array(n * width)
  // In blocks of rows, so the rows being written stay in cache while every column is read.
  for (let r0 = 0; r0 < n; r0 += 64) {
    const r1 = Math.min(n, r0 + 64)
    for (let c = 0; c < width; c++) {
      const codes = (encoded[c] as Encoded).codes
      for (let r = r0; r < r1; r++) out[r * width + c] = codes[r] as number
    }
  }
  return out
}

interface Candidates {
  /** Columns (ascending) with a value whose row count lets it repeat within a group of this size. */
  readonly all: Int32Array
  /** The subset with nulls (null-free partners of the smallest groups are found by `exactGroupIndex`). */
  readonly nullable: Int32Array
}

/**
 * The columns that may repeat within a group of s rows, per s (computed once per size). A partner's value v agrees on
 * ≥ 90 % of the group's non-null rows, at least half the group, and ≤ 10 % of its rows lie outside: so v's row count
 * lies in [0.45·s, s/0.9] — in [0.9·s, s/0.9] for a column without nulls, where every row of the group is non-null.
 * A column with no value of such a count is never a partner; the windows are widened by a row, never narrowed.
 * (Scanning every column for every group of more than EXACT_MAX rows was most of the rule's time on a wide table.)
 */
function candidateColumns(encoded: readonly Encoded[], maxGroup: number): (size: number) => Candidates {
  const limit = Math.floor(maxGroup / (1 - OUTSIDE)) + 2
  // Per column, the distinct row counts of its values up to `limit`, ascending.
  const seen = new Uint8Array(limit + 1)
  const list = new Int32Array(limit + 1)
  const countsOf = encoded.map((e) => {
    let m = 0
    for (let v = 0; v < e.counts.length; v++) {
      const count = e.counts[v] as number
      if (count > 0 && count <= limit && seen[count] === 0) {
        seen[count] = 1
        list[m++] = count
      }
    }
    const distinct = list.slice(0, m).sort()
    for (let i = 0; i < m; i++) seen[distinct[i] as number] = 0
    return distinct
  })
  const cache = new Map<number, Candidates>()
  return (size) => {
    let hit = cache.get(size)
    if (hit !== undefined) return hit
    const hi = Math.ceil(size / (1 - OUTSIDE)) + 1
    const all: number[] = []
    const nullable: number[] = []
    encoded.forEach((e, c) => {
      const lo = Math.max(1, Math.floor((e.hasNull ? AGREEMENT / 2 : AGREEMENT) * size) - 1)
      // The first distinct count ≥ lo, then whether it is ≤ hi.
      const counts = countsOf[c] as Int32Array
      let a = 0
      let b = counts.length
      while (a < b) {
        const mid = (a + b) >>> 1
        if ((counts[mid] as number) < lo) a = mid + 1
        else b = mid
      }
      if (a === counts.length || (counts[a] as number) > hi) return
      all.push(c)
      if (e.hasNull) nullable.push(c)
    })
    hit = { all: Int32Array.from(all), nullable: Int32Array.from(nullable) }
    cache.set(size, hit)
    return hit
  }
}

/**
 * Largest group whose null-free partners are found by exact match: with no nulls on a group of s ≤ 8 rows, "≥ 90 %
 * of the rows agree" means all s do, and "≤ 10 % of the value's rows lie outside" means none does (s/0.9 < s + 1),
 * so a partner is a column with a value held by exactly the group's rows.
 */
const EXACT_MAX = 8

interface Groups {
  readonly offsets: Int32Array
  readonly rows: Int32Array
}

interface ExactGroupIndex {
  /** Each column's small groups (null when it has none). */
  readonly groups: readonly (Groups | null)[]
  /** Pushes onto `found` the null-free columns other than `self` with a value held by exactly these rows. */
  partners(rows: Int32Array, start: number, end: number, self: number, found: number[]): void
}

/**
 * Every null-free column's groups of 2 … EXACT_MAX rows in a hash table keyed by their (sorted) rows, so a group's
 * exact partners are found in O(size) instead of by scanning every column: the scan made the rule cost
 * O(columns² × rows), minutes on a 1,000-column feature table.
 */
function exactGroupIndex(encoded: readonly Encoded[], n: number, maxGroup: number): ExactGroupIndex {
  const groups = encoded.map((e) => smallGroups(e, n, maxGroup))
  let entries = 0
  encoded.forEach((e, c) => {
    const g = groups[c]
    if (e.hasNull || g === undefined || g === null) return
    for (let x = 0; x + 1 < g.offsets.length; x++)
      if ((g.offsets[x + 1] as number) - (g.offsets[x] as number) <= EXACT_MAX) entries++
  })
  let size = 16
  while (size < 2 * entries) size *= 2
  const mask = size - 1
  const heads = new Int32Array(size).fill(-1)
  const next = new Int32Array(entries)
  const entryColumn = new Int32Array(entries)
  const entryGroup = new Int32Array(entries)
  let e = 0
  encoded.forEach((enc, c) => {
    const g = groups[c]
    if (enc.hasNull || g === undefined || g === null) return
    for (let x = 0; x + 1 < g.offsets.length; x++) {
      const start = g.offsets[x] as number
      const end = g.offsets[x + 1] as number
      if (end - start > EXACT_MAX) continue
      const slot = hashRows(g.rows, start, end) & mask
      entryColumn[e] = c
      entryGroup[e] = x
      next[e] = heads[slot] as number
      heads[slot] = e++
    }
  })
  return {
    groups,
    partners(rows, start, end, self, found) {
      const size = end - start
      for (let x = heads[hashRows(rows, start, end) & mask] as number; x >= 0; x = next[x] as number) {
        const c = entryColumn[x] as number
        if (c === self) continue
        const g = groups[c] as Groups
        const gs = g.offsets[entryGroup[x] as number] as number
        if ((g.offsets[(entryGroup[x] as number) + 1] as number) - gs !== size) continue
        let same = true
        for (let i = 0; i < size && same; i++) same = g.rows[gs + i] === rows[start + i]
        if (same) found.push(c)
      }
    },
  }
}

function hashRows(rows: Int32Array, start: number, end: number): number {
  let h = 0x811c9dc5 ^ (end - start)
  for (let i = start; i < end; i++) h = Math.imul(h ^ (rows[i] as number), 0x01000193) ^ ((rows[i] as number) >>> 13)
  return Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) >>> 0
}

interface Encoded {
  /** Value code per row, -1 for null. */
  readonly codes: Int32Array
  /** Rows per code. */
  readonly counts: Int32Array
  readonly hasNull: boolean
}

function encodeColumn(column: Column, n: number): Encoded {
  const codes = new Int32Array(n)
  let size = 0
  if (column.kind === 'categorical') {
    codes.set(column.codes.subarray(0, n))
    size = column.dictionary.length
  } else if (column.kind === 'text' || column.kind === 'id') {
    const index = new Map<string, number>()
    for (let i = 0; i < n; i++) {
      const v = column.values[i]
      if (v == null) codes[i] = -1
      else {
        let code = index.get(v)
        if (code === undefined) {
          code = index.size
          index.set(v, code)
        }
        codes[i] = code
      }
    }
    size = index.size
  } else {
    // Numbers: codes in order of first appearance, through an open-addressing hash table on the value's bits (a
    // Map over a million distinct doubles, or a sort and a binary search per row, are several times slower).
    const { values, valid } = column as Exclude<Column, { kind: 'categorical' | 'text' | 'id' }>
    size = encodeNumbers(values, valid, n, codes)
  }
  const counts = new Int32Array(size)
  return { codes, counts, hasNull: countCodes(codes, counts) }
}

/**
 * Adds each row's code to `counts`; whether any row is null. (A function of its own: a long loop compiled while it
 * runs left Node 20's V8 deoptimizing at its exit on every later call.)
 */
function countCodes(codes: Int32Array, counts: Int32Array): boolean {
  let hasNull = false
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i] as number
    if (c >= 0) counts[c] = (counts[c] as number) + 1
    else hasNull = true
  }
  return hasNull
}

const scratch = new Float64Array(1)
const scratchBits = new Uint32Array(scratch.buffer)

/**
 * Writes each row's value code (-1 for null) into `codes`; returns the number of distinct values. The table starts
 * small and doubles when half full (a column of few values stays in the first-level cache); codes are the order of
 * first appearance whatever its size.
 */
function encodeNumbers(
  values: Float64Array | Uint8Array,
  valid: Uint8Array | null,
  n: number,
  codes: Int32Array,
): number {
  let slots: Int32Array = new Int32Array(256).fill(-1)
  let mask = slots.length - 1
  const valueAt = new Float64Array(n)
  let distinct = 0
  for (let i = 0; i < n; i++) {
    if (valid !== null && valid[i] !== 1) {
      codes[i] = -1
      continue
    }
    const x = values[i] as number
    const v = Number.isNaN(x) ? Number.NaN : x + 0 // -0 and 0 are one value, and every NaN
    let h = hashNumber(v) & mask
    for (;;) {
      const code = slots[h] as number
      if (code < 0) {
        slots[h] = distinct
        valueAt[distinct] = v
        codes[i] = distinct++
        if (2 * distinct > mask) {
          slots = new Int32Array(2 * (mask + 1)).fill(-1)
          mask = slots.length - 1
          for (let c = 0; c < distinct; c++) {
            let at = hashNumber(valueAt[c] as number) & mask
            while ((slots[at] as number) >= 0) at = (at + 1) & mask
            slots[at] = c
          }
        }
        break
      }
      const w = valueAt[code] as number
      if (w === v || (Number.isNaN(v) && Number.isNaN(w))) {
        codes[i] = code
        break
      }
      h = (h + 1) & mask
    }
  }
  return distinct
}

function hashNumber(v: number): number {
  scratch[0] = v
  return mix((scratchBits[0] as number) ^ mix(scratchBits[1] as number))
}

/** MurmurHash3's 32-bit finalizer: every input bit reaches every output bit. */
function mix(x: number): number {
  let h = Math.imul(x ^ (x >>> 16), 0x85ebca6b)
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35)
  return h ^ (h >>> 16)
}

/** Rows of each value held by 2 … maxGroup rows, grouped (CSR layout), or null when there is none. */
function smallGroups(encoded: Encoded, n: number, maxGroup: number): Groups | null {
  const { codes, counts } = encoded
  const slot = new Int32Array(counts.length).fill(-1)
  let groups = 0
  let total = 0
  for (let c = 0; c < counts.length; c++) {
    const count = counts[c] as number
    if (count >= 2 && count <= maxGroup) {
      slot[c] = groups++
      total += count
    }
  }
  if (groups === 0) return null
  const offsets = new Int32Array(groups + 1)
  for (let c = 0; c < counts.length; c++) {
    const s = slot[c] as number
    if (s >= 0) offsets[s + 1] = counts[c] as number
  }
  for (let g = 0; g < groups; g++) offsets[g + 1] = (offsets[g + 1] as number) + (offsets[g] as number)
  const rows = fillGroups(codes, slot, offsets.slice(0, groups), new Int32Array(total), n)
  return { offsets, rows }
}

/** Writes each row into its group's next place (`fill`); returns `rows`. (A row loop in a function of its own.) */
function fillGroups(codes: Int32Array, slot: Int32Array, fill: Int32Array, rows: Int32Array, n: number): Int32Array {
  for (let i = 0; i < n; i++) {
    const c = codes[i] as number
    const s = c >= 0 ? (slot[c] as number) : -1
    if (s >= 0) {
      rows[fill[s] as number] = i
      fill[s] = (fill[s] as number) + 1
    }
  }
  return rows
}

/**
 * Whether the column repeats one value over the group's rows (≥ 90 % of its non-null rows, which are at least
 * half the group) and that value is specific to the group (≤ 10 % of its rows lie outside).
 */
function repeatsWithin(column: Encoded, rows: Int32Array, start: number, end: number): boolean {
  const { codes, counts } = column
  if (!column.hasNull && end - start <= QUICK_MAX) {
    const probe = probeRows(end - start)
    let distinct = true
    for (let i = 0; i < probe && distinct; i++) {
      const a = codes[rows[start + i] as number] as number
      for (let j = i + 1; j < probe && distinct; j++) distinct = a !== codes[rows[start + j] as number]
    }
    if (distinct) return false
  }
  // Boyer–Moore majority vote, then a count.
  let candidate = -1
  let votes = 0
  for (let i = start; i < end; i++) {
    const c = codes[rows[i] as number] as number
    if (c < 0) continue
    if (votes === 0) {
      candidate = c
      votes = 1
    } else votes += c === candidate ? 1 : -1
  }
  if (candidate < 0) return false
  const total = counts[candidate] as number
  const size = end - start
  if (total > size / (1 - OUTSIDE)) return false
  let agree = 0
  let nonNull = 0
  for (let i = start; i < end; i++) {
    const c = codes[rows[i] as number] as number
    if (c < 0) continue
    nonNull++
    if (c === candidate) agree++
  }
  return 2 * nonNull >= size && agree >= AGREEMENT * nonNull && total - agree <= OUTSIDE * total
}
