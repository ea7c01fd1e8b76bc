// The example's full gate (examples/fraud-detection/modelgate.yaml) against its service in its own process:
// wall time of the whole gate and of each check, over --runs runs (default 3), with the machine's load.
//   node --import tsx bench/gate.bench.ts [--runs 3]
import { spawn } from 'node:child_process'
import { loadavg } from 'node:os'
import { parseArgs } from 'node:util'
import { loadGateConfig, runGate } from '@modelgate/gate'

const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' } } })
const RUNS = Number(values.runs)

function figure(name: string, value: number, unit: string, extra: Record<string, unknown> = {}): void {
  process.stdout.write(`${JSON.stringify({ name, value: Number(value.toPrecision(4)), unit, ...extra })}\n`)
}

const child = spawn(
  process.execPath,
  [
    '--import',
    'tsx',
    'examples/fraud-detection/service/main.ts',
    '--port',
    '0',
    '--history',
    'examples/fraud-detection/data/feature-history.csv',
  ],
  { stdio: ['ignore', 'pipe', 'inherit'] },
)
try {
  const base = await new Promise<string>((resolve, reject) => {
    let text = ''
    child.stdout.on('data', (d: Buffer) => {
      text += d.toString()
      const m = /listening on (\S+)/.exec(text)
      if (m?.[1] !== undefined) resolve(m[1])
    })
    child.once('exit', (code) => reject(new Error(`fraud service exited with ${code}`)))
  })
  const config = await loadGateConfig('examples/fraud-detection/modelgate.yaml')
  for (let run = 1; run <= RUNS; run++) {
    const load = loadavg()[0] as number
    // the release as its own shadow primary: the shadow run costs what it costs beside another release
    const report = await runGate(config, { endpoint: `${base}/predict`, shadowPrimary: `${base}/predict` })
    const extra = { run, load1: Number(load.toFixed(2)), verdict: report.verdict }
    figure('gate: the example, every check', (report.durationMs ?? 0) / 1000, 's', {
      ...extra,
      target: '≤ 60 s, aim ≤ 20 s',
    })
    for (const check of report.checks)
      figure(`gate: ${check.name}`, (check.metrics?.durationMs ?? 0) / 1000, 's', { ...extra, verdict: check.verdict })
  }
} finally {
  child.kill('SIGTERM')
}
