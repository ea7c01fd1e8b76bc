// Contracts benchmarks: generating and verifying the fraud contract with the Pact core, and
// checkExpectations throughput on 1M payloads (columnar tables) and on JSON lines.
//   node --import tsx bench/contracts.bench.ts [--rows 1000000]
import { spawn, spawnSync } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import {
  checkExpectations,
  deriveExpectations,
  generateContracts,
  readPayloads,
  verifyProvider,
} from '@modelgate/contracts'
import type { Table, TableSchema } from '@modelgate/core'
import { tableFromRows, tableSchema } from '@modelgate/core'
import { generatePayloads } from '../examples/fraud-detection/service/generatePayloads.js'

const { values } = parseArgs({ options: { rows: { type: 'string', default: '1000000' } } })
const ROWS = Number(values.rows)
const CHUNK = 100_000

function figure(name: string, value: number, unit: string, extra: Record<string, unknown> = {}): void {
  process.stdout.write(`${JSON.stringify({ name, value: Number(value.toPrecision(4)), unit, ...extra })}\n`)
}
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number

const schemaOf = async (name: string): Promise<TableSchema> =>
  tableSchema.parse(JSON.parse(await readFile(`examples/fraud-detection/schemas/${name}.schema.json`, 'utf8')))

async function startService(): Promise<{ url: string; stop: () => void }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'examples/fraud-detection/service/main.ts', '--port', '0'],
    {
      stdio: ['ignore', 'pipe', 'ignore'],
    },
  )
  const url = await new Promise<string>((resolve, reject) => {
    let text = ''
    child.stdout.on('data', (d: Buffer) => {
      text += d.toString()
      const m = /listening on (\S+)/.exec(text)
      if (m?.[1] !== undefined) resolve(m[1])
    })
    child.once('exit', (code) => reject(new Error(`fraud service exited with ${code}`)))
  })
  return { url, stop: () => child.kill('SIGTERM') }
}

const dir = await mkdtemp(path.join(os.tmpdir(), 'mg-bench-contracts-'))
try {
  const request = await schemaOf('request')
  const response = await schemaOf('response')
  const examples = generatePayloads({ n: 2000, seed: 1 })

  // 1. generate (6 HTTP interactions + the feature-log message pact), median of 5 after a warm-up.
  const gen: number[] = []
  let pactFile = ''
  for (let i = 0; i < 6; i++) {
    const t = performance.now()
    const r = await generateContracts({
      consumer: 'checkout-web',
      provider: 'fraud-service',
      request,
      response,
      examples,
      outDir: path.join(dir, `pacts${i}`),
      featureLog: { consumer: 'fraud-monitor' },
    })
    if (i > 0) gen.push(performance.now() - t)
    pactFile = r.pactFile
  }
  figure('contracts.generate (6 interactions + message pact)', median(gen), 'ms')

  // 2. verify the 6 interactions against the real service process.
  const service = await startService()
  const ver: number[] = []
  for (let i = 0; i < 6; i++) {
    const t = performance.now()
    const r = await verifyProvider({ providerBaseUrl: service.url, pactFiles: [pactFile] })
    if (!r.passed) throw new Error('verification failed')
    if (i > 0) ver.push(performance.now() - t)
  }
  service.stop()
  figure('contracts.verify (6 interactions, loopback)', median(ver), 'ms')

  // 3. checkExpectations on ROWS payloads as columnar tables (one 100k-row table fed ROWS/100k times).
  const expectations = await deriveExpectations({ schema: request, sample: examples })
  const chunkRows = generatePayloads({ n: CHUNK, seed: 2, deviceFingerprintNullRate: 0.38 })
  const chunk = tableFromRows(chunkRows, { kinds: Object.fromEntries(request.columns.map((c) => [c.name, c.kind])) })
  async function* tables(): AsyncGenerator<Table> {
    for (let done = 0; done < ROWS; done += CHUNK) yield chunk
  }
  const col: number[] = []
  for (let i = 0; i < 3; i++) {
    const t = performance.now()
    const report = await checkExpectations(expectations, tables())
    col.push(performance.now() - t)
    if (report.verdict !== 'fail') throw new Error('expected the regression to be caught')
  }
  const colMs = median(col)
  // Reference: numpy doing the same checks (null rates, allowed categories with np.isin, 5 quantiles
  // per numeric feature) on the same 1M rows, arrays built before timing.
  const jsonl = path.join(dir, 'chunk.jsonl')
  await writeFile(jsonl, `${chunkRows.map((r) => JSON.stringify(r)).join('\n')}\n`)
  const py = spawnSync(
    'python3',
    [
      '-c',
      `
import json, time, numpy as np
rows = [json.loads(l) for l in open(${JSON.stringify(jsonl)})]
reps = ${ROWS / CHUNK}
cols = {k: [r.get(k) for r in rows] * reps for k in rows[0]}
num = {k: np.array([np.nan if v is None else float(v) for v in cols[k]]) for k in ['amount', 'account_age_days', 'hour_of_day']}
cat = {k: np.array(cols[k], dtype=str) for k in ['currency', 'merchant_category']}
obj = {k: np.array(cols[k], dtype=object) for k in cols if k not in num and k not in cat}
allowed = {'currency': ['USD','EUR','GBP'], 'merchant_category': ['grocery','electronics','travel','gaming','fuel']}
ts = []
for _ in range(3):
    t = time.perf_counter()
    nulls = {k: float(np.isnan(a).mean()) for k, a in num.items()}
    nulls.update({k: float(np.equal(a, None).mean()) for k, a in obj.items()})
    other = {k: float((~np.isin(a, allowed[k])).mean()) for k, a in cat.items()}
    qs = {k: np.quantile(a[~np.isnan(a)], [0.05, 0.25, 0.5, 0.75, 0.95]) for k, a in num.items()}
    ts.append((time.perf_counter() - t) * 1000)
print(sorted(ts)[1], np.__version__)
`,
    ],
    { encoding: 'utf8', maxBuffer: 1 << 26 },
  )
  const [refMs, numpyVersion] = py.stdout.trim().split(' ')
  const reference = Number(refMs)
  figure(`contracts.checkExpectations ${ROWS.toLocaleString('en-US')} payloads (columnar tables)`, colMs, 'ms', {
    rowsPerSecond: Math.round(ROWS / (colMs / 1000)),
    ...(Number.isFinite(reference)
      ? { reference, ratio: Number((colMs / reference).toFixed(2)), referenceName: `numpy ${numpyVersion}` }
      : {}),
  })

  // 4. checkExpectations streaming JSON lines (parse included): 100k payloads.
  const rowsMs: number[] = []
  for (let i = 0; i < 3; i++) {
    const t = performance.now()
    await checkExpectations(expectations, await readPayloads(jsonl))
    rowsMs.push(performance.now() - t)
  }
  figure(
    `contracts.checkExpectations ${CHUNK.toLocaleString('en-US')} payloads (JSON lines, parse included)`,
    median(rowsMs),
    'ms',
    {
      rowsPerSecond: Math.round(CHUNK / (median(rowsMs) / 1000)),
    },
  )
} finally {
  await rm(dir, { recursive: true, force: true })
}
