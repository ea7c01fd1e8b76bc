import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { judgeCanary, readShadowPairs } from '../src/index.js'
import { simulateShadow } from './support/simulateShadow.js'

const dir = mkdtempSync(join(tmpdir(), 'mg-pairs-'))

describe('readShadowPairs', () => {
  it('reads the JSONL the proxy writes (NaN latency as null) with its counts, and judges it as the pairs', async () => {
    const { pairs } = simulateShadow({
      seed: 11,
      n: 800,
      change: (a, random) => (random() < 0.1 ? { error: 'timeout' } : a),
    })
    const file = join(dir, 'pairs.jsonl')
    writeFileSync(
      file,
      `${pairs.map((p) => JSON.stringify(p)).join('\n')}\n${JSON.stringify({ counts: { requests: 900, mirrored: 850, dropped: 50 } })}\n`,
    )
    const read = await readShadowPairs(file)
    expect(read.counts).toEqual({ requests: 900, mirrored: 850, dropped: 50 })
    expect(read.pairs).toHaveLength(800)
    expect(Number.isNaN(read.pairs.find((p) => p.candidate.error === 'timeout')?.candidate.latencyMs)).toBe(true)
    const fromFile = judgeCanary(read.pairs, read.counts, { createdAt: '2026-01-01T00:00:00Z' })
    const direct = judgeCanary(pairs, read.counts, { createdAt: '2026-01-01T00:00:00Z' })
    expect({ ...fromFile, durationMs: 0 }).toEqual({ ...direct, durationMs: 0 })
  })

  it('names the file, line and field of a bad line, never its content', async () => {
    const file = join(dir, 'bad.jsonl')
    const good = JSON.stringify(simulateShadow({ seed: 12, n: 1 }).pairs[0])
    writeFileSync(file, `${good}\n${good.replace('"status":200', '"status":"alice@example.com"')}\n`)
    await expect(readShadowPairs(file)).rejects.toThrow(
      'bad.jsonl, line 2: not a shadow pair (primary.status: expected number, got string); expected {"at", "path", "primary", "candidate", "secondary"?} or {"counts": {…}}.',
    )
    writeFileSync(
      file,
      `${good.replace('"error"', '"x"').replace('"status":200,', '"status":200,"error":"alice@example.com",')}\n`,
    )
    await expect(readShadowPairs(file)).rejects.toThrow(
      /line 1: not a shadow pair \(primary\.error: expected one of timeout, connection, status, parse\)/,
    )
  })
})
