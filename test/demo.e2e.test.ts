// `pnpm demo` is one of the two commands the README promises: it must run green end to end on a fresh checkout.
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'

const repoRoot = execFileSync('git', ['rev-parse', '--show-toplevel'], { cwd: __dirname, encoding: 'utf8' }).trim()
const out = mkdtempSync(join(tmpdir(), 'mg-e2e-demo-'))
afterAll(() => rmSync(out, { recursive: true, force: true }))

describe('the demo', () => {
  it('runs every step with the expected outcome: regressions caught with exit 1, healthy checks passing', () => {
    const result = spawnSync(process.execPath, [resolve(repoRoot, 'scripts/demo.mjs'), '--out', out], {
      cwd: repoRoot,
      encoding: 'utf8',
    })
    const text = `${result.stdout}\n${result.stderr}`
    expect(text).toContain('✓ demo finished')
    expect(result.status).toBe(0)
    // the gate passes on the current release: every blocking check
    for (const id of ['contracts', 'expectations', 'skew', 'drift']) expect(text).toMatch(new RegExp(`■ ${id} PASS in`))
    // the monitor catches the mobile release and calls the rollback webhook
    expect(text).toMatch(
      /⟲ rollback webhook called\S* \(Idempotency-Key [0-9a-f]+\): rule data-quality .*device_fingerprint: null rate/,
    )
    // the gate on the new sample fails on the distribution contract and on drift, with readable reasons
    expect(text).toContain('device_fingerprint null rate 40.0% > 5.0% (n=2,000)')
    expect(text).toContain('device_fingerprint: null rate 40.0% (reference 1.0%) — up 39.0% points, more than 5.0%')
    // the degraded candidate in shadow: the canary judge fails it on its scores
    expect(text).toMatch(/FAIL +\[score score\] score: requests that differ: \d+ of \d+ requests/)
    expect(readdirSync(out)).toEqual(
      expect.arrayContaining([
        'gate.html',
        'gate.xml',
        'gate-mobile-release.html',
        'gate-mobile-release.xml',
        'gate-shadow.html',
      ]),
    )
  }, 240_000)
})
