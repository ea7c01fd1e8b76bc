import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { canIDeploy, publishPacts } from '@modelgate/contracts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { BrokerStub } from './support/brokerStub.js'
import { startBrokerStub } from './support/brokerStub.js'
import { closedPort } from './support/freePort.js'

// What this covers: the `pact broker publish` and `pact broker can-i-deploy` wrappers against pact-stub-server
// serving the Pact team's own broker-client contract (publish, matrix queries with versions). What it does
// not: a real broker's state (stored pacts, webhooks, pending/WIP selection), and `--to-environment`, which
// that contract does not describe — it is served from one interaction of our own (see brokerStub.ts).
let dir: string
let broker: BrokerStub

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'mg-contracts-broker-'))
  broker = await startBrokerStub(dir)
})
afterAll(async () => {
  await broker.stop()
  await rm(dir, { recursive: true, force: true })
})

describe('publishPacts over the Pact CLI', () => {
  it('publishes a pact exactly as the Pact team’s broker contract expects (version, branch, tag, build URL)', async () => {
    const result = await publishPacts({
      brokerUrl: broker.url,
      pacts: [broker.fooBarPact],
      consumerVersion: '5556b8149bf8bac76bc30f50a8a2dd4c22c85f30',
      branch: 'main',
      tags: ['dev'],
      buildUrl: 'http://build',
      merge: true,
    })
    expect(result.files).toEqual([broker.fooBarPact])
  })

  it('fails with the broker’s refusal when the request does not match (here: another consumer version)', async () => {
    await expect(
      publishPacts({
        brokerUrl: broker.url,
        pacts: [broker.fooBarPact],
        consumerVersion: '0.0.1',
        branch: 'main',
        tags: ['dev'],
        buildUrl: 'http://build',
        merge: true,
      }),
    ).rejects.toMatchObject({ code: 'MG_CONTRACTS_BROKER_REFUSED', message: expect.stringContaining('HTTP 404') })
  })

  it('says the broker is unreachable when nothing listens', async () => {
    const port = await closedPort()
    await expect(
      publishPacts({ brokerUrl: `http://127.0.0.1:${port}`, pacts: [broker.fooBarPact], consumerVersion: '1' }),
    ).rejects.toMatchObject({
      code: 'MG_CONTRACTS_BROKER_UNREACHABLE',
      message: expect.stringContaining(`Pact broker at http://127.0.0.1:${port} is unreachable`),
    })
  })

  it('refuses a pact of an unknown specification version before sending anything', async () => {
    const file = path.join(dir, 'future.json')
    await writeFile(
      file,
      JSON.stringify({
        consumer: { name: 'a' },
        provider: { name: 'b' },
        interactions: [],
        metadata: { pactSpecification: { version: '5.0.0' } },
      }),
    )
    await expect(publishPacts({ brokerUrl: broker.url, pacts: [file], consumerVersion: '1' })).rejects.toMatchObject({
      code: 'MG_CONTRACTS_PACT_SPEC_UNSUPPORTED',
      message: `Pact file ${file} declares specification version 5.0.0; the Pact core here reads versions 1 to 4.`,
    })
  })
})

describe('canIDeploy over the Pact CLI', () => {
  it('answers yes with the verification matrix', async () => {
    const result = await canIDeploy({
      brokerUrl: broker.url,
      pacticipants: [
        { name: 'Foo', version: '1.2.3' },
        { name: 'Bar', version: '4.5.6' },
      ],
    })
    expect(result).toEqual({
      deployable: true,
      reason: 'some text',
      matrix: [{ consumer: 'Foo', consumerVersion: '4', provider: 'Bar', providerVersion: '5', success: true }],
    })
  })

  it('answers no (not an error) when a version is unknown to the broker', async () => {
    const result = await canIDeploy({
      brokerUrl: broker.url,
      pacticipants: [
        { name: 'Foo', version: '1.2.3' },
        { name: 'Bar', version: '9.9.9' },
      ],
    })
    expect(result.deployable).toBe(false)
    expect(result.reason).toBe('an error message')
  })

  it('answers no for an unverified version going to production', async () => {
    const result = await canIDeploy({
      brokerUrl: broker.url,
      pacticipants: [{ name: 'fraud-service', version: '2.0.0' }],
      toEnvironment: 'production',
    })
    expect(result).toMatchObject({
      deployable: false,
      reason: 'There is no verified pact between checkout-web and fraud-service 2.0.0',
    })
  })

  it('reports the broker’s refusal for pacticipants it does not know', async () => {
    await expect(
      canIDeploy({
        brokerUrl: broker.url,
        pacticipants: [
          { name: 'Wiffle', version: '1.2.3' },
          { name: 'Meep', version: '9.9.9' },
        ],
      }),
    ).rejects.toMatchObject({
      code: 'MG_CONTRACTS_BROKER_REFUSED',
      message: `Pact broker at ${broker.url} refused to answer can-i-deploy: failed validation - ["an error message"]`,
    })
  })

  it('leaves no stray files next to the pacts it reads', async () => {
    expect((await readdir(dir)).sort()).toEqual(['Foo-Bar.json', 'broker-fixture.json', 'future.json'])
  })
})
