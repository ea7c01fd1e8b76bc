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
    expect(text).toContain('device_fingerprint null rate 38.0% > 5.0% (n=2,000)')
    expect(text).toMatch(/FAIL\s+\[features\] avg_amount_7d/)
    expect(text).not.toMatch(
      /FAIL\s+\[features\] (txn_count_24h|amount_zscore_30d|mcc_code|is_high_risk_merchant|hour_of_day_local)/,
    )
    expect(readdirSync(out)).toEqual(
      expect.arrayContaining(['model.json', 'synth-report.html', 'skew-report.html', 'expectations.json', 'pacts']),
    )
  }, 240_000)
})
