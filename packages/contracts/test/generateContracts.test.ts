import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import type { GenerateContractsResult } from '@modelgate/contracts'
import { generateContracts } from '@modelgate/contracts'
import type { TableSchema } from '@modelgate/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generatePayloads } from '../../../examples/fraud-detection/service/generatePayloads.js'
import { loadFraudSchema } from './support/fraudService.js'

let dir: string
let request: TableSchema
let response: TableSchema
const examples = generatePayloads({ n: 400, seed: 11, deviceFingerprintNullRate: 0.05 })
let result: GenerateContractsResult
let pact: {
  metadata: { pactSpecification: { version: string } }
  interactions: {
    description: string
    providerStates: { name: string }[]
    request: {
      body: { content: Record<string, unknown> }
      matchingRules: { body: Record<string, { matchers: { match: string; regex?: string }[] }> }
    }
    response: { matchingRules: { body: Record<string, { matchers: { match: string; regex?: string }[] }> } }
  }[]
}
let pactText: string

/** The example's consumer, provider, schemas and examples (the schemas are loaded in beforeAll). */
function fraudContract() {
  return {
    consumer: 'checkout-web',
    provider: 'fraud-service',
    request,
    response,
    examples,
    examplesSource: 'payloads.jsonl',
  }
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'mg-contracts-gen-'))
  request = await loadFraudSchema('request')
  response = await loadFraudSchema('response')
  result = await generateContracts({
    ...fraudContract(),
    outDir: path.join(dir, 'pacts'),
    featureLog: { consumer: 'fraud-monitor' },
    emitTest: path.join(dir, 'consumer.pact.test.ts'),
  })
  pactText = await readFile(result.pactFile, 'utf8')
  pact = JSON.parse(pactText)
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('generateContracts', () => {
  it('writes a Pact specification v4 file through the Pact core, one interaction per example, with a provider state', () => {
    expect(pact.metadata.pactSpecification.version).toBe('4.0')
    expect(pact.interactions).toHaveLength(result.interactions.length)
    expect(pact.interactions.every((i) => i.providerStates[0]?.name === 'the model is loaded')).toBe(true)
  })

  it('covers every category, a null for the nullable field and every declared bound, with few interactions', () => {
    const covered = new Set(result.interactions.flatMap((i) => i.covers))
    for (const c of ['grocery', 'electronics', 'travel', 'gaming', 'fuel'])
      expect(covered).toContain(`merchant_category=${c}`)
    for (const c of ['USD', 'EUR', 'GBP']) expect(covered).toContain(`currency=${c}`)
    expect(covered).toContain('device_fingerprint=null')
    expect(covered).toContain('amount=min(0)')
    expect(covered).toContain('amount=max(10000)')
    expect(covered).toContain('hour_of_day=max(23)')
    expect(result.uncovered).toEqual([])
    // 5 merchant categories drive the coverage rows; plus one typical payload.
    expect(result.interactions).toHaveLength(6)
    expect(result.interactions[0]?.kind).toBe('typical')
    const nullBody = pact.interactions.find((i) => i.request.body.content.device_fingerprint === null)
    expect(nullBody?.request.matchingRules.body['$.device_fingerprint']?.matchers[0]?.match).toBe('null')
  })

  it('derives matchers from the annotated schema: integer, number with a range regex, category regex, boolean', () => {
    const rules = pact.interactions[0]?.request.matchingRules.body ?? {}
    expect(rules['$.account_age_days']?.matchers.map((m) => m.match)).toEqual(['integer', 'regex'])
    expect(rules['$.amount']?.matchers.map((m) => m.match)).toEqual(['number', 'regex'])
    expect(rules['$.merchant_category']?.matchers[0]).toEqual({
      match: 'regex',
      regex: '^(?:grocery|electronics|travel|gaming|fuel)$',
    })
    // pact-js writes MatchersV3.boolean as a type matcher on a boolean example.
    expect(rules['$.is_international']?.matchers[0]?.match).toBe('type')
    expect(pact.interactions[0]?.request.body.content.is_international).toBeTypeOf('boolean')
    expect(rules['$.customer_email']?.matchers[0]?.match).toBe('regex')
    const score = pact.interactions[0]?.response.matchingRules.body['$.score']?.matchers
    expect(score?.map((m) => m.match)).toEqual(['number', 'regex'])
    const re = new RegExp(score?.[1]?.regex ?? '')
    expect(['0', '0.5', '1', '1.0', '3.2e-7'].every((s) => re.test(s))).toBe(true)
    expect(['1.5', '100', '-0.1', '10'].some((s) => re.test(s))).toBe(false)
  })

  it('never copies a PII value or an id from the examples into the pact, the message pact or the emitted test', async () => {
    const files = [
      pactText,
      await readFile(result.messagePactFile as string, 'utf8'),
      await readFile(result.testFile as string, 'utf8'),
    ]
    const secrets = examples.flatMap((e) => [
      e.customer_email,
      e.transaction_id,
      ...(e.device_fingerprint !== null ? [e.device_fingerprint] : []),
    ])
    for (const text of files) {
      for (const secret of secrets) expect(text.includes(secret), `leaked ${secret}`).toBe(false)
      expect(text).not.toContain('@mailbox.test')
    }
    expect(pactText).toContain('@example.com')
  })

  it('writes the feature-log event as a v4 asynchronous message pact for the monitor', async () => {
    const message = JSON.parse(await readFile(result.messagePactFile as string, 'utf8'))
    expect(message.consumer.name).toBe('fraud-monitor')
    expect(message.interactions[0].type).toBe('Asynchronous/Messages')
    expect(Object.keys(message.interactions[0].contents.content)).toEqual([
      'event_id',
      'event_type',
      'features',
      'logged_at',
      'prediction',
    ])
  })

  it('leaves only finished pact files in the output directory', async () => {
    expect((await readdir(path.join(dir, 'pacts'))).sort()).toEqual([
      'checkout-web-fraud-service.json',
      'fraud-monitor-fraud-service.json',
    ])
  })

  it('is reproducible: the same inputs and seed give byte-identical pact files, run after run', async () => {
    const texts: string[] = []
    for (let run = 0; run < 4; run++) {
      const again = await generateContracts({ ...fraudContract(), outDir: path.join(dir, `again-${run}`) })
      texts.push(await readFile(again.pactFile, 'utf8'))
    }
    expect(new Set(texts).size).toBe(1)
    expect(JSON.parse(texts[0] as string).interactions).toEqual(pact.interactions)
  })
})
