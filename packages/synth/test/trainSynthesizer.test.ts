import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { Table } from '@modelgate/core'
import { luhnValid, readTable } from '@modelgate/core'
import type { SynthModel } from '@modelgate/synth'
import { trainSynthesizer, writeSynthetic } from '@modelgate/synth'
import { beforeAll, describe, expect, it } from 'vitest'
import { column, textValues, transactionsPath } from './helpers.js'

const PII = {
  transaction_id: 'id',
  email: 'email',
  phone: 'phone',
  ip: 'ip_address',
  device_id: 'device_id',
  card_number: 'card_number',
} as const

let real: Table
let model: SynthModel
beforeAll(async () => {
  real = await readTable(transactionsPath)
  model = await trainSynthesizer(real, { seed: 11, pii: { transaction_id: 'id' } })
})

describe('privacy of the model file and the output', () => {
  it('never writes a raw PII value or a category seen fewer than 5 times into the model file', async () => {
    const json = JSON.stringify(model.toJSON())
    for (const name of Object.keys(PII)) {
      for (const value of textValues(column(real, name)))
        expect(json.includes(value), `${name} value leaked`).toBe(false)
    }
    const counts = new Map<string, number>()
    for (const v of textValues(column(real, 'merchant_category'))) counts.set(v, (counts.get(v) ?? 0) + 1)
    const rare = [...counts].filter(([, c]) => c < 5).map(([v]) => v)
    expect(rare.length).toBeGreaterThan(0)
    for (const v of rare) expect(json.includes(v)).toBe(false)
  })

  it('never stores the exact extreme value of a numeric or datetime column held by fewer than 5 rows', () => {
    const file = model.toJSON()
    // Every number a column model holds that could be a data value (not shares, fit statistics or settings).
    const storedValues = (node: unknown, key = ''): number[] => {
      if (typeof node === 'number')
        return ['nullRate', 'p', 'weight', 'ks', 'decimals', 'roundTo'].includes(key) ? [] : [node]
      if (Array.isArray(node)) return node.flatMap((x) => storedValues(x, key))
      if (node !== null && typeof node === 'object') return Object.entries(node).flatMap(([k, v]) => storedValues(v, k))
      return []
    }
    let checked = 0
    for (const c of real.columns) {
      if (c.kind !== 'numeric' && c.kind !== 'integer' && c.kind !== 'datetime') continue
      const stored = new Set(storedValues(file.columns.find((m) => m.name === c.name)))
      const values = Array.from(c.values).filter((_, i) => c.valid === null || c.valid[i] === 1)
      for (const extreme of [Math.min(...values), Math.max(...values)]) {
        if (values.filter((v) => v === extreme).length >= 5) continue
        checked++
        expect(stored.has(extreme), `${c.name} extreme ${extreme} stored`).toBe(false)
      }
    }
    expect(checked).toBeGreaterThanOrEqual(5)
  })

  it('auto-flags PII columns by name and value shape when no schema is given, storing only their type', () => {
    const byName = new Map(model.toJSON().columns.map((c) => [c.name, c]))
    for (const [name, type] of Object.entries(PII)) expect(byName.get(name)).toMatchObject({ kind: 'pii', pii: type })
  })

  it('generates output that contains no training PII value and no rare category', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'mg-synth-'))
    try {
      const out = path.join(dir, 'synthetic.csv')
      await writeSynthetic(model, { rows: 5000, out, seed: 3 })
      const text = await readFile(out, 'utf8')
      const cells = new Set(text.split(/[,\n"]/))
      for (const name of Object.keys(PII)) {
        for (const value of textValues(column(real, name)))
          expect(cells.has(value), `${name} value ${value} leaked`).toBe(false)
      }
      expect(text.includes('rare-merchant-')).toBe(false)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('regenerates PII in the right format: emails, Luhn-valid card numbers, ids unique across chunks', () => {
    const synthetic = model.sample(3000, { seed: 5, chunkRows: 700 })
    const emails = textValues(column(synthetic, 'email'))
    expect(emails.every((e) => /^[^@\s]+@[^@\s]+\.[a-z]+$/.test(e))).toBe(true)
    // card numbers are Luhn-valid once their separators are removed
    for (const card of textValues(column(synthetic, 'card_number'))) {
      const digits = card.replace(/\D/g, '')
      expect(digits.length >= 12 && luhnValid(digits), card).toBe(true)
    }
    // Reserved spaces: never a real host or subscriber.
    expect(
      textValues(column(synthetic, 'ip')).every((ip) =>
        /^(198\.1[89]\.\d{1,3}|192\.0\.2|198\.51\.100|203\.0\.113)\.\d{1,3}$/.test(ip),
      ),
    ).toBe(true)
    expect(textValues(column(synthetic, 'phone')).every((p) => /^\+1 \(\d{3}\) 555-01\d\d$/.test(p))).toBe(true)
    expect(emails.every((e) => /@example\.(com|net|org)$/.test(e))).toBe(true)
    const ids = textValues(column(synthetic, 'transaction_id'))
    expect(new Set(ids).size).toBe(3000)
    expect(column(synthetic, 'transaction_id').kind).toBe('id')
  })
})

describe('reproducibility', () => {
  it('gives identical rows for the same seed and different rows for another seed', () => {
    const a = model.sample(2000, { seed: 42 })
    const b = model.sample(2000, { seed: 42 })
    const c = model.sample(2000, { seed: 43 })
    expect(textValues(column(a, 'amount'))).toEqual(textValues(column(b, 'amount')))
    expect(textValues(column(a, 'email'))).toEqual(textValues(column(b, 'email')))
    expect(textValues(column(a, 'amount'))).not.toEqual(textValues(column(c, 'amount')))
  })

  it('fits the same model file from the same seed', async () => {
    const again = await trainSynthesizer(real, { seed: 11, pii: { transaction_id: 'id' } })
    expect(JSON.stringify(again.toJSON())).toBe(JSON.stringify(model.toJSON()))
  })

  it('streams the same rows that sample returns, in bounded chunks', async () => {
    const whole = model.sample(10_000, { seed: 9, chunkRows: 3000 })
    const parts: number[] = []
    const amounts: string[] = []
    for await (const chunk of model.stream(10_000, { seed: 9, chunkRows: 3000 })) {
      parts.push(chunk.numRows)
      amounts.push(...textValues(column(chunk, 'amount')))
    }
    expect(parts).toEqual([3000, 3000, 3000, 1000])
    expect(amounts).toEqual(textValues(column(whole, 'amount')))
  })
})

describe('fidelity to the training data', () => {
  it('keeps every value inside the learned bounds and every category among the kept ones', () => {
    const synthetic = model.sample(20_000, { seed: 1 })
    for (const name of ['amount', 'account_age_days', 'refund_amount']) {
      const r = textValues(column(real, name)).map(Number)
      const s = textValues(column(synthetic, name)).map(Number)
      expect(Math.min(...s)).toBeGreaterThanOrEqual(Math.min(...r))
      expect(Math.max(...s)).toBeLessThanOrEqual(Math.max(...r))
    }
    expect(textValues(column(synthetic, 'account_age_days')).every((v) => Number.isInteger(Number(v)))).toBe(true)
    const allowed = new Set(['grocery', 'fuel', 'restaurants', 'electronics', 'travel', 'gaming', 'pharmacy'])
    expect(textValues(column(synthetic, 'merchant_category')).every((v) => allowed.has(v))).toBe(true)
  })

  it('reproduces zero-inflation (a point mass) and the null rate of a column', () => {
    const synthetic = model.sample(20_000, { seed: 2 })
    const share = (t: Table, f: (v: string) => boolean, name: string): number =>
      textValues(column(t, name)).filter(f).length / t.numRows
    expect(share(synthetic, (v) => v === '0', 'refund_amount')).toBeCloseTo(
      share(real, (v) => v === '0', 'refund_amount'),
      1,
    )
    const nullRate = (t: Table): number => 1 - textValues(column(t, 'country')).length / t.numRows
    expect(Math.abs(nullRate(synthetic) - nullRate(real))).toBeLessThan(0.01)
  })

  it('keeps datetimes inside the learned range, at the learned resolution (seconds)', () => {
    const synthetic = model.sample(5000, { seed: 6 })
    const c = column(synthetic, 'created_at')
    const r = column(real, 'created_at')
    if (c.kind !== 'datetime' || r.kind !== 'datetime') throw new Error('expected datetime columns')
    const lo = Math.min(...r.values)
    const hi = Math.max(...r.values)
    expect(c.values.every((v) => v >= lo && v <= hi && v % 1000 === 0)).toBe(true)
  })

  it('collapses rare categories into one bucket with rareCategories: other, naming none of them', async () => {
    const other = await trainSynthesizer(real, { seed: 1, pii: { transaction_id: 'id' }, rareCategories: 'other' })
    const json = JSON.stringify(other.toJSON())
    expect(json.includes('rare-merchant-')).toBe(false)
    const cats = textValues(column(other.sample(20_000, { seed: 1 }), 'merchant_category'))
    const share = cats.filter((v) => v === '__other__').length / cats.length
    expect(share).toBeGreaterThan(0)
    expect(share).toBeLessThan(0.005)
  })

  it('clips to schema bounds tighter than the data', async () => {
    const bounded = await trainSynthesizer(real, {
      seed: 1,
      schema: {
        version: 1,
        columns: [
          { name: 'amount', kind: 'numeric', nullable: false, min: 5, max: 500 },
          { name: 'transaction_id', kind: 'id', nullable: false },
        ],
      },
    })
    const amounts = textValues(column(bounded.sample(5000, { seed: 1 }), 'amount')).map(Number)
    expect(Math.min(...amounts)).toBeGreaterThanOrEqual(5)
    expect(Math.max(...amounts)).toBeLessThanOrEqual(500)
  })
})
