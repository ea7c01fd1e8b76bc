import { readFile } from 'node:fs/promises'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import type { Report } from '@modelgate/core'
import { renderJUnit } from '@modelgate/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { GateProgress } from '../src/index.js'
import { loadGateConfig, runGate, updateBaseline } from '../src/index.js'
import type { Scenario } from './support/scenario.js'
import { createScenario } from './support/scenario.js'

let scenario: Scenario
beforeAll(async () => {
  scenario = await createScenario()
})
afterAll(async () => scenario.close())

const config = (candidate: string, extra = ''): string => `version: 1
name: scoring-api
endpoint: ${scenario.url}
schemas:
  request: request.schema.json
data:
  reference: reference.jsonl
  candidate: ${candidate}
baseline: baseline.json
checks:
  - type: expectations
  - type: drift
  - id: load
    type: load
    rate: 100/s
    duration: 2s
    slos: ["p99<3s", "errors<1%"]
    # the scoring server shares the test's event loop on a shared 2-core machine, which a full test run keeps busy:
    # these tests are about the gate's structure, so the timing bounds only catch a load check that hangs or errs
    generator: { lateThreshold: 250ms, maxLateShare: 50%, maxLateness: 5s }
${extra}`

const allMessages = (report: Report): string =>
  [report, ...(report.reports ?? []), ...(report.reports ?? []).flatMap((r) => r.reports ?? [])]
    .flatMap((r) => r.checks.map((c) => c.message))
    .join('\n')

const verdicts = (report: Report): Record<string, string> =>
  Object.fromEntries(report.checks.map((c) => [c.name, c.verdict]))

describe('runGate', () => {
  it('passes a healthy candidate: one sub-report per check, the timing check after the others', async () => {
    const gate = await loadGateConfig(await scenario.config(config('candidate.jsonl')))
    const events: GateProgress[] = []
    const report = await runGate(gate, { onProgress: (p) => events.push(p) })
    expect(verdicts(report)).toEqual({ expectations: 'pass', drift: 'pass', load: 'pass' })
    expect(report.verdict).toBe('pass')
    expect(report.kind).toBe('gate')
    expect(report.reports?.map((r) => r.kind)).toEqual(['contracts.check', 'drift', 'load'])
    expect(report.reports?.[1]?.title).toMatch(/^drift: /)
    expect(report.summary).toMatchObject({ checks: 3, passed: 3, failed: 0 })
    // load starts only once both independent checks are done
    const order = events.filter((e) => e.phase !== 'progress').map((e) => `${e.phase}:${e.id}`)
    expect(order.indexOf('start:load')).toBeGreaterThan(order.indexOf('done:drift'))
    expect(order.indexOf('start:load')).toBeGreaterThan(order.indexOf('done:expectations'))
    expect(order.slice(0, 2).sort()).toEqual(['start:drift', 'start:expectations'])
    expect(scenario.served()).toBeGreaterThanOrEqual(190)
    // JUnit: one test suite per check
    const junit = renderJUnit(report)
    for (const id of ['expectations', 'drift', 'load']) expect(junit).toContain(`name="${id}: `)
  })

  it('fails the mobile release on drift and the distribution contract, naming device_fingerprint', async () => {
    const gate = await loadGateConfig(await scenario.config(config('mobile-release.jsonl')))
    const report = await runGate(gate, { only: ['expectations', 'drift'] })
    expect(verdicts(report)).toEqual({ expectations: 'fail', drift: 'fail' })
    expect(report.verdict).toBe('fail')
    const messages = report.checks.map((c) => c.message).join('\n')
    expect(messages).toMatch(/device_fingerprint null rate \d\d\.\d% > 5\.0%/)
    expect(messages).toMatch(/drift \(blocking\).*device_fingerprint/)
  })

  it('folds a failing non-blocking check as warn, and says so', async () => {
    const text = config('mobile-release.jsonl').replace('  - type: drift\n', '  - type: drift\n    blocking: false\n')
    const report = await runGate(await loadGateConfig(await scenario.config(text)), { only: ['drift'] })
    expect(report.verdict).toBe('warn')
    expect(report.checks[0]?.message).toMatch(/^drift \(non-blocking, fail folded as warn\)/)
    expect(report.reports?.[0]?.verdict).toBe('warn')
    expect(report.reports?.[0]?.summary['verdict before folding']).toBe('fail')
  })

  it('with failFast stops after a failed blocking check: the load check is skipped, not run', async () => {
    const gate = await loadGateConfig(await scenario.config(config('mobile-release.jsonl')))
    const before = scenario.served()
    const report = await runGate(gate, { failFast: true, only: ['drift', 'load'] })
    expect(verdicts(report)).toEqual({ drift: 'fail', load: 'skip' })
    expect(report.checks[1]?.message).toMatch(/blocking check "drift" failed \(fail-fast\)/)
    expect(scenario.served()).toBe(before)
  })

  it('fails a check past its timeout and stops its work', async () => {
    const text = config('candidate.jsonl').replace('    duration: 2s\n', '    duration: 20s\n    timeout: 1s\n')
    const started = Date.now()
    const report = await runGate(await loadGateConfig(await scenario.config(text)), { only: ['load'] })
    expect(Date.now() - started).toBeLessThan(8000)
    expect(report.verdict).toBe('fail')
    expect(report.checks[0]?.message).toMatch(/did not finish within its timeout of 1\.0 s/)
    const served = scenario.served()
    await new Promise((r) => setTimeout(r, 500))
    expect(scenario.served()).toBeLessThanOrEqual(served + 1) // the load run was aborted, not left running
  })

  it('turns an error inside a check into a failed check with its code; the others still run', async () => {
    const text = config('candidate.jsonl').replace(`endpoint: ${scenario.url}`, 'endpoint: http://127.0.0.1:9/predict')
    const report = await runGate(await loadGateConfig(await scenario.config(text)))
    expect(verdicts(report)).toEqual({ expectations: 'pass', drift: 'pass', load: 'fail' })
    expect(report.checks[2]?.message).toMatch(/error MG_LOAD_UNREACHABLE/)
  })

  it('shadow: mirrors the load traffic through the proxy; other scores fail the canary judge, too few pairs are inconclusive', async () => {
    const candidate = createServer((req, res) => {
      req.resume().on('end', () => {
        res.setHeader('content-type', 'application/json')
        res.end('{"score":0.9}')
      })
    })
    const candidateUrl = await new Promise<string>((ready) =>
      candidate.listen(0, '127.0.0.1', () =>
        ready(`http://127.0.0.1:${(candidate.address() as AddressInfo).port}/predict`),
      ),
    )
    try {
      const shadow = (url: string): string => `  - type: shadow\n    candidate: ${url}\n    primary: ${scenario.url}\n`
      const degraded = await runGate(
        await loadGateConfig(await scenario.config(config('candidate.jsonl', shadow(candidateUrl)))),
        { only: ['shadow'] },
      )
      expect(degraded.checks[0]?.verdict).toBe('fail')
      const judged = degraded.reports?.[0]
      expect(judged?.kind).toBe('shadow.canary')
      expect(
        judged?.checks
          .filter((c) => c.verdict === 'fail')
          .map((c) => c.message)
          .join('\n'),
      ).toMatch(/score/)
      const same = await runGate(
        await loadGateConfig(await scenario.config(config('candidate.jsonl', shadow(scenario.url)))),
        {
          only: ['shadow'],
        },
      )
      // the same release as its own candidate: no difference, but 200 pairs are too few to clear latency and errors
      expect(same.checks[0]?.verdict).toBe('inconclusive')
      expect(allMessages(same)).toMatch(/pairs would settle it/)
      // a primary that is down is named before any traffic, not judged "inconclusive" after the whole run
      const down = `  - type: shadow\n    candidate: ${candidateUrl}\n    primary: http://127.0.0.1:9/predict\n`
      const started = Date.now()
      const unreachable = await runGate(await loadGateConfig(await scenario.config(config('candidate.jsonl', down))), {
        only: ['shadow'],
      })
      expect(unreachable.checks[0]?.verdict).toBe('fail')
      expect(unreachable.checks[0]?.message).toMatch(
        /error MG_GATE_UNREACHABLE: check "shadow": its primary http:\/\/127\.0\.0\.1:9 is unreachable \(ECONNREFUSED\)/,
      )
      expect(Date.now() - started).toBeLessThan(5000)
    } finally {
      candidate.closeAllConnections()
      await new Promise((closed) => candidate.close(closed))
    }
  })
})

describe('the gate config', () => {
  it('names the line and key of a problem', async () => {
    const text = config('candidate.jsonl').replace('    rate: 100/s\n', '    rate: 100\n')
    await expect(loadGateConfig(await scenario.config(text))).rejects.toMatchObject({
      code: 'MG_CONFIG_INVALID',
      message: expect.stringMatching(/modelgate\.yaml, line 15, checks\[2\]\.rate: /),
    })
  })

  it('refuses two checks with one id', async () => {
    const text = config('candidate.jsonl', '  - type: drift\n')
    await expect(loadGateConfig(await scenario.config(text))).rejects.toThrow(
      /checks\[3\]\.id: the id "drift" is already used by checks\[1\]/,
    )
  })

  it('refuses an unknown --only id and a missing input file before running anything', async () => {
    const gate = await loadGateConfig(await scenario.config(config('candidate.jsonl')))
    await expect(runGate(gate, { only: ['drfit'] })).rejects.toMatchObject({
      code: 'MG_GATE_UNKNOWN_CHECK',
      message: expect.stringContaining('the checks are expectations, drift, load'),
    })
    const missing = await loadGateConfig(await scenario.config(config('nope.jsonl')))
    await expect(runGate(missing)).rejects.toMatchObject({
      code: 'MG_GATE_INPUT_MISSING',
      message: expect.stringContaining('nope.jsonl does not exist'),
    })
  })

  it('names a wrong argument from a JavaScript caller before running anything', async () => {
    const untyped = (value: unknown): never => value as never
    await expect(runGate(untyped('modelgate.yaml'))).rejects.toMatchObject({
      code: 'MG_ARGUMENT_INVALID',
      message:
        'runGate(config, options): config: expected a loaded gate config, got a string (a file? loadGateConfig(path) reads one).',
    })
    await expect(runGate(untyped({ version: 1, checks: [{ type: 'drift' }] }))).rejects.toThrow(
      'config: expected a loaded gate config, got one without baseDir',
    )
    const gate = await loadGateConfig(await scenario.config(config('candidate.jsonl')))
    await expect(runGate(gate, untyped({ only: 'drift', failFast: 'yes' }))).rejects.toThrow(
      'runGate(config, options): options.only: expected an array, got a string; options.failFast: expected a boolean, got a string.',
    )
  })
})

describe('updateBaseline', () => {
  it('writes the new baseline and a readable diff; the gate then passes the new sample', async () => {
    const gate = await loadGateConfig(await scenario.config(config('mobile-release.jsonl')))
    const result = await updateBaseline(gate)
    expect(result.diffPath).toBe(join(scenario.dir, 'baseline.diff.md'))
    const diff = await readFile(result.diffPath, 'utf8')
    expect(diff).toMatch(/\| device_fingerprint \| pii \| null rate \d\.\d% → \d\d\.\d% \|/)
    expect(diff).not.toMatch(/fp-[0-9a-f]+/) // no raw value
    const report = await runGate(gate, { only: ['drift'] })
    expect(report.verdict).toBe('pass')
  })
})
