import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { loadMonitorConfig, monitorConfigJsonSchema } from '@modelgate/monitor'
import { describe, expect, it } from 'vitest'

const examples = resolve(__dirname, '../../../examples/monitor')

describe('monitor.yaml', () => {
  it('loads the example config, grammar fields parsed', async () => {
    const config = await loadMonitorConfig(resolve(examples, 'monitor.yaml'), 'monitor.yaml')
    expect(config).toMatchObject({
      version: 1,
      window: 60_000,
      lateness: 5_000,
      slo: { metric: 'p99', threshold: 100 },
    })
    expect(config.rules?.[0]).toMatchObject({
      name: 'fingerprint-nulls',
      feature: 'device_fingerprint',
      cooldown: 600_000,
    })
  })

  it('ships the JSON Schema generated from the zod schema', () => {
    const shipped = JSON.parse(readFileSync(resolve(examples, 'monitor.schema.json'), 'utf8')) as unknown
    expect(shipped).toEqual(monitorConfigJsonSchema())
  })
})
