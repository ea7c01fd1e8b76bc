// Installable as a library: every package is packed with `pnpm pack` (workspace links become versions), installed
// into a scratch project with plain `npm install` (no workspace, no links), and each package README's example (the
// first TypeScript/JavaScript block under "## Example", else its first block: the CLI's shell lines) is run there from
// Node ESM, as a user who copied it would run it. The heavy
// runtimes are optional peer dependencies: the first install has none of them, and the calls that need one must name
// it; then they are added as a user would (onnxruntime-node with ONNXRUNTIME_NODE_INSTALL=skip) and the examples
// that need them run. Reads the built dist (`pnpm test` builds first); needs the npm registry for third-party
// packages (npm's cache makes later runs fast). About a minute of CPU with a cold npm cache, so it runs in every
// `pnpm test` (figures in bench/RESULTS.md, "Packaging").
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generatePayloads } from '../examples/fraud-detection/service/generatePayloads.js'

const run = promisify(execFile)
const repoRoot = fileURLToPath(new URL('..', import.meta.url))
const packagesDir = path.join(repoRoot, 'packages')

interface Manifest {
  readonly name: string
  readonly private?: boolean
  readonly peerDependencies?: Readonly<Record<string, string>>
  readonly peerDependenciesMeta?: Readonly<Record<string, { readonly optional?: boolean }>>
}

/** What each README example prints, and the optional runtimes it needs (added in the second phase). */
const EXAMPLES: Readonly<Record<string, { exitCode: number; stdout: RegExp; needs?: readonly string[] }>> = {
  '@modelgate/core': { exitCode: 0, stdout: /email: email, phone: phone, ip: ip_address, device_id: device_id/ },
  '@modelgate/stats': { exitCode: 0, stdout: /passed: false/ },
  '@modelgate/synth': { exitCode: 0, stdout: /^500 0\.9\d+ pass$/m },
  // the example finds the rounding bug it plants, so it exits 1
  '@modelgate/skew': { exitCode: 1, stdout: /FAIL {2}\[features\] refund_share/, needs: ['@duckdb/node-api'] },
  '@modelgate/contracts': {
    exitCode: 0,
    stdout: /false \{\n\s+path: '\$\.score'[\s\S]*fail device_fingerprint null rate 38\.0% > 5\.0% \(n=2,000\)/,
    needs: ['@pact-foundation/pact'],
  },
  '@modelgate/cli': { exitCode: 0, stdout: /Wrote 20,000 rows to transactions\.synthetic\.parquet/ },
  '@modelgate/drift': {
    exitCode: 0,
    stdout: /^fail device_fingerprint: null rate 38\.0% \(reference 1\.0%\)[\s\S]*^fail fail$/m,
  },
  // the verdict depends on the machine (the generator's schedule check fails on a busy one): the report's lines do not
  '@modelgate/traffic': {
    exitCode: 0,
    stdout: /^Load test of http:\/\/127\.0\.0\.1:\d+\/predict [\s\S]*\[SLO\] p99 = [\d.]+ m?s \(\w+ p99<250ms/m,
  },
  '@modelgate/gate': {
    exitCode: 0,
    stdout: /^modelgate gate: modelgate\.yaml {2}FAIL[\s\S]*device_fingerprint null rate 38\.0% > 5\.0%[\s\S]*^fail$/m,
  },
  '@modelgate/monitor': {
    exitCode: 0,
    stdout: /^fail 2000$[\s\S]*^rollback: device_fingerprint: null rate 38\.0% \(reference 1\.0%\)/m,
  },
}
/** The heavy runtimes: optional peer dependencies that the first install must not bring in. */
const HEAVY = ['onnxruntime-node', '@tensorflow/tfjs', '@duckdb/node-api', '@pact-foundation/pact']

let scratch = ''
let project = ''
const manifests = new Map<string, Manifest>()

/**
 * The environment a user's shell has: without what pnpm sets for the scripts it runs, NODE_PATH above all (pnpm's
 * bin shims point it at the workspace's hoisted packages, where every optional runtime is installed).
 */
function userEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [key, value] of Object.entries(process.env)) {
    if (
      /^(npm_package_|npm_lifecycle_|pnpm_|PNPM_)|^npm_(config_user_agent|execpath|node_execpath|command)$|^NODE_PATH$/.test(
        key,
      )
    )
      continue
    env[key] = value
  }
  return { ...env, NO_COLOR: '1', ...extra }
}

async function npm(args: readonly string[], extra: Record<string, string> = {}): Promise<void> {
  await run('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: project,
    env: userEnv(extra),
    maxBuffer: 64 * 1024 * 1024,
  })
}

interface Outcome {
  readonly exitCode: number
  readonly stdout: string
  readonly stderr: string
}

async function node(args: readonly string[], cwd: string): Promise<Outcome> {
  try {
    const { stdout, stderr } = await run(process.execPath, [...args], {
      cwd,
      env: userEnv(),
      maxBuffer: 64 * 1024 * 1024,
      timeout: 240_000,
    })
    return { exitCode: 0, stdout, stderr }
  } catch (error) {
    const e = error as { code?: unknown; stdout?: string; stderr?: string }
    if (typeof e.code !== 'number') throw error
    return { exitCode: e.code, stdout: e.stdout ?? '', stderr: e.stderr ?? '' }
  }
}

/** The first TypeScript/JavaScript block under the README's "## Example" heading, else its first fenced block. */
function exampleOf(readme: string): { lang: string; code: string } | null {
  const section = /^## Example\s*$([\s\S]*?)(?=^## |(?![\s\S]))/m.exec(readme)?.[1]
  if (section === undefined) return null
  const blocks = [...section.matchAll(/^```(\w+)[^\n]*\n([\s\S]*?)^```/gm)]
  const block = blocks.find((b) => /^(ts|js|mjs)$/.test(b[1] as string)) ?? blocks[0]
  return block === undefined ? null : { lang: block[1] as string, code: block[2] as string }
}

/** Runs a package's README example in a fresh folder of the scratch project holding the files examples read. */
async function runExample(name: string): Promise<Outcome> {
  const readme = await readFile(path.join(packagesDir, name.replace('@modelgate/', ''), 'README.md'), 'utf8')
  const example = exampleOf(readme)
  if (example === null) throw new Error(`${name}: its README has no "## Example" section with a code block`)
  const dir = path.join(project, 'runs', name.replace('@modelgate/', ''))
  await cp(path.join(project, 'data'), dir, { recursive: true })
  if (example.lang === 'sh') {
    // Shell examples: each `npx modelgate …` line, in order, as the README shows them.
    let out = ''
    for (const line of example.code.split('\n').map((l) => l.replace(/\s+#.*$/, '').trim())) {
      if (!line.startsWith('npx ')) continue
      const args = line.slice(4).split(/\s+/)
      const bin = path.join(project, 'node_modules', '.bin', args[0] as string)
      const step = await node([bin, ...args.slice(1)], dir)
      out += step.stdout
      if (step.exitCode !== 0) return { ...step, stdout: out }
    }
    return { exitCode: 0, stdout: out, stderr: '' }
  }
  await writeFile(path.join(dir, 'example.mjs'), example.code)
  return node(['example.mjs'], dir)
}

const optionalPeer = (name: string): { package: string; version: string } => {
  for (const m of manifests.values()) {
    const version = m.peerDependencies?.[name]
    if (version !== undefined && m.peerDependenciesMeta?.[name]?.optional === true) return { package: name, version }
  }
  throw new Error(`no package declares ${name} as an optional peer dependency`)
}

beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'mg-pack-'))
  project = path.join(scratch, 'project')
  const tarballs = path.join(scratch, 'tarballs')
  await mkdir(path.join(project, 'data', 'schemas'), { recursive: true })
  const dependencies: Record<string, string> = {}
  for (const dir of (await readdir(packagesDir)).sort()) {
    const manifest = JSON.parse(await readFile(path.join(packagesDir, dir, 'package.json'), 'utf8')) as Manifest
    if (manifest.private === true) continue
    if (!existsSync(path.join(packagesDir, dir, 'dist', 'index.js')))
      throw new Error(`packages/${dir} has no dist: run pnpm build first (pnpm test does)`)
    const { stdout } = await run('pnpm', ['pack', '--pack-destination', tarballs], {
      cwd: path.join(packagesDir, dir),
      env: userEnv(),
    })
    const tarball = stdout.trim().split('\n').pop() as string
    manifests.set(manifest.name, manifest)
    dependencies[manifest.name] = `file:${path.relative(project, tarball)}`
  }
  // The packages depend on each other by version (pnpm pack rewrote workspace:*); overrides point those at the
  // tarballs too, so npm never asks the registry for a @modelgate package.
  await writeFile(
    path.join(project, 'package.json'),
    JSON.stringify({ name: 'consumer', private: true, type: 'module', dependencies, overrides: dependencies }, null, 2),
  )
  // The files the README examples read: the bundled transactions, the fraud service's schemas and its payloads.
  await cp(path.join(repoRoot, 'examples/data/transactions.csv'), path.join(project, 'data', 'transactions.csv'))
  await cp(path.join(repoRoot, 'examples/fraud-detection/schemas'), path.join(project, 'data', 'schemas'), {
    recursive: true,
  })
  const jsonl = (rows: readonly object[]): string => `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`
  await writeFile(path.join(project, 'data', 'baseline.jsonl'), jsonl(generatePayloads({ n: 2000, seed: 7 })))
  await writeFile(
    path.join(project, 'data', 'payloads.jsonl'),
    jsonl(generatePayloads({ n: 2000, seed: 8, deviceFingerprintNullRate: 0.38 })),
  )
  await npm(['install'])
}, 600_000)

afterAll(async () => {
  if (scratch !== '') await rm(scratch, { recursive: true, force: true })
})

describe('every package, packed and installed with npm into a scratch project', () => {
  it('installs without any heavy runtime (ONNX Runtime, TensorFlow.js, DuckDB, the Pact core)', () => {
    for (const name of HEAVY) expect(existsSync(path.join(project, 'node_modules', name)), name).toBe(false)
    expect(existsSync(path.join(project, 'node_modules', '.bin', 'modelgate'))).toBe(true)
  })

  it('has a README example for every package, and runs it', async () => {
    expect([...manifests.keys()].filter((name) => EXAMPLES[name] === undefined)).toEqual([])
    for (const name of manifests.keys()) {
      const readme = await readFile(path.join(packagesDir, name.replace('@modelgate/', ''), 'README.md'), 'utf8')
      expect(exampleOf(readme), `${name}: "## Example" in its README`).not.toBe(null)
    }
  })

  const withoutRuntimes = Object.entries(EXAMPLES).filter(([, e]) => e.needs === undefined)
  it.each(withoutRuntimes)(
    'runs the README example of %s',
    async (name, expected) => {
      const outcome = await runExample(name)
      expect(outcome.stderr, outcome.stderr).not.toMatch(/Error|error MG_/)
      expect(outcome.exitCode, outcome.stderr).toBe(expected.exitCode)
      expect(outcome.stdout).toMatch(expected.stdout)
    },
    300_000,
  )

  it('names the package to add when a call needs a runtime that is not installed', async () => {
    const script = `
      import { createServer } from 'node:http'
      import { tableFromRows } from '@modelgate/core'
      import { batchSql } from '@modelgate/skew'
      import { canIDeploy, generateContracts } from '@modelgate/contracts'
      import { trainSynthesizer } from '@modelgate/synth'
      import { loadSchema } from '@modelgate/core'
      const table = tableFromRows(Array.from({ length: 40 }, (_, i) => ({ k: i, x: i % 7, c: i % 3 ? 'a' : 'b' })))
      const request = await loadSchema('schemas/request.schema.json')
      const response = await loadSchema('schemas/response.schema.json')
      // a reachable "broker", so canIDeploy gets as far as the Pact CLI
      const broker = createServer((req, res) => res.end('{}'))
      await new Promise((listening) => broker.listen(0, '127.0.0.1', listening))
      const brokerUrl = 'http://127.0.0.1:' + broker.address().port
      const calls = {
        duckdb: () => batchSql('SELECT k FROM input').compute(table, { key: 'k' }),
        pact: () => generateContracts({ consumer: 'c', provider: 'p', request, response, outDir: 'pacts' }),
        pactCli: () => canIDeploy({ brokerUrl, pacticipants: [{ name: 'c', version: '1' }] }),
        onnx: () => trainSynthesizer(table, { synthesizer: 'ctgan', ctgan: { epochs: 1 } }),
      }
      const out = {}
      for (const [name, call] of Object.entries(calls)) {
        try { await call(); out[name] = 'no error' } catch (e) { out[name] = { code: e.code, message: e.message, hint: e.hint } }
      }
      broker.close()
      console.log(JSON.stringify(out))`
    const dir = path.join(project, 'runs', 'missing')
    await cp(path.join(project, 'data'), dir, { recursive: true })
    await writeFile(path.join(dir, 'missing.mjs'), script)
    const outcome = await node(['missing.mjs'], dir)
    expect(outcome.exitCode, outcome.stderr).toBe(0)
    const errors = JSON.parse(outcome.stdout.trim().split('\n').pop() as string)
    const install = (name: string): string => {
      const peer = optionalPeer(name)
      return `npm install ${peer.package}@${peer.version}`
    }
    expect(errors.duckdb).toEqual({
      code: 'MG_DEPENDENCY_MISSING',
      message:
        'The SQL batch path (batchSql) needs @duckdb/node-api, an optional peer dependency of @modelgate/skew, which is not installed.',
      hint: `Add it beside @modelgate/skew: ${install('@duckdb/node-api')}`,
    })
    expect(errors.pact).toMatchObject({
      code: 'MG_DEPENDENCY_MISSING',
      hint: expect.stringContaining(install('@pact-foundation/pact')),
    })
    expect(errors.pactCli).toMatchObject({
      code: 'MG_DEPENDENCY_MISSING',
      hint: expect.stringContaining(install('@pact-foundation/pact-cli')),
    })
    expect(errors.onnx).toMatchObject({
      code: 'MG_SYNTH_BACKEND_UNAVAILABLE',
      message: expect.stringContaining(
        'onnxruntime-node, an optional peer dependency of @modelgate/synth, is not installed',
      ),
      hint: expect.stringContaining(`ONNXRUNTIME_NODE_INSTALL=skip ${install('onnxruntime-node')}`),
    })
  }, 120_000)

  describe('with the optional runtimes added as a user adds them', () => {
    beforeAll(async () => {
      const needed = [...new Set(Object.values(EXAMPLES).flatMap((e) => e.needs ?? []))]
      await npm(['install', ...needed.map((n) => `${optionalPeer(n).package}@${optionalPeer(n).version}`)])
      const onnx = optionalPeer('onnxruntime-node')
      // The variable makes onnxruntime-node's install script skip its CUDA download (NuGet); the CPU library is
      // in the npm package.
      await npm(['install', `${onnx.package}@${onnx.version}`], { ONNXRUNTIME_NODE_INSTALL: 'skip' })
    }, 600_000)

    const withRuntimes = Object.entries(EXAMPLES).filter(([, e]) => e.needs !== undefined)
    it.each(withRuntimes)(
      'runs the README example of %s',
      async (name, expected) => {
        const outcome = await runExample(name)
        expect(outcome.exitCode, outcome.stderr).toBe(expected.exitCode)
        expect(outcome.stdout).toMatch(expected.stdout)
      },
      300_000,
    )

    it('trains and samples a CTGAN on ONNX Runtime installed without its install script’s downloads', async () => {
      const dir = path.join(project, 'runs', 'ctgan')
      await cp(path.join(project, 'data'), dir, { recursive: true })
      const bin = path.join(project, 'node_modules', '.bin', 'modelgate')
      const train = await node(
        [
          bin,
          'synth',
          'train',
          '--data',
          'transactions.csv',
          '--out',
          'ctgan.json',
          '--pii',
          'transaction_id:id',
        ].concat(['--synthesizer', 'ctgan', '--epochs', '1', '--backend', 'onnxruntime', '--threads', '1']),
        dir,
      )
      expect(train.exitCode, train.stderr).toBe(0)
      const generate = await node(
        [bin, 'synth', 'generate', '--model', 'ctgan.json', '--rows', '1000', '--out', 'ctgan.csv'],
        dir,
      )
      expect(generate.exitCode, generate.stderr).toBe(0)
      expect((await readFile(path.join(dir, 'ctgan.csv'), 'utf8')).trim().split('\n')).toHaveLength(1001)
    }, 300_000)
  })
})
