import type { Column, Table } from '@modelgate/core'
import { createRandom, findQuasiIdentifiers, tableFromColumns } from '@modelgate/core'
import { describe, expect, it } from 'vitest'

// The rule as its definition reads, scanning every other column for every small group (O(columns² × rows)): the
// indexed search must find exactly the same columns, values, rows and partners.
function byDefinition(table: Table, maxGroupShare = 0.05, minPartners = 2) {
  const n = table.numRows
  const maxGroup = Math.floor(maxGroupShare * n)
  const codes = table.columns.map((c) => {
    const map = new Map<string, number>()
    return Int32Array.from({ length: n }, (_, i) => {
      const v = valueAt(c, i)
      if (v === null) return -1
      let code = map.get(v)
      if (code === undefined) {
        code = map.size
        map.set(v, code)
      }
      return code
    })
  })
  const counts = codes.map((cs) => {
    const out = new Map<number, number>()
    for (const c of cs) if (c >= 0) out.set(c, (out.get(c) ?? 0) + 1)
    return out
  })
  const repeats = (di: number, rows: number[]): boolean => {
    const cs = codes[di] as Int32Array
    const tally = new Map<number, number>()
    let nonNull = 0
    for (const r of rows) {
      const c = cs[r] as number
      if (c < 0) continue
      nonNull++
      tally.set(c, (tally.get(c) ?? 0) + 1)
    }
    for (const [c, agree] of tally) {
      const total = counts[di]?.get(c) ?? 0
      if (total > rows.length / 0.9) continue
      if (2 * nonNull >= rows.length && agree >= 0.9 * nonNull && total - agree <= 0.1 * total) return true
    }
    return false
  }
  const out: { column: string; values: number; rowCount: number; partners: string[] }[] = []
  table.columns.forEach((column, ci) => {
    if (column.kind === 'boolean') return
    const groups = new Map<number, number[]>()
    ;(codes[ci] as Int32Array).forEach((c, r) => {
      if (c >= 0) groups.set(c, [...(groups.get(c) ?? []), r])
    })
    let values = 0
    let rowCount = 0
    const hits = new Map<number, number>()
    for (const rows of groups.values()) {
      if (rows.length < 2 || rows.length > maxGroup) continue
      const found: number[] = []
      for (let di = 0; di < table.columns.length && found.length < minPartners; di++)
        if (di !== ci && repeats(di, rows)) found.push(di)
      if (found.length < minPartners) continue
      values++
      rowCount += rows.length
      for (const di of found) hits.set(di, (hits.get(di) ?? 0) + 1)
    }
    if (values === 0) return
    const partners = [...hits]
      .sort((a, b) => b[1] - a[1] || a[0] - b[0])
      .slice(0, 3)
      .map(([di]) => (table.columns[di] as Column).name)
    out.push({ column: column.name, values, rowCount, partners })
  })
  return out
}

function valueAt(c: Column, i: number): string | null {
  if (c.kind === 'categorical') {
    const code = c.codes[i] as number
    return code < 0 ? null : (c.dictionary[code] as string)
  }
  if (c.kind === 'text' || c.kind === 'id') return (c as { values: readonly (string | null)[] }).values[i] ?? null
  const { values, valid } = c as { values: ArrayLike<number>; valid: Uint8Array | null }
  return valid === null || valid[i] === 1 ? String(values[i]) : null
}

/** Columns of coarse random numbers (many small ties), some with nulls, and planted entities of 2–39 rows. */
function tiedTable(seed: number, width: number): Table {
  const random = createRandom(seed, 'tied-table')
  const n = 1000
  const columns: Column[] = []
  const entityOf = Int32Array.from({ length: n }, () => -1)
  let row = 0
  for (let e = 0; row < 500; e++) {
    const size = 2 + random.int(e % 2 === 0 ? 11 : 38)
    for (let i = 0; i < size && row < n; i++) entityOf[row++] = e
  }
  for (let j = 0; j < width; j++) {
    const entityColumn = j % 3 === 0
    const nullShare = j % 4 === 1 ? 0.15 : 0
    const values = new Float64Array(n)
    const valid = new Uint8Array(n).fill(1)
    for (let r = 0; r < n; r++) {
      const e = entityOf[r] as number
      values[r] =
        entityColumn && e >= 0 && random.uniform() > 0.05 ? 10_000 + e * 31 + j : random.int(j % 2 === 0 ? 300 : 40)
      if (random.uniform() < nullShare) valid[r] = 0
    }
    columns.push({ kind: 'numeric', name: `c${j}`, values, valid: nullShare > 0 ? valid : null })
  }
  columns.push({
    kind: 'boolean',
    name: 'flag',
    values: Uint8Array.from({ length: n }, () => random.int(2)),
    valid: null,
  })
  return tableFromColumns(columns)
}

describe('findQuasiIdentifiers on wide tables', () => {
  it('finds exactly what a scan of every column for every group finds (ties, nulls, entities of 2–39 rows)', () => {
    for (let seed = 1; seed <= 6; seed++) {
      // 70 columns: a wide table, whose codes are also read row-major.
      const table = tiedTable(seed, seed <= 3 ? 14 : 70)
      const found = findQuasiIdentifiers(table).map(({ column, values, rowCount, partners }) => ({
        column,
        values,
        rowCount,
        partners: [...partners],
      }))
      const expected = byDefinition(table)
      expect(expected.length).toBeGreaterThan(0)
      expect(found).toEqual(expected)
    }
  })
})
