import { spawn } from 'node:child_process'
import { readFile, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import net from 'node:net'
import path from 'node:path'
import { repoRoot } from './fraudService.js'
import { closedPort } from './freePort.js'

const brokerContractFile = path.resolve(repoRoot, 'test/data/pact-broker/pact_broker_client-pact_broker.json')

interface Interaction {
  description: string
  providerState?: string
  request: { matchingRules?: Record<string, unknown>; body?: { contracts?: { content: string }[] } }
  response: unknown
}

/** Picks an interaction of the Pact team's broker-client contract by description and provider state. */
function pick(all: readonly Interaction[], description: string, providerState?: string): Interaction {
  const found = all.find((i) => i.description === description && i.providerState === providerState)
  if (found === undefined) throw new Error(`broker contract has no interaction "${description}" / "${providerState}"`)
  return structuredClone(found)
}

export interface BrokerStub {
  readonly url: string
  /** The pact the Pact team's publish interaction carries (Foo → Bar), as a file to publish. */
  readonly fooBarPact: string
  stop(): Promise<void>
}

/**
 * Serves interactions of the Pact team's own broker-client contract (pact_broker_client-pact_broker.json)
 * with pact-stub-server. Changes, all listed here: the HAL placeholder host becomes the stub's address;
 * the published pact content is matched by type, because the Rust CLI re-serializes the pact file; one
 * interaction of our own (can-i-deploy --to-environment, absent from that contract) is added.
 */
export async function startBrokerStub(dir: string): Promise<BrokerStub> {
  const contract = JSON.parse(await readFile(brokerContractFile, 'utf8')) as { interactions: Interaction[] } & Record<
    string,
    unknown
  >
  const all = contract.interactions
  const port = await closedPort()
  const publish = pick(all, 'a request to publish contracts')
  publish.request.matchingRules = { '$.body.contracts[0].content': { match: 'type' } }
  const fooBarPact = path.join(dir, 'Foo-Bar.json')
  await writeFile(fooBarPact, Buffer.from(publish.request.body?.contracts?.[0]?.content ?? '', 'base64'))
  const deployedMatrix = pick(
    all,
    'a request for the compatibility matrix for Foo version 1.2.3 and Bar version 4.5.6',
    'the pact for Foo version 1.2.3 has been verified by Bar version 4.5.6',
  ) as Interaction & {
    request: { query?: string }
    response: { body: { summary: Record<string, unknown> } }
  }
  const ours = structuredClone(deployedMatrix)
  ours.description = 'modelgate fixture: can fraud-service 2.0.0 be deployed to production (not verified)'
  ours.providerState = 'modelgate fixture'
  ours.request.query =
    'q%5B%5D%5Bpacticipant%5D=fraud-service&q%5B%5D%5Bversion%5D=2.0.0&latestby=cvpv&environment=production'
  ours.response.body.summary = {
    deployable: false,
    reason: 'There is no verified pact between checkout-web and fraud-service 2.0.0',
    unknown: 1,
  }
  const interactions = [
    pick(all, 'a request for the index resource', 'the pb:publish-contracts relations exists in the index resource'),
    publish,
    deployedMatrix,
    pick(
      all,
      'a request for the compatibility matrix where one or more versions does not exist',
      'the pact for Foo version 1.2.3 has been verified by Bar version 4.5.6',
    ),
    pick(all, 'a request for the compatibility matrix for a pacticipant that does not exist'),
    ours,
  ]
  const fixture = path.join(dir, 'broker-fixture.json')
  await writeFile(
    fixture,
    JSON.stringify({ ...contract, interactions }).replaceAll('http://localhost:1234/', `http://127.0.0.1:${port}/`),
  )

  const require = createRequire(import.meta.url)
  // The native executable itself (not the node wrapper), so stopping it leaves no orphan behind.
  const { standalone } = require('@pact-foundation/pact-cli/src/pact-standalone') as {
    standalone: () => { pactFullPath: string }
  }
  const child = spawn(standalone().pactFullPath, ['stub', '--file', fixture, '--port', String(port)], {
    stdio: 'ignore',
  })
  const deadline = Date.now() + 15_000
  for (;;) {
    const up = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.end()
        resolve(true)
      })
      socket.on('error', () => resolve(false))
    })
    if (up) break
    if (Date.now() > deadline) throw new Error('pact-stub-server did not start')
    await new Promise((r) => setTimeout(r, 100))
  }
  return {
    url: `http://127.0.0.1:${port}`,
    fooBarPact,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve()
        child.once('exit', () => resolve())
        child.kill('SIGTERM')
      }),
  }
}
