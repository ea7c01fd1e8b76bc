// `node --import tsx bench/load/autocannon.ts <url> <connections> <seconds>`: one autocannon run in its own process,
// printing { rps, p50, p99, cpuUsPerRequest } on stdout.
import autocannon from 'autocannon'

const [url = '', connections = '64', seconds = '5'] = process.argv.slice(2)
const c0 = process.cpuUsage()
const result = await autocannon({ url, connections: Number(connections), duration: Number(seconds) })
const cpu = process.cpuUsage(c0)
const total = result.requests.total
process.stdout.write(
  `${JSON.stringify({ rps: total / Number(seconds), p50: result.latency.p50, p99: result.latency.p99, errors: result.errors + result.non2xx, cpuUsPerRequest: (cpu.user + cpu.system) / total })}\n`,
)
