// Servers for bench/load.bench.ts, each run in its own process: `node --import tsx bench/load/server.ts <mode> [port]`.
// Prints `{"port": N}` on stdout when listening.
//   trivial  — answers every request at once (for the maximum-rate comparison with wrk and autocannon)
//   service  — 8 worker slots, each request holds one for a log-normal service time (median 4 ms, σ 0.5), FIFO
//              queue before them; GET /_truth returns the server-side latencies (arrival → response end) quantiles
//   stall    — answers at once, except that every 10 s it stalls for 1 s (requests arriving meanwhile wait)
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createRandom } from '@modelgate/core'

const mode = process.argv[2] ?? 'trivial'
const port = Number(process.argv[3] ?? 0)
const BODY = '{"score":0.5}'
const HEADERS = { 'content-type': 'application/json', 'content-length': String(BODY.length) }
const random = createRandom(42, 'bench-service-times')
const SLOTS = 8
let free = SLOTS
const queue: (() => void)[] = []
let truth: number[] = []
const t0 = performance.now()

const server = createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
  const arrived = performance.now()
  req.resume()
  req.on('end', () => {
    if (req.url === '/_truth') {
      const sorted = Float64Array.from(truth).sort()
      const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? Number.NaN
      res.end(JSON.stringify({ n: sorted.length, p50: q(0.5), p90: q(0.9), p99: q(0.99), p999: q(0.999) }))
      truth = []
      return
    }
    if (mode === 'service') {
      const run = (): void => {
        free--
        const serviceMs = 4 * Math.exp(0.5 * random.normal())
        setTimeout(() => {
          res.writeHead(200, HEADERS)
          res.end(BODY, () => {
            truth.push(performance.now() - arrived)
          })
          free++
          queue.shift()?.()
        }, serviceMs)
      }
      if (free > 0) run()
      else queue.push(run)
      return
    }
    if (mode === 'stall') {
      const inCycle = (performance.now() - t0) % 10_000
      if (inCycle >= 9_000) {
        setTimeout(() => {
          res.writeHead(200, HEADERS)
          res.end(BODY)
        }, 10_000 - inCycle)
        return
      }
    }
    res.writeHead(200, HEADERS)
    res.end(BODY)
  })
})
server.listen(port, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`)
})
