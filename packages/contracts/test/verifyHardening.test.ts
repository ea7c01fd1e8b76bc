// Issue #12: `contracts verify` against a provider that never answers POST hung for 100 s and more; a dropped
// connection gave an uncaught stack trace. Real providers on loopback.
import { mkdtemp, rm } from 'node:fs/promises'
import type { Server } from 'node:http'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { generateContracts, verifyProvider } from '@modelgate/contracts'
import { ModelGateError } from '@modelgate/core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { generatePayloads } from '../../../examples/fraud-detection/service/generatePayloads.js'
import { loadFraudSchema } from './support/fraudService.js'

let dir: string
let pactFile: string
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'mg-contracts-hardening-'))
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
  await rm(dir, { recursive: true, force: true })
})

const servers: Server[] = []
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections()
    await new Promise((r) => s.close(r))
  }
})

/** A provider that answers GET (so that it looks alive) and handles POST as told. */
async function provider(
  onPost: (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => void,
): Promise<string> {
  const server = createServer((req, res) => {
    if (req.method !== 'POST') {
      res.writeHead(200, { 'content-type': 'application/json' })
      return void res.end('{"ok":true}')
    }
    req.resume()
    req.on('end', () => onPost(req, res))
  })
  servers.push(server)
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

describe('verifyProvider is bounded', () => {
  it('a provider that never answers POST: each interaction fails at its timeout, the run at the overall deadline', async () => {
    const url = await provider(() => undefined)
    const started = Date.now()
    const result = await verifyProvider({ providerBaseUrl: url, pactFiles: [pactFile], timeoutMs: 1000 }).catch(
      (e: unknown) => e as Error,
    )
    const elapsed = Date.now() - started
    expect(elapsed).toBeLessThan(20_000)
    if (result instanceof Error) throw result
    expect(result.passed).toBe(false)
    expect(result.interactions).toHaveLength(3)
    expect(result.output).toMatch(/did not answer POST \/\S* within 1000 ms/)
  })

  it('an overall deadline stops the verification with MG_CONTRACTS_VERIFY_TIMEOUT', async () => {
    const url = await provider(() => undefined)
    const started = Date.now()
    const error = await verifyProvider({
      providerBaseUrl: url,
      pactFiles: [pactFile],
      timeoutMs: 60_000,
      deadlineMs: 1500,
    }).catch((e: unknown) => e)
    expect(Date.now() - started).toBeLessThan(10_000)
    expect(error).toBeInstanceOf(ModelGateError)
    expect((error as ModelGateError).code).toBe('MG_CONTRACTS_VERIFY_TIMEOUT')
  })

  it('a provider that drops the connection: a failed interaction or a clean error, no crash', async () => {
    const url = await provider((req) => req.socket.destroy())
    const result = await verifyProvider({ providerBaseUrl: url, pactFiles: [pactFile], timeoutMs: 2000 }).catch(
      (e: unknown) => e as Error,
    )
    if (result instanceof Error) throw result
    expect(result.passed).toBe(false)
    expect(result.output).toMatch(/dropped the connection \(ECONNRESET\)/)
  })

  it('a file:// provider URL is a clear usage error (exit 2), not an internal TypeError', async () => {
    const error = await verifyProvider({ providerBaseUrl: 'file:///etc/passwd', pactFiles: [pactFile] }).catch(
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(ModelGateError)
    expect((error as ModelGateError).code).toBe('MG_CONTRACTS_BAD_URL')
    expect((error as ModelGateError).exitCode).toBe(2)
    expect((error as Error).message).toMatch(/uses file:/)
  })
})
