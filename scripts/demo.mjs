// `pnpm demo`: ModelGate's main job on the bundled examples, step by step, through the real CLI.
// Every step prints the `modelgate …` command it runs, so each can be copied. Outputs go to .tmp/demo/.
// Steps that demonstrate a caught regression are expected to exit 1.
import { spawn, spawnSync } from 'node:child_process'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
// `--out <dir>` puts the outputs elsewhere (the e2e test uses a temporary folder).
const outFlag = process.argv.indexOf('--out')
const outDir =
  outFlag > 0 && process.argv[outFlag + 1] !== undefined ? process.argv[outFlag + 1] : join(root, '.tmp', 'demo')
if (outFlag < 0) rmSync(outDir, { recursive: true, force: true }) // only ever our own default folder
mkdirSync(outDir, { recursive: true })
const rel = (p) => relative(process.cwd(), p) || '.'
const out = (name) => rel(join(outDir, name))
const bin = join(root, 'packages', 'cli', 'bin', 'modelgate.js')
const transactions = rel(join(root, 'examples', 'data', 'transactions.csv'))
const fraud = join(root, 'examples', 'fraud-detection')
const pipeline = join(root, 'examples', 'fraud-detection', 'features')
const tsx = ['--import', 'tsx']

let failed = 0
const started = Date.now()
const servers = []

function section(title) {
  process.stdout.write(`\n\x1b[1m══ ${title}\x1b[0m\n`)
}

/** Runs `modelgate <args>`; `expect` is the exit code that shows the step worked (1 for a caught regression). */
function step(title, args, expect = 0) {
  process.stdout.write(`\n── ${title}\n$ modelgate ${args.join(' ')}\n`)
  const result = spawnSync(process.execPath, [bin, ...args], { stdio: 'inherit', cwd: process.cwd() })
  const ok = result.status === expect
  if (!ok) failed++
  process.stdout.write(
    ok
      ? expect === 0
        ? ''
        : `(exit ${result.status}, as expected: the regression is caught)\n`
      : `\x1b[31m✗ exited with ${result.status}, expected ${expect}\x1b[0m\n`,
  )
}

function runNode(args, stdoutFile) {
  const result = spawnSync(process.execPath, [...tsx, ...args], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} exited with ${result.status}`)
  if (stdoutFile !== undefined) writeFileSync(stdoutFile, result.stdout)
}

/** Starts an example service on a free loopback port and resolves with the URL it prints first. */
function startServer(label, args) {
  const child = spawn(process.execPath, [...tsx, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] })
  servers.push(child)
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout })
    lines.once('line', (line) => {
      const url = line.match(/https?:\/\/\S+/)?.[0]
      if (url === undefined) reject(new Error(`${label}: unexpected first line ${line}`))
      else {
        process.stdout.write(`(started ${label} on ${url})\n`)
        resolve({ url: url.replace(/\/$/, ''), stop: () => child.kill() })
      }
    })
    child.once('exit', (code) => reject(new Error(`${label} exited with ${code}`)))
  })
}

try {
  section('1. Know the data, without copying PII')
  step('Profile the bundled transactions table (PII columns are summarised without values)', ['profile', transactions])
  step('Draft an annotated schema: PII columns flagged with the reason', [
    'schema',
    'infer',
    transactions,
    '--out',
    out('transactions.schema.json'),
  ])

  section('2. Synthetic data for CI: a model file that holds no PII')
  step('Train a Gaussian copula (PII columns are never learned)', [
    'synth',
    'train',
    '--data',
    transactions,
    '--schema',
    out('transactions.schema.json'),
    '--out',
    out('model.json'),
    '--seed',
    '7',
  ])
  step('Inspect what the model file holds', ['synth', 'inspect', out('model.json')])
  step('Generate 100,000 rows (seeded: same seed, same bytes)', [
    'synth',
    'generate',
    '--model',
    out('model.json'),
    '--rows',
    '100000',
    '--seed',
    '1',
    '--out',
    out('synthetic.parquet'),
  ])
  step('Generate only fraud rows (conditional sampling)', [
    'synth',
    'generate',
    '--model',
    out('model.json'),
    '--rows',
    '1000',
    '--where',
    'is_fraud=true',
    '--out',
    out('fraud-only.csv'),
  ])
  step('Evaluate quality and privacy against the real table', [
    'synth',
    'evaluate',
    '--real',
    transactions,
    '--synthetic',
    out('synthetic.parquet'),
    '--target',
    'is_fraud',
    '--html',
    out('synth-report.html'),
    '--junit',
    out('synth-report.xml'),
    '--fail-under',
    '0.8',
  ])

  section('3. Contracts for the fraud-scoring endpoint: shape (Pact) and data (distributions)')
  const S = rel(join(fraud, 'schemas'))
  runNode(
    [join(fraud, 'service', 'payloads.ts'), '--n', '2000', '--device-null-rate', '0.01'],
    join(outDir, 'baseline.jsonl'),
  )
  runNode(
    [join(fraud, 'service', 'payloads.ts'), '--n', '2000', '--seed', '8', '--device-null-rate', '0.38'],
    join(outDir, 'after-release.jsonl'),
  )
  const service = await startServer('fraud-service', [join(fraud, 'service', 'main.ts'), '--port', '0'])
  step('Generate Pact v4 contracts from the annotated schemas and realistic examples', [
    'contracts',
    'generate',
    '--request',
    `${S}/request.schema.json`,
    '--response',
    `${S}/response.schema.json`,
    '--consumer',
    'checkout-web',
    '--provider',
    'fraud-service',
    '--examples',
    out('baseline.jsonl'),
    '--feature-log-consumer',
    'fraud-monitor',
    '--out',
    out('pacts'),
  ])
  step('Verify the real provider against them (real Pact core, loopback)', [
    'contracts',
    'verify',
    '--provider-base-url',
    service.url,
    '--pact',
    out('pacts/checkout-web-fraud-service.json'),
    '--state-handlers',
    rel(join(fraud, 'service', 'stateHandlers.mjs')),
  ])
  service.stop()
  step('Derive distribution expectations from the schema and a healthy sample', [
    'contracts',
    'expect',
    '--profile',
    `${S}/request.schema.json`,
    '--sample-data',
    out('baseline.jsonl'),
    '--out',
    out('expectations.json'),
  ])
  step(
    'Check payloads after a mobile release: device_fingerprint silently goes null',
    [
      'contracts',
      'check',
      '--expectations',
      out('expectations.json'),
      '--sample',
      out('after-release.jsonl'),
      '--junit',
      out('contracts-check.xml'),
    ],
    1,
  )

  section('4. Training/serving skew: the same rows through the batch and the online feature paths')
  runNode([join(pipeline, 'makeRows.ts'), '--rows', '3000', '--out', join(outDir, 'txns.csv')])
  const broken = await startServer('feature service with a time-zone bug', [
    join(pipeline, 'server.ts'),
    '--history',
    join(outDir, 'txns.csv'),
    '--port',
    '0',
    '--broken',
  ])
  step(
    'Batch (DuckDB SQL) vs online (HTTP) with a 6-day window bug in serving',
    [
      'skew',
      '--rows',
      out('txns.csv'),
      '--key',
      'txn_id',
      '--batch',
      `sql:${rel(join(pipeline, 'features.sql'))}`,
      '--online',
      broken.url,
      '--html',
      out('skew-report.html'),
    ],
    1,
  )
  broken.stop()
  const fixed = await startServer('feature service, fixed', [
    join(pipeline, 'server.ts'),
    '--history',
    join(outDir, 'txns.csv'),
    '--port',
    '0',
  ])
  step('The same check after the fix', [
    'skew',
    '--rows',
    out('txns.csv'),
    '--key',
    'txn_id',
    '--batch',
    `sql:${rel(join(pipeline, 'features.sql'))}`,
    '--online',
    fixed.url,
  ])
  fixed.stop()
} catch (error) {
  failed++
  process.stdout.write(`\x1b[31m✗ ${error instanceof Error ? error.message : String(error)}\x1b[0m\n`)
} finally {
  for (const s of servers) s.kill()
}

const seconds = ((Date.now() - started) / 1000).toFixed(1)
process.stdout.write(
  `\n${failed === 0 ? '✓ demo finished' : `✗ ${failed} demo step(s) did not behave as expected`} in ${seconds} s — reports and files in ${rel(outDir)}/\n`,
)
process.exitCode = failed === 0 ? 0 : 1
