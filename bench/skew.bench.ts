// Skew benchmarks: HTTP replay throughput with keep-alive, 1M rows through the batch path + comparison, and noise
// control (each path run twice) over 100k rows.
//   node --import tsx bench/skew.bench.ts [--http-rows 20000] [--batch-rows 1000000] [--noise-rows 100000]
//     [--only http,batch,noise]
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { loadavg } from 'node:os'
import { parseArgs } from 'node:util'
import type { Table } from '@modelgate/core'
import type { FeaturePath } from '@modelgate/skew'
import { batchFunction, batchSql, checkSkew, onlineFunction, onlineHttp } from '@modelgate/skew'
import { batchFeatures } from '../examples/fraud-detection/features/features.js'
import { generateTransactions } from '../examples/fraud-detection/features/generateTransactions.js'

const { values } = parseArgs({
  options: {
    'http-rows': { type: 'string', default: '20000' },
    'batch-rows': { type: 'string', default: '1000000' },
    'noise-rows': { type: 'string', default: '100000' },
    only: { type: 'string', default: 'http,batch,noise' },
  },
})
const HTTP_ROWS = Number(values['http-rows'])
const BATCH_ROWS = Number(values['batch-rows'])
const NOISE_ROWS = Number(values['noise-rows'])
const sections = new Set(values.only.split(','))
const sql = readFileSync(new URL('../examples/fraud-detection/features/features.sql', import.meta.url), 'utf8')

function figure(name: string, value: number, unit: string, extra: Record<string, unknown> = {}): void {
  process.stdout.write(`${JSON.stringify({ name, value: Number(value.toPrecision(4)), unit, ...extra })}\n`)
}

/** CPU time (ms) a process has used so far, from /proc (Linux; 0 elsewhere). */
function processCpuMs(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? []
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100 // utime + stime in clock ticks (USER_HZ = 100)
  } catch {
    return 0
  }
}

async function startService(rows: number): Promise<{ url: string; pid: number | undefined; stop: () => void }> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'examples/fraud-detection/features/server.ts',
      '--generate',
      String(rows),
      '--seed',
      '1',
      '--port',
      '0',
    ],
    { stdio: ['ignore', 'pipe', 'ignore'] },
  )
  const url = await new Promise<string>((resolve, reject) => {
    let text = ''
    child.stdout.on('data', (d: Buffer) => {
      text += d.toString('utf8')
      const line = text.split('\n')[0]
      if (text.includes('\n') && line !== undefined) resolve(line.trim())
    })
    child.once('exit', (code) => reject(new Error(`feature service exited with ${code}`)))
  })
  return { url, pid: child.pid, stop: () => child.kill('SIGTERM') }
}

let lastCpuMs = 0

/** Wall-clock ms of one path over the input; the client's own CPU time is left in lastCpuMs. */
async function timeCompute(path: FeaturePath, input: Table): Promise<number> {
  const cpu = process.cpuUsage()
  const t = performance.now()
  const out = await path.compute(input, { key: 'txn_id' })
  const ms = performance.now() - t
  const used = process.cpuUsage(cpu)
  lastCpuMs = (used.user + used.system) / 1000
  if (out.failures.length > 0) throw new Error(`${out.failures.length} failed rows, first: ${out.failures[0]?.message}`)
  await path.close?.()
  return ms
}

if (sections.has('http')) await benchHttpReplay()
if (sections.has('batch')) await benchBatch()
if (sections.has('noise')) await benchNoise()

/** 1. HTTP replay through the example feature service (a separate process). */
async function benchHttpReplay(): Promise<void> {
  const httpInput = generateTransactions({ rows: HTTP_ROWS, seed: 1 })
  const service = await startService(HTTP_ROWS)
  try {
    await timeCompute(onlineHttp(service.url, { concurrency: 32 }), generateTransactions({ rows: 2000, seed: 1 })) // warm-up
    for (const concurrency of [8, 32, 64]) {
      const serverCpu = processCpuMs(service.pid)
      const ms = await timeCompute(onlineHttp(service.url, { concurrency }), httpInput)
      const serverCpuMs = processCpuMs(service.pid) - serverCpu
      figure(`skew.http.replay.c${concurrency}`, (HTTP_ROWS / ms) * 1000, 'rows/s', {
        target: '>= 5000',
        rows: HTTP_ROWS,
        concurrency,
        agent: 'node:http keep-alive',
        clientCpuUsPerRow: Math.round((lastCpuMs * 1000) / HTTP_ROWS),
        serverCpuUsPerRow: Math.round((serverCpuMs * 1000) / HTTP_ROWS),
        loadAverage: Number(loadavg()[0]?.toFixed(2)),
      })
    }
    // Node 20's global fetch (undici inside, its own keep-alive pool) at the same concurrency, for comparison.
    const viaFetch = onlineFunction(
      async (row) => {
        const res = await fetch(service.url, {
          method: 'POST',
          body: JSON.stringify(row),
          headers: { 'content-type': 'application/json' },
        })
        return (await res.json()) as Record<string, unknown>
      },
      { concurrency: 32 },
    )
    const fetchMs = await timeCompute(viaFetch, httpInput)
    figure('skew.http.replay.fetch.c32', (HTTP_ROWS / fetchMs) * 1000, 'rows/s', {
      rows: HTTP_ROWS,
      agent: 'global fetch (undici)',
      clientCpuUsPerRow: Math.round((lastCpuMs * 1000) / HTTP_ROWS),
    })
    // End to end: DuckDB SQL batch path vs the HTTP service, joined and compared.
    const t = performance.now()
    const report = await checkSkew({
      input: httpInput,
      key: 'txn_id',
      batch: batchSql(sql),
      online: onlineHttp(service.url, { concurrency: 32 }),
    })
    const ms = performance.now() - t
    if (report.verdict !== 'pass') throw new Error(`expected the correct service to pass, got ${report.verdict}`)
    figure('skew.http.check_end_to_end', (HTTP_ROWS / ms) * 1000, 'rows/s', {
      rows: HTTP_ROWS,
      ms: Math.round(ms),
      onlineMs: Math.round(report.timings.onlineMs),
    })
  } finally {
    service.stop()
  }
}

/** 2. 1M rows: DuckDB SQL batch path vs the TypeScript batch function, joined and compared. */
async function benchBatch(): Promise<void> {
  let t = performance.now()
  const big = generateTransactions({ rows: BATCH_ROWS, users: Math.round(BATCH_ROWS / 40), days: 90, seed: 2 })
  figure('skew.batch.generate_rows', performance.now() - t, 'ms', { rows: BATCH_ROWS })
  t = performance.now()
  const cpuBefore = process.cpuUsage()
  const report = await checkSkew({
    input: big,
    key: 'txn_id',
    batch: batchSql(sql, { name: 'sql:features.sql' }),
    online: batchFunction(batchFeatures, { name: 'function:batchFeatures' }),
    tolerance: 1e-9,
  })
  const total = performance.now() - t
  const cpu = process.cpuUsage(cpuBefore)
  if (report.verdict !== 'pass')
    throw new Error(
      `expected the two batch paths to agree, got ${report.features.map((f) => `${f.feature}=${f.verdict}`).join(' ')}`,
    )
  figure('skew.batch.1m_total', total / 1000, 's', {
    target: '<= 20',
    rows: BATCH_ROWS,
    features: report.features.length,
    loadAverage: Number(loadavg()[0]?.toFixed(2)),
    processCpuS: Number(((cpu.user + cpu.system) / 1e6).toFixed(2)),
  })
  figure('skew.batch.1m_sql_path', report.timings.batchMs / 1000, 's', {
    rows: BATCH_ROWS,
    note: 'load into DuckDB + window SQL + read back, concurrent with the TS path',
  })
  figure('skew.batch.1m_ts_path', report.timings.onlineMs / 1000, 's', { rows: BATCH_ROWS })
  figure('skew.batch.1m_compare', report.timings.compareMs / 1000, 's', {
    rows: BATCH_ROWS,
    note: 'join + 6 features: agreement, KS, PSI, TOST, BH, worst rows, histograms',
  })
  figure('skew.peak_rss', process.memoryUsage().rss / 2 ** 20, 'MiB')
}

/**
 * 3. Noise control: both paths (the TypeScript batch function) run twice, each second run aligned to the input by
 * key and compared with the first. Was O(rows²) (the alignment was recomputed per matched row).
 */
async function benchNoise(): Promise<void> {
  const input = generateTransactions({
    rows: NOISE_ROWS,
    users: Math.max(1, Math.round(NOISE_ROWS / 40)),
    days: 90,
    seed: 3,
  })
  const path = batchFunction(batchFeatures, { name: 'function:batchFeatures' })
  const t = performance.now()
  const cpuBefore = process.cpuUsage()
  const report = await checkSkew({ input, key: 'txn_id', batch: path, online: path, tolerance: 1e-9, noise: 'both' })
  const total = performance.now() - t
  const cpu = process.cpuUsage(cpuBefore)
  if (report.verdict !== 'pass') throw new Error(`expected a path to agree with itself, got ${report.verdict}`)
  figure('skew.noise.both_total', total / 1000, 's', {
    rows: NOISE_ROWS,
    features: report.features.length,
    loadAverage: Number(loadavg()[0]?.toFixed(2)),
    processCpuS: Number(((cpu.user + cpu.system) / 1e6).toFixed(2)),
  })
  figure('skew.noise.both_compare', report.timings.compareMs / 1000, 's', {
    rows: NOISE_ROWS,
    note: 'join, both noise alignments and measurements, 6 features compared',
  })
}
