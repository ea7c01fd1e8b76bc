import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { Table } from '@modelgate/core'
import { tableFromRows, tableToRows } from '@modelgate/core'
import type { CtganModel } from '@modelgate/synth'
import { fitCtgan, loadSynthModel } from '@modelgate/synth'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Rng } from '../src/ctgan/internal/Rng.js'
import { fitDataTransformer } from '../src/ctgan/internal/transformer/fitDataTransformer.js'
import type { DerivedSpec } from '../src/ctgan/internal/transformer/TransformerSpec.js'
import { modelFileOf, profileTrainingTable } from '../src/internal/profileTrainingTable.js'

// A feature-store-like table: a merchant code and its name (one-to-one), the merchant's sector (many-to-one),
// a risk flag of the sector, a column that is the sector but for one mistyped row, and unrelated columns.
const MERCHANTS = [
  ['M-01', 'Acme Air', 'travel'],
  ['M-02', 'Bluebird Rail', 'travel'],
  ['M-03', 'Corner Grocer', 'grocery'],
  ['M-04', 'Daily Fresh', 'grocery'],
  ['M-05', 'Eastside Market', 'grocery'],
  ['M-06', 'Fun Casino', 'gambling'],
  ['M-07', 'Golden Bets', 'gambling'],
  ['M-08', 'Hilltop Books', 'retail'],
  ['M-09', 'Ironworks', 'retail'],
  ['M-10', 'Juniper Toys', 'retail'],
] as const
const RISKY = new Set(['gambling', 'travel'])

function merchantTable(rows: number, seed: number): Table {
  const rng = new Rng([seed, 1, 2, 3])
  const out: Record<string, string | number | boolean>[] = []
  for (let i = 0; i < rows; i++) {
    // The last merchant is rare: 3 rows, fewer than k = 5, so neither its code nor its name is ever stored.
    const m = i < 3 ? MERCHANTS[9]! : MERCHANTS[Math.floor(rng.uniform() * 9)]!
    const [code, name, sector] = m
    out.push({
      merchant_code: code,
      sector,
      merchant: name,
      high_risk: RISKY.has(sector),
      sector_copy: i === 500 ? 'grocery' : sector,
      amount: Math.round(rng.uniform() * 50_000) / 100,
      weekend: rng.uniform() < 0.3,
    })
  }
  // Row 500's sector_copy is wrong (unless it was grocery already): make sure it differs.
  if (out[500]!.sector === 'grocery') out[500]!.sector_copy = 'retail'
  return tableFromRows(out)
}

const table = merchantTable(3000, 5)
const mapping = new Map(MERCHANTS.map(([code, name, sector]) => [code, { name, sector, risky: RISKY.has(sector) }]))

describe('derived discrete columns (a code and its name, a category and its group or flag)', () => {
  it('derives each column that follows another one from a learned column, never from a derived one', () => {
    const models = modelFileOf(profileTrainingTable(table, { k: 5 }), 'ctgan').columns
    const spec = fitDataTransformer(table, models, { minCount: 5 })
    const byName = new Map(spec.columns.map((c, i) => [c.name, { c, i }]))
    const derivedFrom = (name: string): string | null => {
      const c = byName.get(name)!.c
      return c.type === 'derived' ? spec.columns[c.from]!.name : null
    }
    // The earlier of the one-to-one pair stays learned; the many-to-one and the flag follow the code too.
    expect(derivedFrom('merchant_code')).toBeNull()
    expect(derivedFrom('merchant')).toBe('merchant_code')
    expect(derivedFrom('sector')).toBe('merchant_code')
    expect(derivedFrom('high_risk')).toBe('merchant_code')
    // One row breaks the function: learned as usual. Unrelated columns are learned.
    expect(byName.get('sector_copy')!.c.type).toBe('discrete')
    expect(byName.get('weekend')!.c.type).toBe('discrete')
    expect(byName.get('amount')!.c.type).toBe('continuous')
    for (const c of spec.columns) if (c.type === 'derived') expect(spec.columns[c.from]!.type).toBe('discrete')
    // The stored mapping: one name per stored code, and the rare merchant (3 rows) appears nowhere.
    const merchant = byName.get('merchant')!.c as DerivedSpec
    const source = spec.columns[merchant.from]
    if (source?.type !== 'discrete') throw new Error('merchant does not follow a discrete column')
    const codes = source.labels
    expect(codes).not.toContain('M-10')
    expect(merchant.values).toEqual(codes.map((code) => mapping.get(code as never)!.name))
    expect(JSON.stringify(spec)).not.toContain('Juniper Toys')
  })

  it('is not used when derivation is turned off', () => {
    const models = modelFileOf(profileTrainingTable(table, { k: 5 }), 'ctgan').columns
    const spec = fitDataTransformer(table, models, { minCount: 5, derive: false })
    expect(spec.columns.filter((c) => c.type === 'derived')).toEqual([])
  })
})

describe('CTGAN with derived discrete columns', () => {
  let model: CtganModel
  let dir: string
  beforeAll(async () => {
    model = await fitCtgan(table, { epochs: 2, seed: 3, batchSize: 500, k: 5 })
    dir = await mkdtemp(path.join(tmpdir(), 'mg-ctgan-derived-'))
  })
  afterAll(async () => {
    model?.dispose()
    await rm(dir, { recursive: true, force: true })
  })

  function expectConsistent(rows: readonly Record<string, unknown>[]): void {
    for (const row of rows) {
      const m = mapping.get(row.merchant_code as never)
      expect(m, String(row.merchant_code)).toBeDefined()
      expect([row.merchant, row.sector, row.high_risk]).toEqual([m!.name, m!.sector, m!.risky])
    }
  }

  it('generates rows whose code, name, sector and flag always agree as in the data, and never the rare merchant', () => {
    const rows = tableToRows(model.sample(3000, { seed: 1 }))
    expectConsistent(rows)
    expect(rows.some((r) => r.merchant_code === 'M-10' || r.merchant === 'Juniper Toys')).toBe(false)
    // Still generated from the learned code: all nine stored merchants appear.
    expect(new Set(rows.map((r) => r.merchant)).size).toBe(9)
  })

  it('honours a condition on a derived column, whether one code or several give its value', () => {
    const acme = tableToRows(model.sample(200, { seed: 2, where: { merchant: 'Acme Air' } }))
    expect(acme).toHaveLength(200)
    expect(new Set(acme.map((r) => r.merchant_code))).toEqual(new Set(['M-01']))
    const grocery = tableToRows(model.sample(300, { seed: 3, where: { sector: 'grocery' } }))
    expect(grocery).toHaveLength(300)
    expectConsistent(grocery)
    expect(new Set(grocery.map((r) => r.sector))).toEqual(new Set(['grocery']))
    expect(new Set(grocery.map((r) => r.merchant_code))).toEqual(new Set(['M-03', 'M-04', 'M-05']))
    const risky = tableToRows(model.sample(300, { seed: 4, where: { high_risk: true } }))
    expect(risky.every((r) => r.high_risk === true && RISKY.has(r.sector as string))).toBe(true)
    expect(() => model.sample(10, { where: { sector: 'pharmacy' } })).toThrow(/never takes this value/)
  })

  it('keeps the mapping through a saved model file', async () => {
    const file = path.join(dir, 'merchants.json')
    await model.save(file)
    const loaded = await loadSynthModel(file)
    try {
      const rows = tableToRows(loaded.sample(1000, { seed: 5 }))
      expectConsistent(rows)
      expect(rows).toEqual(tableToRows(model.sample(1000, { seed: 5 })))
    } finally {
      loaded.dispose()
    }
  })
})
