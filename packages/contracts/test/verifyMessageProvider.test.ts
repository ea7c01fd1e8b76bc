import { once } from 'node:events'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { DEFAULT_FEATURE_LOG_DESCRIPTION, generateContracts, verifyMessageProvider } from '@modelgate/contracts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generatePayloads } from '../../../examples/fraud-detection/service/generatePayloads.js'
import type { FeatureLogEvent } from '../../../examples/fraud-detection/service/model.js'
import { createFraudServer } from '../../../examples/fraud-detection/service/server.js'
import { loadFraudSchema } from './support/fraudService.js'

let dir: string
let messagePact: string
let typicalPayload: unknown

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'mg-contracts-msg-'))
  const result = await generateContracts({
    consumer: 'checkout-web',
    provider: 'fraud-service',
    request: await loadFraudSchema('request'),
    response: await loadFraudSchema('response'),
    examples: generatePayloads({ n: 200, seed: 8 }),
    interactions: 1,
    outDir: path.join(dir, 'pacts'),
    featureLog: { consumer: 'fraud-monitor' },
  })
  messagePact = result.messagePactFile as string
  const pact = JSON.parse(await readFile(result.pactFile, 'utf8'))
  typicalPayload = pact.interactions[0].request.body.content
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

/** Scores one payload on the real service code and returns the feature-log event it emitted. */
async function emittedEvent(payload: unknown): Promise<FeatureLogEvent> {
  const events: FeatureLogEvent[] = []
  const server = createFraudServer({ onFeatureLog: (e) => events.push(e) }).listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as AddressInfo
  // A fresh connection per call (agent: false): servers come and go on OS-assigned ports.
  await new Promise<void>((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path: '/predict',
        method: 'POST',
        agent: false,
        headers: { 'content-type': 'application/json' },
      },
      (res) => {
        res.resume()
        res.on('end', () => resolve())
      },
    )
    req.on('error', reject)
    req.end(JSON.stringify(payload))
  })
  server.close()
  const event = events[0]
  if (event === undefined) throw new Error('no feature-log event emitted')
  return event
}

describe('verifyMessageProvider: the feature-log event', () => {
  it('passes when the service emits features + prediction as the monitor expects', async () => {
    const result = await verifyMessageProvider({
      pactFiles: [messagePact],
      messageProviders: { [DEFAULT_FEATURE_LOG_DESCRIPTION]: () => emittedEvent(typicalPayload) },
    })
    expect(result.passed).toBe(true)
    expect(result.interactions.map((i) => i.description)).toEqual([DEFAULT_FEATURE_LOG_DESCRIPTION])
  })

  it('fails when a producer stops logging device_fingerprint', async () => {
    const result = await verifyMessageProvider({
      pactFiles: [messagePact],
      messageProviders: {
        [DEFAULT_FEATURE_LOG_DESCRIPTION]: async () => {
          const event = await emittedEvent(typicalPayload)
          const { device_fingerprint: _dropped, ...features } = event.features
          return { ...event, features }
        },
      },
    })
    expect(result.passed).toBe(false)
    expect(JSON.stringify(result.interactions[0]?.mismatches)).toContain('device_fingerprint')
  })

  it('fails when the logged prediction carries a score outside [0, 1]', async () => {
    const result = await verifyMessageProvider({
      pactFiles: [messagePact],
      messageProviders: {
        [DEFAULT_FEATURE_LOG_DESCRIPTION]: async () => {
          const event = await emittedEvent(typicalPayload)
          return { ...event, prediction: { ...event.prediction, score: event.prediction.score * 100 + 1 } }
        },
      },
    })
    expect(result.passed).toBe(false)
    expect(result.interactions[0]?.mismatches.map((m) => m.path)).toEqual(['$.prediction.score'])
  })
})
