import type { Column, Table } from '@modelgate/core'
import { loadSynthModel, trainSynthesizer } from '@modelgate/synth'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'

/** Random small tables: numeric/integer/categorical/boolean columns with nulls, ties, constants and tiny sizes. */
const tableArbitrary = fc.integer({ min: 1, max: 300 }).chain((n) =>
  fc
    .array(
      fc.record({
        kind: fc.constantFrom('numeric', 'integer', 'categorical', 'boolean'),
        nullShare: fc.constantFrom(0, 0, 0.1, 0.5, 1),
        distinct: fc.integer({ min: 1, max: 40 }),
        seed: fc.integer({ min: 1, max: 1_000_000 }),
      }),
      { minLength: 1, maxLength: 5 },
    )
    .map((specs): Table => {
      const columns: Column[] = specs.map((spec, j) => {
        let s = spec.seed
        const next = (): number => {
          s = (Math.imul(s, 1103515245) + 12345) >>> 0
          return s / 4294967296
        }
        const isNull = Array.from({ length: n }, () => next() < spec.nullShare)
        const name = `c${j}`
        if (spec.kind === 'categorical') {
          const dictionary = Array.from({ length: spec.distinct }, (_, i) => `v${i}`)
          return {
            kind: 'categorical',
            name,
            dictionary,
            codes: Int32Array.from(isNull, (nul) => (nul ? -1 : Math.floor(next() ** 2 * spec.distinct))),
          }
        }
        const valid = Uint8Array.from(isNull, (nul) => (nul ? 0 : 1))
        if (spec.kind === 'boolean')
          return { kind: 'boolean', name, values: Uint8Array.from(isNull, () => (next() < 0.3 ? 1 : 0)), valid }
        const values = Float64Array.from(isNull, () => {
          const x = Math.floor(next() * spec.distinct) * 3.5 + (spec.kind === 'numeric' ? next() : 0)
          return spec.kind === 'integer' ? Math.round(x) : x
        })
        return { kind: spec.kind, name, values, valid }
      })
      return { numRows: n, columns }
    }),
)

describe('invariants on random tables', () => {
  it('always yields exactly n rows, inside the learned bounds and categories, reproducibly, through a JSON round trip', async () => {
    await fc.assert(
      fc.asyncProperty(tableArbitrary, fc.integer({ min: 0, max: 2000 }), async (table, rows) => {
        const model = await trainSynthesizer(table, { seed: 1, detectPii: false })
        const loaded = await loadSynthModel(JSON.stringify(model.toJSON()))
        const out = loaded.sample(rows, { seed: 3, chunkRows: 700 })
        expect(out.numRows).toBe(rows)
        expect(
          JSON.stringify(
            model
              .sample(rows, { seed: 3, chunkRows: 700 })
              .columns.map((c) => ('codes' in c ? Array.from(c.codes) : Array.from(c.values as ArrayLike<unknown>))),
          ),
        ).toBe(
          JSON.stringify(
            out.columns.map((c) => ('codes' in c ? Array.from(c.codes) : Array.from(c.values as ArrayLike<unknown>))),
          ),
        )
        table.columns.forEach((real, j) => {
          const synth = out.columns[j] as Column
          if (real.kind === 'numeric' || real.kind === 'integer') {
            if (synth.kind !== real.kind) throw new Error(`kind ${synth.kind}`)
            const present = real.values.filter((_, i) => real.valid === null || real.valid[i] === 1)
            const produced = synth.values.filter((_, i) => synth.valid === null || synth.valid[i] === 1)
            if (present.length === 0) expect(produced.length).toBe(0)
            for (const v of produced) {
              expect(v).toBeGreaterThanOrEqual(Math.min(...present))
              expect(v).toBeLessThanOrEqual(Math.max(...present))
              if (real.kind === 'integer') expect(Number.isInteger(v)).toBe(true)
            }
          } else if (real.kind === 'categorical') {
            const counts = new Map<number, number>()
            for (const c of real.codes) if (c >= 0) counts.set(c, (counts.get(c) ?? 0) + 1)
            const frequent = new Set([...counts].filter(([, c]) => c >= 5).map(([code]) => real.dictionary[code]))
            if (synth.kind === 'text') {
              // Regenerated in its shape (values seen ≥ 5 times cover less than half of it): no real value comes out.
              let repeated = 0
              let present = 0
              for (const [, c] of counts) {
                present += c
                if (c >= 5) repeated += c
              }
              expect(repeated).toBeLessThan(0.5 * present)
              const seen = new Set([...counts.keys()].map((code) => real.dictionary[code]))
              for (const v of synth.values) if (v !== null) expect(seen.has(v)).toBe(false)
            } else {
              if (synth.kind !== 'categorical') throw new Error(`kind ${synth.kind}`)
              for (const c of synth.codes) if (c >= 0) expect(frequent.has(synth.dictionary[c])).toBe(true)
            }
          }
        })
      }),
      { numRuns: 40, seed: 20261125 },
    )
  })

  it('conditions on any stored category or point mass: exactly n rows, all matching', async () => {
    await fc.assert(
      fc.asyncProperty(tableArbitrary, fc.integer({ min: 1, max: 1500 }), async (table, rows) => {
        const model = await trainSynthesizer(table, { seed: 2, detectPii: false })
        for (const column of model.toJSON().columns) {
          let value: string | number | undefined
          if (column.kind === 'categorical' && column.nullRate < 1)
            value = column.categories.find((c) => c.p > 0)?.value
          if ((column.kind === 'numeric' || column.kind === 'integer') && column.nullRate < 1)
            value = column.spikes.find((x) => x.p > 0)?.value
          if (value === undefined) continue
          const out = model.sample(rows, { seed: 4, where: { [column.name]: value }, chunkRows: 500 })
          expect(out.numRows).toBe(rows)
          const c = out.columns.find((x) => x.name === column.name) as Column
          if (c.kind === 'categorical')
            expect(Array.from(c.codes).every((code) => c.dictionary[code] === value)).toBe(true)
          else if (c.kind === 'numeric' || c.kind === 'integer')
            expect(Array.from(c.values).every((v, i) => v === value && (c.valid === null || c.valid[i] === 1))).toBe(
              true,
            )
        }
      }),
      { numRuns: 30, seed: 20261126 },
    )
  })
})
