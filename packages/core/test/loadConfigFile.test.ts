import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  configJsonSchema,
  durationSchema,
  loadConfigFile,
  ModelGateError,
  percentSchema,
  sloSchema,
} from '@modelgate/core'
import { Ajv } from 'ajv'
import { afterAll, describe, expect, it } from 'vitest'
import { z } from 'zod'

const dir = mkdtempSync(join(tmpdir(), 'mg-config-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const monitorConfig = z
  .object({
    version: z.literal(1),
    name: z.string().min(1),
    window: durationSchema,
    rules: z.array(
      z
        .object({
          feature: z.string(),
          test: z.enum(['psi', 'ks', 'null_rate']),
          threshold: z.number().min(0),
          maxNullRate: percentSchema.optional(),
        })
        .strict(),
    ),
    slo: z.array(sloSchema).default([]),
  })
  .strict()

function file(name: string, text: string): string {
  const path = join(dir, name)
  writeFileSync(path, text)
  return path
}

async function failure(path: string): Promise<string> {
  const error = await loadConfigFile(path, monitorConfig, { displayName: path.slice(dir.length + 1) }).catch(
    (e: unknown) => e,
  )
  if (!(error instanceof ModelGateError)) throw new Error(`expected a ModelGateError, got ${String(error)}`)
  return `${error.code} (exit ${error.exitCode}): ${error.message}`
}

const good = `# monitor
version: 1
name: fraud
window: 5m
rules:
  - feature: amount
    test: psi
    threshold: 0.2
  - feature: device_fingerprint
    test: null_rate
    threshold: 0
    maxNullRate: 5%
slo:
  - p99<100ms over 1m
`

describe('loadConfigFile', () => {
  it('reads YAML into the typed value, grammar fields parsed', async () => {
    const config = await loadConfigFile(file('good.yaml', good), monitorConfig)
    expect(config.window).toBe(300_000)
    expect(config.rules[1]?.maxNullRate).toBe(0.05)
    expect(config.slo[0]).toMatchObject({ metric: 'p99', threshold: 100, windowMs: 60_000 })
  })

  it('reads the same config as JSON', async () => {
    const json = {
      version: 1,
      name: 'fraud',
      window: '5m',
      rules: [{ feature: 'amount', test: 'psi', threshold: 0.2 }],
    }
    const config = await loadConfigFile(file('good.json', JSON.stringify(json, null, '\t')), monitorConfig)
    expect(config).toEqual({ ...json, window: 300_000, slo: [] })
  })

  it('names the file, the line and the key path of a wrong value', async () => {
    const text = good.replace('threshold: 0.2', 'threshold: x')
    expect(await failure(file('monitor.yaml', text))).toMatchInlineSnapshot(
      `"MG_CONFIG_INVALID (exit 2): monitor.yaml, line 8, rules[0].threshold: expected a number, got "x""`,
    )
  })

  it('lists every problem, one line each: missing keys, unknown keys, enums, grammar, bounds', async () => {
    const text = `version: 2
window: 60
rules:
  - feature: amount
    test: chi2
    threshold: -1
    treshold: 0.1
slo: [p99<1OOms]
`
    expect(await failure(file('many.yml', text))).toMatchInlineSnapshot(`
      "MG_CONFIG_INVALID (exit 2): many.yml, line 1, version: expected 1, got 2
      many.yml, line 1, name: missing (expected a string)
      many.yml, line 2, window: Duration "60": add a unit, e.g. 60s or 60ms
      many.yml, line 5, rules[0].test: expected one of "psi", "ks", "null_rate", got "chi2"
      many.yml, line 6, rules[0].threshold: expected a number ≥ 0, got -1
      many.yml, line 7, rules[0]: unknown key "treshold"
      many.yml, line 8, slo[0]: SLO "p99<1OOms": "1OOms" is not a latency: a number with us, ms or s; expected <metric> <op> <value> [over <duration>], e.g. p99<100ms, p(99)<100, mean<=50ms, errors<1%, rate>=500/s over 5m (metrics p50 p90 p95 p99 p99.9 max mean min errors rate; ops < <= > >=)"
    `)
  })

  it('locates problems in a JSON file by line too', async () => {
    const text =
      '{\n  "version": 1,\n  "name": "fraud",\n  "window": "5m",\n  "rules": [\n    { "feature": "a", "test": "psi", "threshold": "high" }\n  ]\n}\n'
    expect(await failure(file('monitor.json', text))).toMatchInlineSnapshot(
      `"MG_CONFIG_INVALID (exit 2): monitor.json, line 6, rules[0].threshold: expected a number, got "high""`,
    )
  })

  it('reports YAML and JSON syntax errors with their line', async () => {
    expect(await failure(file('broken.yaml', 'version: 1\nrules:\n  - feature: [a\n'))).toMatch(
      /^MG_CONFIG_INVALID \(exit 2\): broken\.yaml, line \d: not valid YAML \(.+\)$/,
    )
    expect(await failure(file('dup.yaml', 'version: 1\nversion: 1\n'))).toMatch(
      /^MG_CONFIG_INVALID \(exit 2\): dup\.yaml, line 2: not valid YAML \(Map keys must be unique/,
    )
    expect(await failure(file('broken.json', '{\n  "version": 1,\n  "name": "x"\n  "window": "5m"\n}\n'))).toMatch(
      /^MG_CONFIG_INVALID \(exit 2\): broken\.json, line 4: not valid JSON \(.+\)$/,
    )
  })

  it('says what is wrong with an empty file', async () => {
    expect(await failure(file('empty.yaml', ''))).toMatchInlineSnapshot(
      `"MG_CONFIG_INVALID (exit 2): empty.yaml: expected an object (key: value pairs), got null"`,
    )
  })

  it('names a file that does not exist', async () => {
    expect(await failure(join(dir, 'nope.yaml'))).toMatchInlineSnapshot(
      `"MG_CONFIG_UNREADABLE (exit 2): Config file nope.yaml does not exist."`,
    )
  })

  it('stops at ten problems and counts the rest', async () => {
    const rules = Array.from({ length: 14 }, (_, i) => `  - { feature: f${i}, test: psi, threshold: bad }`).join('\n')
    const message = await failure(file('big.yaml', `version: 1\nname: x\nwindow: 1s\nrules:\n${rules}\n`))
    expect(message.split('\n')).toHaveLength(11)
    expect(message.split('\n').at(-1)).toBe('… and 4 more problems in big.yaml')
  })
})

describe('configJsonSchema', () => {
  it('emits a JSON Schema that accepts a valid config and rejects a wrong one', () => {
    const schema = configJsonSchema(monitorConfig, { title: 'ModelGate monitor config' })
    expect(schema.title).toBe('ModelGate monitor config')
    const properties = schema.properties as Record<string, { type?: string; description?: string }>
    expect(properties.window).toEqual({ type: 'string', description: 'a duration: 250ms, 60s, 2m, 1h or 1m30s' })
    const validate = new Ajv({ strict: false }).compile(schema)
    expect(validate({ version: 1, name: 'x', window: '5m', rules: [] })).toBe(true)
    expect(
      validate({ version: 1, name: 'x', window: '5m', rules: [{ feature: 'a', test: 'nope', threshold: 1 }] }),
    ).toBe(false)
  })
})
