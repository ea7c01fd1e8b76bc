import { once } from 'node:events'
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { generateContracts, loadContractSchema, readPayloadRows, verifyProvider } from '@modelgate/contracts'
import type { TableSchema } from '@modelgate/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generatePayloads } from '../../../examples/fraud-detection/service/generatePayloads.js'
import { loadFraudSchema } from './support/fraudService.js'
import { closedPort } from './support/freePort.js'

let dir: string
let request: TableSchema
let response: TableSchema
const good = generatePayloads({ n: 50, seed: 5 })

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'mg-contracts-bad-'))
  request = await loadFraudSchema('request')
  response = await loadFraudSchema('response')
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

const base = () => ({
  consumer: 'checkout-web',
  provider: 'fraud-service',
  request,
  response,
  examplesSource: 'payloads.jsonl',
})

describe('bad input to generateContracts', () => {
  it('names file, row and column when an example disagrees with the schema, and writes nothing', async () => {
    const outDir = path.join(dir, 'never-created')
    const examples = [good[0], good[1], { ...good[2], amount: '12,50' }] as Record<string, unknown>[]
    await expect(generateContracts({ ...base(), examples, outDir })).rejects.toMatchObject({
      code: 'MG_CONTRACTS_EXAMPLE_MISMATCH',
      message: 'Column "amount" in payloads.jsonl row 3: expected a number, got "12,50".',
      location: { file: 'payloads.jsonl', row: 3, column: 'amount' },
    })
    await expect(readdir(outDir)).rejects.toMatchObject({ code: 'ENOENT' })
  })

  it('shows a personal-looking value only by its shape (issue #12: no raw values in errors)', async () => {
    const examples = [{ ...good[0], amount: 'wanda.quibble@example-mail.org' }] as Record<string, unknown>[]
    const error = await generateContracts({ ...base(), examples, outDir: path.join(dir, 'x') }).catch((e: unknown) => e)
    expect((error as Error).message).toBe(
      'Column "amount" in payloads.jsonl row 1: expected a number, got a value (redacted: looks like an email address).',
    )
  })

  it('names a category the schema does not allow, and a field the schema does not know', async () => {
    await expect(
      generateContracts({
        ...base(),
        examples: [{ ...good[0], merchant_category: 'casino' }],
        outDir: path.join(dir, 'x'),
      }),
    ).rejects.toThrow(
      'Column "merchant_category" in payloads.jsonl row 1: expected one of "grocery", "electronics", "travel", "gaming", "fuel", got "casino".',
    )
    await expect(
      generateContracts({ ...base(), examples: [{ ...good[0], app_build: 812 }], outDir: path.join(dir, 'x') }),
    ).rejects.toThrow('Column "app_build" in payloads.jsonl row 1: field is not in the request schema')
  })

  it('never echoes a PII value in an error message', async () => {
    const error = await generateContracts({
      ...base(),
      examples: [{ ...good[0], customer_email: 4155550100 }],
      outDir: path.join(dir, 'x'),
    }).catch((e: Error) => e)
    expect((error as Error).message).toBe(
      'Column "customer_email" in payloads.jsonl row 1: expected a string, got a number (value hidden: email column).',
    )
  })

  it('leaves an existing pacts/ directory exactly as it was when generation fails half-way', async () => {
    const outDir = path.join(dir, 'pacts')
    await mkdir(outDir)
    await writeFile(path.join(outDir, 'checkout-web-fraud-service.json'), '{"previous":"pact"}')
    let calls = 0
    const failing = generateContracts({
      ...base(),
      examples: good,
      outDir,
      onProgress: () => {
        calls++
        if (calls === 2) throw new Error('disk full')
      },
    })
    await expect(failing).rejects.toThrow('disk full')
    expect(calls).toBe(2)
    expect(await readdir(outDir)).toEqual(['checkout-web-fraud-service.json'])
    expect(await readFile(path.join(outDir, 'checkout-web-fraud-service.json'), 'utf8')).toBe('{"previous":"pact"}')
  })

  it('refuses a pacticipant name that cannot name a file', async () => {
    await expect(
      generateContracts({ ...base(), consumer: '../etc', outDir: path.join(dir, 'x') }),
    ).rejects.toMatchObject({
      code: 'MG_CONTRACTS_USAGE',
      message: 'The consumer name "../etc" cannot name a pact file.',
    })
  })

  it('refuses a non-positive number of interactions', async () => {
    await expect(generateContracts({ ...base(), interactions: 0, outDir: path.join(dir, 'x') })).rejects.toMatchObject({
      code: 'MG_CONTRACTS_USAGE',
    })
  })
})

describe('bad input to verifyProvider', () => {
  it('refuses a pact file of an unknown specification version before contacting the provider', async () => {
    const file = path.join(dir, 'v9.json')
    await writeFile(
      file,
      JSON.stringify({
        consumer: { name: 'a' },
        provider: { name: 'b' },
        interactions: [],
        metadata: { pactSpecification: { version: '9.1' } },
      }),
    )
    await expect(verifyProvider({ providerBaseUrl: 'http://127.0.0.1:1', pactFiles: [file] })).rejects.toMatchObject({
      code: 'MG_CONTRACTS_PACT_SPEC_UNSUPPORTED',
      message: `Pact file ${file} declares specification version 9.1; the Pact core here reads versions 1 to 4.`,
    })
  })

  it('refuses a file that is not a pact', async () => {
    const file = path.join(dir, 'not-a-pact.json')
    await writeFile(file, '{"hello":"world"}')
    await expect(verifyProvider({ providerBaseUrl: 'http://127.0.0.1:1', pactFiles: [file] })).rejects.toMatchObject({
      code: 'MG_CONTRACTS_PACT_INVALID',
      message: `Pact file ${file} has no consumer and provider names; it is not a pact.`,
    })
  })

  it('needs the provider name with a broker, and says when the broker is unreachable', async () => {
    await expect(
      verifyProvider({ providerBaseUrl: 'http://127.0.0.1:1', brokerUrl: 'http://127.0.0.1:1' }),
    ).rejects.toMatchObject({
      code: 'MG_CONTRACTS_USAGE',
      message: 'Verifying pacts from a broker needs the provider name.',
    })
    const service = http.createServer((_req, res) => res.end('ok')).listen(0, '127.0.0.1')
    await once(service, 'listening')
    const port = await closedPort()
    try {
      await expect(
        verifyProvider({
          providerBaseUrl: `http://127.0.0.1:${(service.address() as AddressInfo).port}`,
          brokerUrl: `http://127.0.0.1:${port}`,
          provider: 'fraud-service',
          consumerVersionSelectors: [{ mainBranch: true }, { deployedOrReleased: true }],
          enablePending: true,
        }),
      ).rejects.toMatchObject({
        code: 'MG_CONTRACTS_BROKER_UNREACHABLE',
        message: `Pact broker at http://127.0.0.1:${port} is unreachable (ECONNREFUSED).`,
      })
    } finally {
      service.close()
    }
  })

  it('asks for pact files or a broker', async () => {
    await expect(verifyProvider({ providerBaseUrl: 'http://127.0.0.1:1' })).rejects.toMatchObject({
      code: 'MG_CONTRACTS_USAGE',
    })
  })
})

describe('arguments from JavaScript callers', () => {
  const untyped = (value: unknown): never => value as never

  it('names a wrong argument of loadContractSchema and readPayloadRows before reading anything', async () => {
    await expect(loadContractSchema(untyped(request))).rejects.toMatchObject({
      code: 'MG_ARGUMENT_INVALID',
      message: 'loadContractSchema(path, options): path: expected a string, got an object.',
      hint: expect.stringContaining('the path of a schema file'),
    })
    await expect(loadContractSchema('request.json', untyped({ displayName: 3 }))).rejects.toThrow(
      'loadContractSchema(path, options): options.displayName: expected a string, got a number.',
    )
    await expect(readPayloadRows('payloads.jsonl', untyped('request.schema.json'))).rejects.toMatchObject({
      code: 'MG_ARGUMENT_INVALID',
      message: expect.stringMatching(
        /^readPayloadRows\(file, schema, options\): schema: expected an object, got a string/,
      ),
      hint: expect.stringContaining('loadContractSchema'),
    })
    const file = path.join(dir, 'payloads.jsonl')
    await writeFile(file, `${good.map((row) => JSON.stringify(row)).join('\n')}\n`)
    expect(await readPayloadRows(file, request)).toHaveLength(50)
    await expect(readPayloadRows(file, request, untyped({ displayName: true }))).rejects.toThrow(
      'readPayloadRows(file, schema, options): options.displayName: expected a string, got a boolean.',
    )
  })
})
