// `pnpm demo`: the fraud-detection incident of examples/fraud-detection, step by step, through the real CLI and
// real servers on loopback. Every step prints the `modelgate …` command it runs, so each can be copied.
// Outputs (HTML and JUnit reports) go to .tmp/demo/. Steps that demonstrate a caught regression exit 1.
import { spawn, spawnSync } from 'node:child_process'
import { mkdirSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:http'
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
const example = join(root, 'examples', 'fraud-detection')
const ex = (...parts) => rel(join(example, ...parts))

let failed = 0
const started = Date.now()
const children = []

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

/** Starts a process and resolves with the first URL it prints on `stream` (stdout or stderr). */
function startProcess(label, args, stream = 'stdout') {
  const child = spawn(process.execPath, args, {
    cwd: root,
    stdio: ['ignore', stream === 'stdout' ? 'pipe' : 'inherit', stream === 'stderr' ? 'pipe' : 'inherit'],
  })
  children.push(child)
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child[stream] })
    let found = false
    lines.on('line', (line) => {
      if (stream === 'stderr') process.stderr.write(`  [${label}] ${line}\n`)
      const url = line.match(/https?:\/\/[^\s)]+/)?.[0]
      if (!found && url !== undefined) {
        found = true
        process.stdout.write(`(started ${label} on ${url})\n`)
        resolve(url.replace(/\/$/, ''))
      }
    })
    child.once('exit', (code) => {
      if (!found) reject(new Error(`${label} exited with ${code}`))
    })
  })
}

const readJsonl = (file) =>
  readFileSync(join(example, file), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line))

async function send(url, rows, concurrency = 8) {
  let next = 0
  const worker = async () => {
    while (next < rows.length) {
      const row = rows[next++]
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(row),
      })
      await res.arrayBuffer()
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
}

// The deploy system's rollback endpoint: records each call (the monitor's alert webhook).
const rollbackCalls = []
const rollback = createServer((req, res) => {
  const chunks = []
  req.on('data', (c) => chunks.push(c))
  req.on('end', () => {
    const alert = JSON.parse(Buffer.concat(chunks).toString('utf8'))
    const again = rollbackCalls.some((a) => a.id === alert.id)
    rollbackCalls.push(alert)
    process.stdout.write(
      again
        ? `(the same alert delivered again: Idempotency-Key ${req.headers['idempotency-key']})\n`
        : `\x1b[1m⟲ rollback webhook called\x1b[0m (Idempotency-Key ${req.headers['idempotency-key']}): rule ${alert.rule} fired on the window ${alert.window.start} – ${alert.window.end} (${alert.evidence.events} events): ${alert.evidence.failures.join('; ')}\n`,
    )
    res.end('{"rolled_back":true}')
  })
})

try {
  section('1. The production sample, without copying PII')
  step('Profile the payloads the checkout app sends (PII columns summarised without values)', [
    'profile',
    ex('data', 'reference.jsonl'),
    '--schema',
    ex('schemas', 'request.schema.json'),
  ])

  section('2. In production: the current release, its monitor, the deploy system')
  await new Promise((ready) => rollback.listen(0, '127.0.0.1', ready))
  const rollbackUrl = `http://127.0.0.1:${rollback.address().port}/rollback`
  process.stdout.write(`(the deploy system's rollback webhook, recording calls, on ${rollbackUrl})\n`)
  const monitorArgs = [
    'monitor',
    'serve',
    '--baseline',
    ex('baseline.json'),
    '--config',
    ex('monitor.yaml'),
    '--port',
    '0',
    '--webhook',
    rollbackUrl,
  ]
  process.stdout.write(`$ modelgate ${monitorArgs.join(' ')}\n`)
  const monitorUrl = await startProcess('monitor', [bin, ...monitorArgs], 'stderr')
  const prodArgs = [
    join(example, 'service', 'main.ts'),
    '--port',
    '0',
    '--history',
    join(example, 'data', 'feature-history.csv'),
    '--monitor',
    monitorUrl,
  ]
  process.stdout.write(`$ node --import tsx ${prodArgs.map((a) => (a.startsWith('/') ? rel(a) : a)).join(' ')}\n`)
  const production = `${await startProcess('fraud-service (production)', ['--import', 'tsx', ...prodArgs])}/predict`

  section('3. The release under test, as CI starts it')
  const ciArgs = [
    join(example, 'service', 'main.ts'),
    '--port',
    '0',
    '--history',
    join(example, 'data', 'feature-history.csv'),
  ]
  process.stdout.write(`$ node --import tsx ${ciArgs.map(rel).join(' ')}\n`)
  const endpoint = `${await startProcess('fraud-service (CI)', ['--import', 'tsx', ...ciArgs])}/predict`

  section('4. The gate on the release under test: every check of modelgate.yaml, one report')
  step('Run the gate (synth, contracts, expectations, skew, drift; then load and shadow, alone)', [
    'gate',
    '--config',
    ex('modelgate.yaml'),
    '--endpoint',
    endpoint,
    '--shadow-primary',
    production,
    '--html',
    out('gate.html'),
    '--junit',
    out('gate.xml'),
  ])

  section('5. A mobile release ships: device_fingerprint goes null for 40% of requests')
  process.stdout.write('(production traffic: 400 payloads of the current release, then 600 of the mobile release)\n')
  await send(production, readJsonl('data/candidate.jsonl').slice(0, 400))
  await send(production, readJsonl('data/mobile-release.jsonl').slice(0, 600))
  const deadline = Date.now() + 20_000
  while (rollbackCalls.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100))
  if (rollbackCalls.length === 0) {
    failed++
    process.stdout.write('\x1b[31m✗ the monitor did not call the rollback webhook within 20 s\x1b[0m\n')
  }

  section('6. The gate on the mobile release’s sample: caught before the next deploy')
  step(
    'The distribution contract and drift on the new sample',
    [
      'gate',
      '--config',
      ex('modelgate.yaml'),
      '--endpoint',
      endpoint,
      '--candidate',
      ex('data', 'mobile-release.jsonl'),
      '--only',
      'expectations,drift',
      '--html',
      out('gate-mobile-release.html'),
      '--junit',
      out('gate-mobile-release.xml'),
    ],
    1,
  )

  section('7. A candidate whose feature code reads the amount in cents, in shadow beside production')
  const degradedArgs = [join(example, 'service', 'main.ts'), '--port', '0', '--degraded']
  process.stdout.write(`$ node --import tsx ${degradedArgs.map((a) => (a.startsWith('/') ? rel(a) : a)).join(' ')}\n`)
  const degraded = `${await startProcess('fraud-service (degraded candidate)', ['--import', 'tsx', ...degradedArgs])}/predict`
  step(
    'The shadow check: traffic mirrored to the candidate, judged as a canary (advisory in this example: its fail folds as warn)',
    [
      'gate',
      '--config',
      ex('modelgate.yaml'),
      '--endpoint',
      degraded,
      '--shadow-primary',
      production,
      '--only',
      'shadow',
      '--html',
      out('gate-shadow.html'),
    ],
    0,
  )
} catch (error) {
  failed++
  process.stdout.write(`\x1b[31m✗ ${error instanceof Error ? error.message : String(error)}\x1b[0m\n`)
} finally {
  for (const child of children) child.kill()
  rollback.closeAllConnections()
  rollback.close()
}

const seconds = ((Date.now() - started) / 1000).toFixed(1)
process.stdout.write(
  `\n${failed === 0 ? '✓ demo finished' : `✗ ${failed} demo step(s) did not behave as expected`} in ${seconds} s — reports and files in ${rel(outDir)}/\n`,
)
process.exitCode = failed === 0 ? 0 : 1
