import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { gateConfigJsonSchema, loadGateConfig } from '../src/index.js'

const example = (file: string): string =>
  fileURLToPath(new URL(`../../../examples/fraud-detection/${file}`, import.meta.url))

describe('the published config format', () => {
  it('examples/fraud-detection/modelgate.schema.json is the JSON Schema of the zod schema (regenerate with scripts/writeConfigSchema.ts)', async () => {
    const published = JSON.parse(await readFile(example('modelgate.schema.json'), 'utf8'))
    expect(published).toEqual(gateConfigJsonSchema())
  })

  it('the example config loads: every check with its id, blocking flag and timeout', async () => {
    const config = await loadGateConfig(example('modelgate.yaml'))
    expect(config.checks.map((c) => [c.id, c.type, c.blocking, c.timeoutMs])).toEqual([
      ['synth', 'synth', false, 60_000],
      ['contracts', 'contracts', true, 60_000],
      ['expectations', 'expectations', true, 30_000],
      ['skew', 'skew', true, 60_000],
      ['drift', 'drift', true, 30_000],
      ['load', 'load', false, 30_000],
      ['shadow', 'shadow', false, 30_000],
    ])
  })
})
