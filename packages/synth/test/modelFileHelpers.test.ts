import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { tableFromRows } from '@modelgate/core'
import {
  describeModel,
  loadSynthModel,
  renderModelDescription,
  sampleSynthModel,
  trainSynthesizer,
} from '@modelgate/synth'
import { afterAll, describe, expect, it } from 'vitest'

const dir = mkdtempSync(join(tmpdir(), 'mg-synth-file-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const table = tableFromRows(
  Array.from({ length: 400 }, (_, i) => ({
    amount: Math.round(((i * 37) % 101) * 1.7 * 100) / 100,
    plan: ['free', 'pro', 'team'][i % 3] as string,
    active: i % 4 !== 0,
  })),
)

describe('SynthModel.save, sampleSynthModel, describeModel', () => {
  it('saves a copula model atomically, and samples the saved file like the model itself', async () => {
    const model = await trainSynthesizer(table, { seed: 3 })
    const path = join(dir, 'model.json')
    await model.save(path)
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual(model.toJSON())
    const rows = await sampleSynthModel(path, 50, { seed: 9 })
    expect(rows).toEqual(model.sample(50, { seed: 9 }))
  })

  it('describes a model file: header, one line per column, the strongest correlations', async () => {
    const model = await loadSynthModel(join(dir, 'model.json'))
    const description = describeModel(model.toJSON())
    expect(description.header).toMatchObject({ format: 'modelgate-synth', synthesizer: 'copula', trainingRows: 400 })
    expect(description.columns.map((c) => c.name)).toEqual(model.columnNames)
    expect(description.ctgan).toBeUndefined()
    const text = renderModelDescription(description, { name: 'model.json', bytes: 2048 })
    expect(text.split('\n')[0]).toBe('model.json: modelgate-synth v1, copula synthesizer, 2.0 KB')
    expect(text).toContain('Gaussian copula:')
  })
})
