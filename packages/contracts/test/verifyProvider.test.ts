import { once } from 'node:events'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { generateContracts, verifyProvider } from '@modelgate/contracts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generatePayloads } from '../../../examples/fraud-detection/service/generatePayloads.js'
import { createFraudServer } from '../../../examples/fraud-detection/service/server.js'
import type { RunningService } from './support/fraudService.js'
import { loadFraudSchema, startFraudService } from './support/fraudService.js'
import { closedPort } from './support/freePort.js'

let dir: string
let pactFile: string
const services: RunningService[] = []

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'mg-contracts-verify-'))
  const result = await generateContracts({
    consumer: 'checkout-web',
    provider: 'fraud-service',
    request: await loadFraudSchema('request'),
    response: await loadFraudSchema('response'),
    examples: generatePayloads({ n: 300, seed: 3 }),
    interactions: 3,
    outDir: path.join(dir, 'pacts'),
  })
  pactFile = result.pactFile
})
afterAll(async () => {
  await Promise.all(services.map((s) => s.stop()))
  await rm(dir, { recursive: true, force: true })
})

async function start(flags: string[] = []): Promise<RunningService> {
  const service = await startFraudService(flags)
  services.push(service)
  return service
}

describe('verifyProvider against the example fraud service on loopback', () => {
  it('passes when the provider honours the contract, setting up the provider state for each interaction', async () => {
    const service = await start()
    let setups = 0
    const result = await verifyProvider({
      providerBaseUrl: service.url,
      pactFiles: [pactFile],
      stateHandlers: {
        'the model is loaded': async () => {
          setups++
          return undefined
        },
      },
    })
    expect(setups).toBe(3)
    expect(result.interactions).toHaveLength(3)
    expect(result.passed).toBe(true)
    expect(result.report.verdict).toBe('pass')
  })

  it('fails with the Pact diff when the provider renamed score to fraud_score', async () => {
    const service = await start(['--rename-field'])
    const result = await verifyProvider({ providerBaseUrl: service.url, pactFiles: [pactFile] })
    expect(result.passed).toBe(false)
    const mismatch = result.interactions[0]?.mismatches.find((m) => m.path === '$')
    expect(mismatch?.message).toContain('score')
    expect(result.output).toContain('has a matching body (FAILED)')
    expect(result.report.checks.every((c) => c.verdict === 'fail')).toBe(true)
    expect(result.report.checks[0]?.message).toMatch(/score/)
  })

  it('fails when the provider returns a score outside [0, 1]', async () => {
    const service = await start(['--score-out-of-range'])
    const result = await verifyProvider({ providerBaseUrl: service.url, pactFiles: [pactFile] })
    expect(result.passed).toBe(false)
    const mismatch = result.interactions.flatMap((i) => i.mismatches).find((m) => m.path === '$.score')
    expect(mismatch?.message).toMatch(/^Expected '[0-9.]+' to match '\^\(\?:\(\?:0\)/)
  })

  it('refuses an unreachable provider with a clear error', async () => {
    const port = await closedPort()
    await expect(
      verifyProvider({ providerBaseUrl: `http://127.0.0.1:${port}`, pactFiles: [pactFile] }),
    ).rejects.toMatchObject({
      code: 'MG_CONTRACTS_PROVIDER_UNREACHABLE',
      message: `Provider at http://127.0.0.1:${port} is unreachable (ECONNREFUSED).`,
    })
  })

  it('adds auth headers through a request filter, without them in the pact', async () => {
    const inner = createFraudServer()
    const guarded = http.createServer((req, res) => {
      if (req.headers.authorization !== 'Bearer s3cret') {
        res.writeHead(401, { 'Content-Type': 'application/json' }).end('{"error":"unauthorized"}')
        return
      }
      inner.emit('request', req, res)
    })
    guarded.listen(0, '127.0.0.1')
    await once(guarded, 'listening')
    const url = `http://127.0.0.1:${(guarded.address() as AddressInfo).port}`
    try {
      const withToken = await verifyProvider({
        providerBaseUrl: url,
        pactFiles: [pactFile],
        headers: { Authorization: 'Bearer s3cret' },
      })
      expect(withToken.passed).toBe(true)
      const without = await verifyProvider({ providerBaseUrl: url, pactFiles: [pactFile] })
      expect(without.passed).toBe(false)
      expect(without.interactions[0]?.mismatches.map((m) => m.type)).toContain('StatusMismatch')
      expect(await readFile(pactFile, 'utf8')).not.toContain('s3cret')
    } finally {
      guarded.close()
    }
  })
})
