import { execFile } from 'node:child_process'
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { generateContracts } from '@modelgate/contracts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generatePayloads } from '../../../examples/fraud-detection/service/generatePayloads.js'
import { loadFraudSchema, repoRoot } from './support/fraudService.js'

let dir: string
let expectedPact: { interactions: { description: string; request: unknown; response: unknown }[] }

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'mg-contracts-emit-'))
  const result = await generateContracts({
    consumer: 'checkout-web',
    provider: 'fraud-service',
    request: await loadFraudSchema('request'),
    response: await loadFraudSchema('response'),
    examples: generatePayloads({ n: 200, seed: 9 }),
    interactions: 3,
    outDir: path.join(dir, 'generated'),
    emitTest: path.join(dir, 'team-repo/checkout-web.pact.test.ts'),
  })
  expectedPact = JSON.parse(await readFile(result.pactFile, 'utf8'))
  // The team's repo: it has vitest and @pact-foundation/pact installed (here: linked from this workspace).
  const modules = path.join(dir, 'team-repo/node_modules')
  await mkdir(path.join(modules, '@pact-foundation'), { recursive: true })
  const require = createRequire(import.meta.url)
  await symlink(
    path.dirname(require.resolve('@pact-foundation/pact/package.json')),
    path.join(modules, '@pact-foundation/pact'),
  )
  await symlink(path.join(repoRoot, 'node_modules/vitest'), path.join(modules, 'vitest'))
  await writeFile(
    path.join(dir, 'team-repo/vitest.config.mjs'),
    "export default { test: { include: ['*.test.ts'], testTimeout: 30000 } }\n",
  )
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('the emitted vitest consumer test', () => {
  it('runs as-is in a team repo and writes the same interactions as the generated pact', async () => {
    const repo = path.join(dir, 'team-repo')
    const vitest = path.join(repoRoot, 'node_modules/vitest/vitest.mjs')
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [vitest, 'run', '--root', repo, '--reporter', 'dot'],
      {
        cwd: repo,
        env: { ...process.env, NO_COLOR: '1' },
      },
    )
    expect(stdout).toMatch(/3 passed/)
    expect((await readdir(path.join(repo, 'pacts'))).filter((f) => f.endsWith('.json'))).toEqual([
      'checkout-web-fraud-service.json',
    ])
    const written = JSON.parse(
      await readFile(path.join(repo, 'pacts/checkout-web-fraud-service.json'), 'utf8'),
    ) as typeof expectedPact
    const shape = (p: typeof expectedPact) =>
      p.interactions
        .map((i) => ({ description: i.description, request: i.request, response: i.response }))
        .sort((a, b) => a.description.localeCompare(b.description))
    expect(shape(written)).toEqual(shape(expectedPact))
  })
})
