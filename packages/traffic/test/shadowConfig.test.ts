import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { loadShadowConfig, shadowConfigJsonSchema } from '@modelgate/traffic'
import { afterAll, describe, expect, it } from 'vitest'

const examples = resolve(__dirname, '../../../examples/shadow')
const dir = mkdtempSync(join(tmpdir(), 'modelgate-shadow-config-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('shadow.yaml', () => {
  it('loads the example config, grammar fields parsed', async () => {
    const config = await loadShadowConfig(resolve(examples, 'shadow.yaml'), 'shadow.yaml')
    expect(config).toMatchObject({
      version: 1,
      listen: ':8080',
      sample: 1,
      mirrorPaths: ['/predict', '/v1/models/*'],
      timeout: 2_000,
      primaryTimeout: 30_000,
      labels: ['decision'],
    })
  })

  it('ships the JSON Schema generated from the zod schema', () => {
    const shipped = JSON.parse(readFileSync(resolve(examples, 'shadow.schema.json'), 'utf8')) as unknown
    expect(shipped).toEqual(shadowConfigJsonSchema())
  })

  it('names the file, line and key of a bad value', async () => {
    writeFileSync(join(dir, 'bad.yaml'), 'version: 1\nprimary: http://a\ntimeout: 2\n')
    await expect(loadShadowConfig(join(dir, 'bad.yaml'), 'bad.yaml')).rejects.toThrow(/bad\.yaml, line 3, timeout/)
  })
})
