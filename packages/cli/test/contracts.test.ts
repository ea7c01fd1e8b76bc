import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generatePayloads } from '../../../examples/fraud-detection/service/generatePayloads.js'
import type { RunningService } from '../../contracts/test/support/fraudService.js'
import { fraudServiceDir, startFraudService } from '../../contracts/test/support/fraudService.js'
import { runCli } from './support/runCli.js'

const run = (args: string[], cwd: string) => runCli(args, cwd)

const jsonl = (rows: readonly unknown[]): string => `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`

let dir: string
const services: RunningService[] = []
const schemas = path.join(fraudServiceDir, 'schemas')
// The zod the contracts package uses, for a schema module written into a temporary directory.
const zodUrl = pathToFileURL(
  createRequire(path.join(fraudServiceDir, '../../packages/contracts/package.json')).resolve('zod'),
).href

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'mg-cli-contracts-'))
  await writeFile(path.join(dir, 'synthetic.jsonl'), jsonl(generatePayloads({ n: 300, seed: 4 })))
  await writeFile(
    path.join(dir, 'baseline.jsonl'),
    jsonl(generatePayloads({ n: 2000, seed: 21, deviceFingerprintNullRate: 0.01 })),
  )
  await writeFile(
    path.join(dir, 'payloads.jsonl'),
    jsonl(generatePayloads({ n: 2000, seed: 22, deviceFingerprintNullRate: 0.38 })),
  )
})
afterAll(async () => {
  await Promise.all(services.map((s) => s.stop()))
  await rm(dir, { recursive: true, force: true })
})

describe('modelgate contracts', () => {
  it('generate → verify: passes against the real service, exits 1 with the Pact diff when the score leaves [0, 1]', async () => {
    const gen = await run(
      [
        'contracts',
        'generate',
        '--request',
        path.join(schemas, 'request.schema.json'),
        '--response',
        path.join(schemas, 'response.schema.json'),
        '--consumer',
        'checkout-web',
        '--provider',
        'fraud-service',
        '--examples',
        'synthetic.jsonl',
        '--interactions',
        '3',
        '--emit-test',
        '--out',
        'pacts',
      ],
      dir,
    )
    expect(gen.err).toBe('')
    expect(gen.code).toBe(0)
    expect(gen.out).toContain('(3 interactions, Pact specification v4)')
    expect(await readdir(path.join(dir, 'pacts'))).toEqual(['checkout-web-fraud-service.json'])
    expect(await readFile(path.join(dir, 'checkout-web-fraud-service.pact.test.ts'), 'utf8')).toContain(
      "from '@pact-foundation/pact'",
    )

    const good = await startFraudService()
    services.push(good)
    const stateHandlers = path.join(fraudServiceDir, 'service/stateHandlers.mjs')
    const ok = await run(
      [
        'contracts',
        'verify',
        '--provider-base-url',
        good.url,
        '--pact',
        'pacts/checkout-web-fraud-service.json',
        '--state-handlers',
        stateHandlers,
        '--junit',
        'verify.xml',
      ],
      dir,
    )
    expect(ok.code).toBe(0)
    expect(await readFile(path.join(dir, 'verify.xml'), 'utf8')).toContain('<testsuite')

    const bad = await startFraudService(['--score-out-of-range'])
    services.push(bad)
    const failed = await run(
      ['contracts', 'verify', '--provider-base-url', bad.url, '--pact', 'pacts/checkout-web-fraud-service.json'],
      dir,
    )
    expect(failed.code).toBe(1)
    expect(failed.out).toContain('$.score')
    expect(failed.err).toContain('has a matching body (FAILED)')
  })

  it('expect → check: catches the device_fingerprint null-rate regression, exit 1, JUnit written', async () => {
    const exp = await run(
      [
        'contracts',
        'expect',
        '--profile',
        path.join(schemas, 'request.schema.json'),
        '--sample-data',
        'baseline.jsonl',
        '--out',
        'expectations.json',
      ],
      dir,
    )
    expect(exp.code).toBe(0)
    expect(exp.out).toContain('from 2,000 payloads')
    const checked = await run(
      [
        'contracts',
        'check',
        '--expectations',
        'expectations.json',
        '--sample',
        'payloads.jsonl',
        '--junit',
        'check.xml',
      ],
      dir,
    )
    expect(checked.code).toBe(1)
    expect(checked.out).toContain('device_fingerprint null rate 38.0% > 5.0% (n=2,000)')
    expect(await readFile(path.join(dir, 'check.xml'), 'utf8')).toContain('device_fingerprint null rate 38.0%')
    // The same sample as CSV (read as columnar tables through @modelgate/core): the same verdict.
    const rows = generatePayloads({ n: 2000, seed: 22, deviceFingerprintNullRate: 0.38 })
    const header = Object.keys(rows[0] ?? {})
    const csv = [
      header.join(','),
      ...rows.map((r) => header.map((h) => String((r as Record<string, unknown>)[h] ?? '')).join(',')),
    ].join('\n')
    await writeFile(path.join(dir, 'payloads.csv'), `${csv}\n`)
    const fromCsv = await run(
      ['contracts', 'check', '--expectations', 'expectations.json', '--sample', 'payloads.csv'],
      dir,
    )
    expect(fromCsv.code, fromCsv.err).toBe(1)
    expect(fromCsv.out).toContain('device_fingerprint null rate 38.0% > 5.0% (n=2,000)')
    expect(fromCsv.out).toContain('1 failed')
    const healthy = await run(
      ['contracts', 'check', '--expectations', 'expectations.json', '--sample', 'baseline.jsonl', '--json'],
      dir,
    )
    expect(healthy.code).toBe(0)
    expect(JSON.parse(healthy.out).verdict).toBe('pass')
  })

  it('exits 2 with the error code when the broker is unreachable', async () => {
    const res = await run(
      [
        'contracts',
        'can-i-deploy',
        '--pacticipant',
        'fraud-service',
        '--version',
        '2.0.0',
        '--to-environment',
        'production',
        '--broker-url',
        'http://127.0.0.1:1',
      ],
      dir,
    )
    expect(res.code).toBe(2)
    expect(res.err).toContain(
      'error MG_CONTRACTS_BROKER_UNREACHABLE: Pact broker at http://127.0.0.1:1 is unreachable (ECONNREFUSED)',
    )
  })

  it('exits 2 when --version and --pacticipant do not pair up', async () => {
    const res = await run(
      [
        'contracts',
        'can-i-deploy',
        '--pacticipant',
        'a',
        '--pacticipant',
        'b',
        '--version',
        '1',
        '--broker-url',
        'http://127.0.0.1:1',
      ],
      dir,
    )
    expect(res.code).toBe(2)
    expect(res.err).toContain('give one --version per --pacticipant (got 2 pacticipants and 1 versions)')
  })

  it('generate --model and expect --profile model.json: rows sampled from a synth model, PII still synthetic', async () => {
    const request = path.join(schemas, 'request.schema.json')
    const trained = await run(
      ['synth', 'train', '--data', 'baseline.jsonl', '--schema', request, '--out', 'model.json', '--seed', '3'],
      dir,
    )
    expect(trained.code, trained.err).toBe(0)
    const gen = await run(
      [
        'contracts',
        'generate',
        '--request',
        request,
        '--response',
        path.join(schemas, 'response.schema.json'),
        '--consumer',
        'checkout-web',
        '--provider',
        'fraud-service',
        '--model',
        'model.json',
        '--rows',
        '300',
        '--out',
        'model-pacts',
      ],
      dir,
    )
    expect(gen.code, gen.err).toBe(0)
    const pact = await readFile(path.join(dir, 'model-pacts/checkout-web-fraud-service.json'), 'utf8')
    expect(pact).not.toContain('@mailbox.test')
    expect(pact).toContain('@example.com')
    const exp = await run(
      [
        'contracts',
        'expect',
        '--profile',
        'model.json',
        '--schema',
        request,
        '--rows',
        '2000',
        '--out',
        'model-expectations.json',
      ],
      dir,
    )
    expect(exp.code, exp.err).toBe(0)
    const checked = await run(
      ['contracts', 'check', '--expectations', 'model-expectations.json', '--sample', 'payloads.jsonl'],
      dir,
    )
    expect(checked.code).toBe(1)
    expect(checked.out).toMatch(/device_fingerprint null rate 38\.0% > /)
  })

  it('expect --profile model.json alone: the model gives the columns, and the derived set passes on its training data', async () => {
    const trained = await run(['synth', 'train', '--data', 'baseline.jsonl', '--out', 'alone.json', '--seed', '4'], dir)
    expect(trained.code, trained.err).toBe(0)
    const exp = await run(['contracts', 'expect', '--profile', 'alone.json', '--out', 'alone-expectations.json'], dir)
    expect(exp.code, exp.err).toBe(0)
    const derived = JSON.parse(await readFile(path.join(dir, 'alone-expectations.json'), 'utf8')) as {
      features: { name: string; allowedValues?: string[]; maxOtherRate?: number }[]
    }
    expect(derived.features.length).toBeGreaterThan(3)
    const checked = await run(
      ['contracts', 'check', '--expectations', 'alone-expectations.json', '--sample', 'baseline.jsonl'],
      dir,
    )
    expect(checked.code, checked.out).toBe(0)
  })

  it('generate reads the request schema from a module exporting a zod object', async () => {
    await writeFile(
      path.join(dir, 'payload.schema.mjs'),
      `import { z } from ${JSON.stringify(zodUrl)}\nexport const schema = z.object({ amount: z.number().min(0).max(500), channel: z.enum(['web', 'app']), note: z.string().nullable() })\n`,
    )
    const res = await run(
      [
        'contracts',
        'generate',
        '--request',
        'payload.schema.mjs',
        '--response',
        path.join(schemas, 'response.schema.json'),
        '--consumer',
        'shop',
        '--provider',
        'fraud-service',
        '--out',
        'zod-pacts',
        '--json',
      ],
      dir,
    )
    expect(res.code, res.err).toBe(0)
    const covers = (JSON.parse(res.out) as { interactions: { covers: string[] }[] }).interactions.flatMap(
      (i) => i.covers,
    )
    expect(covers).toEqual(
      expect.arrayContaining(['amount=min(0)', 'amount=max(500)', 'channel=web', 'channel=app', 'note=null']),
    )
  })
})
