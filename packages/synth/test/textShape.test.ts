import type { Table } from '@modelgate/core'
import { createRandom } from '@modelgate/core'
import { describe, expect, it } from 'vitest'
import { type SynthError, trainSynthesizer } from '../src/index.js'
import { column, textValues } from './helpers.js'

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'
const WORDS = ['the', 'night', 'of', 'river', 'last', 'king', 'a', 'story', 'blue', 'house', 'return', 'and', 'dark']

/** 2,000 distinct airport-style codes (of 17,576 possible), ids like PT-004711, titles of 1–6 words, a category. */
function codesTable(rows = 2000): Table {
  const random = createRandom(42)
  const codes = new Set<string>()
  while (codes.size < rows) codes.add(Array.from({ length: 3 }, () => UPPER[random.int(26)]).join(''))
  const ids = new Set<string>()
  while (ids.size < rows) ids.add(`PT-${String(random.int(1_000_000)).padStart(6, '0')}`)
  const titles: string[] = []
  for (let i = 0; i < rows; i++) {
    const words = Array.from({ length: 1 + random.int(6) }, () => WORDS[random.int(WORDS.length)] as string)
    titles.push(
      `${words.map((w, j) => (j === 0 || random.uniform() < 0.5 ? w[0]?.toUpperCase() + w.slice(1) : w)).join(' ')} ${i}`,
    )
  }
  const region = Array.from({ length: rows }, () => random.int(4))
  return {
    numRows: rows,
    columns: [
      { kind: 'text', name: 'iata', values: [...codes] },
      { kind: 'id', name: 'patient_ref', values: [...ids] },
      { kind: 'text', name: 'title', values: titles },
      {
        kind: 'categorical',
        name: 'region',
        codes: Int32Array.from(region),
        dictionary: ['north', 'south', 'east', 'west'],
      },
    ],
  }
}

function stringLeaves(x: unknown, out: string[] = []): string[] {
  if (typeof x === 'string') out.push(x)
  else if (Array.isArray(x)) for (const v of x) stringLeaves(v, out)
  else if (x !== null && typeof x === 'object') for (const v of Object.values(x)) stringLeaves(v, out)
  return out
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1] as number

describe('text and id columns without flags', () => {
  const real = codesTable()
  const training = {
    iata: new Set(textValues(column(real, 'iata'))),
    patient_ref: new Set(textValues(column(real, 'patient_ref'))),
    title: new Set(textValues(column(real, 'title'))),
  }

  for (const synthesizer of ['copula', 'ctgan'] as const) {
    it(`${synthesizer}: regenerates codes, ids and free text in their shape, never a training value`, async () => {
      const model = await trainSynthesizer(real, {
        seed: 5,
        synthesizer,
        ...(synthesizer === 'ctgan' ? { ctgan: { epochs: 1, backend: 'onnxruntime', threads: 1 } } : {}),
      })
      const file = model.toJSON()
      expect(file.columns.map((c) => [c.name, c.kind])).toEqual([
        ['iata', 'text'],
        ['patient_ref', 'text'],
        ['title', 'text'],
        ['region', 'categorical'],
      ])
      // The model file holds no training value (scanned over every string in it).
      const leaves = new Set(stringLeaves(file))
      for (const values of Object.values(training)) for (const v of values) expect(leaves.has(v)).toBe(false)

      const synthetic = await model.sample(3000, { seed: 9 })
      const iata = textValues(column(synthetic, 'iata'))
      expect(iata).toHaveLength(3000)
      for (const v of iata) expect(v).toMatch(/^[A-Z]{3}$/)
      expect(iata.filter((v) => training.iata.has(v))).toEqual([])
      expect(new Set(iata).size).toBeGreaterThan(50)

      const refs = textValues(column(synthetic, 'patient_ref'))
      expect(column(synthetic, 'patient_ref').kind).toBe('id')
      for (const v of refs) expect(v).toMatch(/^PT-\d{6}$/)
      expect(new Set(refs).size).toBe(refs.length)
      expect(refs.filter((v) => training.patient_ref.has(v))).toEqual([])

      const titles = textValues(column(synthetic, 'title'))
      expect(titles.filter((v) => training.title.has(v))).toEqual([])
      const realLengths = [...training.title].map((t) => t.length)
      const synthLengths = titles.map((t) => t.length)
      expect(Math.abs(median(synthLengths) - median(realLengths))).toBeLessThanOrEqual(0.15 * median(realLengths))
      // Character classes: letters, spaces and digits as in the titles, no punctuation the data never had.
      for (const t of titles) expect(t).toMatch(/^[A-Za-z0-9 ]+$/)
      expect(titles.filter((t) => /^[A-Z]/.test(t)).length).toBeGreaterThan(0.9 * titles.length)
    })
  }

  it('ids stay unique across chunks and shards of one generation', async () => {
    const model = await trainSynthesizer(real, { seed: 1 })
    const a = await model.sample(2500, { seed: 3, chunkRows: 700 })
    const refs = textValues(column(a, 'patient_ref'))
    expect(new Set(refs).size).toBe(2500)
  })

  it('finds room for new ids when the data fills its shape (sequential ids tx-100000 … tx-104999)', async () => {
    const ids = Array.from({ length: 5000 }, (_, i) => `tx-${100000 + i}`)
    const model = await trainSynthesizer({ numRows: 5000, columns: [{ kind: 'id', name: 'tx', values: ids }] }, {})
    expect(model.toJSON().columns[0]).toMatchObject({ kind: 'text', shape: { mode: 'patterns' } })
    const out = textValues(column(model.sample(5000, { seed: 1 }), 'tx'))
    for (const v of out) expect(v).toMatch(/^tx-\d{6}$/)
    expect(new Set(out).size).toBe(5000)
    const real = new Set(ids)
    expect(out.filter((v) => real.has(v))).toEqual([])
  })

  it('writes non-ASCII text with the letters the data uses, and copes with a column of three values', async () => {
    const random = createRandom(8)
    const words = ['Österreichische', 'Bundesliga', 'Wien', 'Salzburg', 'Rapid', 'Sturm', 'Graz', 'Grödig', 'Ried']
    const names = Array.from(
      { length: 600 },
      (_, i) => `${words[random.int(words.length)]} ${words[random.int(words.length)]} ${i}`,
    )
    const model = await trainSynthesizer(
      {
        numRows: 603,
        columns: [{ kind: 'text', name: 'team', values: [...names, 'Ä', 'Ö', 'Ü'] }],
      },
      { seed: 2, detectPii: false },
    )
    const out = textValues(column(model.sample(2000, { seed: 4 }), 'team'))
    const real = new Set([...names, 'Ä', 'Ö', 'Ü'])
    expect(out.filter((v) => real.has(v))).toEqual([])
    // Ö is seen ≥ 5 times in the data, so it can appear; Ä and Ü (once each) never do.
    expect(out.some((v) => v.includes('Ö'))).toBe(true)
    expect(out.some((v) => v.includes('Ä') || v.includes('Ü'))).toBe(false)

    const tiny = await trainSynthesizer(
      { numRows: 3, columns: [{ kind: 'text', name: 'note', values: ['alpha', 'beta', 'gamma'] }] },
      { seed: 1, detectPii: false },
    )
    const notes = textValues(column(tiny.sample(50, { seed: 1 }), 'note'))
    expect(notes).toHaveLength(50)
    expect(notes.filter((v) => ['alpha', 'beta', 'gamma'].includes(v))).toEqual([])
    expect(JSON.stringify(tiny.toJSON())).not.toMatch(/alpha|beta|gamma/)
  })

  it('keeps the explosion error for a column the schema declares categorical', async () => {
    await expect(
      trainSynthesizer(real, {
        schema: { version: 1, columns: [{ name: 'iata', kind: 'categorical', nullable: false }] },
      }),
    ).rejects.toMatchObject({ code: 'MG_SYNTH_CATEGORY_EXPLOSION' } satisfies Partial<SynthError>)
  })

  it('learns a text column whose values repeat as a categorical', async () => {
    const random = createRandom(3)
    const cities = ['Lisbon', 'Porto', 'Faro', 'Braga', 'Coimbra']
    const values = Array.from({ length: 400 }, (_, i) =>
      i % 10 === 0 ? `Village ${i}` : (cities[random.int(5)] as string),
    )
    const model = await trainSynthesizer(
      { numRows: 400, columns: [{ kind: 'text', name: 'city', values }] },
      { seed: 1 },
    )
    const city = model.toJSON().columns[0]
    expect(city).toMatchObject({ kind: 'categorical', rare: { mode: 'drop', share: 0.1 } })
  })
})
