import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Scenario } from '../../gate/test/support/scenario.js'
import { createScenario } from '../../gate/test/support/scenario.js'
import { runCli } from './support/runCli.js'

let scenario: Scenario
let configPath: string
beforeAll(async () => {
  scenario = await createScenario()
})
afterAll(async () => scenario.close())

// The load check is here for the wiring (progress, JUnit, exit code), not for this machine's speed: its SLO and the
// generator-behind rule are loose enough to pass while the rest of the suite loads both cores.
const config = (candidate: string): string => `version: 1
endpoint: http://127.0.0.1:9/unused
schemas: { request: request.schema.json }
data: { reference: reference.jsonl, candidate: ${candidate} }
baseline: baseline.json
checks:
  - type: expectations
  - type: drift
  - type: load
    rate: 100/s
    duration: 2s
    slos: ["p99<10s"]
    generator: { lateThreshold: 1s, maxLateShare: 99%, maxLateness: 10s }
`

describe('modelgate gate', () => {
  it('runs the checks with live progress on stderr, writes JUnit and HTML, exits 0 on a pass', async () => {
    configPath = await scenario.config(config('candidate.jsonl'))
    const r = await runCli(
      ['gate', '--config', configPath, '--endpoint', scenario.url, '--junit', 'gate.xml', '--html', 'gate.html'],
      scenario.dir,
    )
    expect(r.err).toMatch(/▶ drift \(drift\) started/)
    expect(r.err).toMatch(/■ load PASS in \d+\.\d s/)
    expect(r.code).toBe(0)
    const junit = await readFile(join(scenario.dir, 'gate.xml'), 'utf8')
    expect(junit.match(/<testsuite /g)?.length).toBeGreaterThanOrEqual(3)
    expect(await readFile(join(scenario.dir, 'gate.html'), 'utf8')).toContain('<!doctype html')
  })

  it('exits 1 on the mobile release with the failing checks named; --json prints only JSON', async () => {
    configPath = await scenario.config(config('mobile-release.jsonl'))
    const r = await runCli(['gate', '--config', configPath, '--only', 'expectations,drift', '--json'], scenario.dir)
    expect(r.code).toBe(1)
    const report = JSON.parse(r.out) as { verdict: string; checks: { message: string }[] }
    expect(report.verdict).toBe('fail')
    expect(report.checks.map((c) => c.message).join('\n')).toMatch(/device_fingerprint null rate/)
  })

  it('exits 2 on an unknown check id and on a config error, naming it', async () => {
    configPath = await scenario.config(config('candidate.jsonl'))
    const r = await runCli(['gate', '--config', configPath, '--only', 'drfit'], scenario.dir)
    expect(r.code).toBe(2)
    expect(r.err).toMatch(/MG_GATE_UNKNOWN_CHECK.*"drfit"/)
    await scenario.config(config('candidate.jsonl').replace('rate: 100/s', 'rate: fast'))
    const bad = await runCli(['gate', '--config', 'modelgate.yaml'], scenario.dir)
    expect(bad.code).toBe(2)
    expect(bad.err).toMatch(/modelgate\.yaml, line 10, checks\[2\]\.rate/)
  })

  it('--update-baseline writes the baseline and prints the diff', async () => {
    configPath = await scenario.config(config('mobile-release.jsonl'))
    const r = await runCli(['gate', '--config', configPath, '--update-baseline'], scenario.dir)
    expect(r.code).toBe(0)
    expect(r.out).toMatch(/device_fingerprint \| pii \| null rate/)
    expect(await readFile(join(scenario.dir, 'baseline.diff.md'), 'utf8')).toBe(`${r.out.trimEnd()}\n`)
  })
})

describe('modelgate gate init', () => {
  it('drafts a config, a schema and a baseline that the gate then runs', async () => {
    const init = await runCli(
      ['gate', 'init', '--data', 'candidate.jsonl', '--endpoint', scenario.url, '--dir', 'drafted'],
      scenario.dir,
    )
    expect(init.code).toBe(0)
    expect(init.err).toMatch(/wrote drafted\/modelgate\.yaml/)
    const yaml = await readFile(join(scenario.dir, 'drafted', 'modelgate.yaml'), 'utf8')
    expect(yaml).toContain(`endpoint: "${scenario.url}"`)
    // the JSON Schema the config's first line names for editors is written beside it
    const named = /\$schema=(\S+)/.exec(yaml)?.[1]
    expect(named).toBe('modelgate.schema.json')
    const configSchema = JSON.parse(await readFile(join(scenario.dir, 'drafted', named!), 'utf8'))
    expect(configSchema.properties).toHaveProperty('checks')
    const run = await runCli(
      ['gate', '--config', 'drafted/modelgate.yaml', '--only', 'expectations,drift'],
      scenario.dir,
    )
    expect(run.err).not.toMatch(/error/)
    expect(run.code).toBe(0)
    const again = await runCli(
      ['gate', 'init', '--data', 'candidate.jsonl', '--endpoint', scenario.url, '--dir', 'drafted'],
      scenario.dir,
    )
    expect(again.code).toBe(2)
    expect(again.err).toMatch(/already exists; nothing was written/)
  })
})
