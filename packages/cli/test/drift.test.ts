import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Column } from '@modelgate/core'
import { categoricalFromStrings, createRandom, tableFromColumns, writeTable } from '@modelgate/core'
import { beforeAll, describe, expect, it } from 'vitest'
import { runCli } from './support/runCli.js'

const dir = mkdtempSync(join(tmpdir(), 'modelgate-cli-drift-'))
const run = (args: string[]) => runCli(args, dir)

/** amount (normal), country (4 categories and a rare one), email (PII), device (nullable). */
async function writeSample(file: string, seed: number, options: { shift?: number; nullShare?: number } = {}) {
  const rng = createRandom(seed)
  const n = 4000
  const amount = Float64Array.from({ length: n }, () => 100 + 10 * rng.normal() + 10 * (options.shift ?? 0))
  const country = Array.from({ length: n }, (_, i) =>
    i === 7 ? 'Zembla' : (['US', 'GB', 'DE', 'FR'][rng.int(4)] as string),
  )
  const email = Array.from({ length: n }, (_, i) => `person${seed}_${i}@example.org`)
  const device = Array.from({ length: n }, (_, i) => (rng.uniform() < (options.nullShare ?? 0) ? null : `d${i % 50}`))
  const table = tableFromColumns([
    { kind: 'numeric', name: 'amount', values: amount, valid: null },
    categoricalFromStrings('country', country),
    { kind: 'text', name: 'email', values: email },
    categoricalFromStrings('device', device),
  ])
  await writeTable(join(dir, file), table)
}

beforeAll(async () => {
  await writeSample('train.parquet', 1)
  await writeSample('same.parquet', 2)
  await writeSample('shifted.parquet', 3, { shift: 0.5 })
  await writeSample('nulls.csv', 4, { nullShare: 0.4 })
})

describe('modelgate drift', () => {
  it('builds a baseline, then passes an undrifted sample (exit 0)', async () => {
    const built = await run(['drift', 'baseline', '--data', 'train.parquet', '--out', 'baseline.json'])
    expect(built.code).toBe(0)
    expect(built.err).toMatch(/baseline of 4,000 rows: .*1 pii.* → baseline\.json/)
    const text = readFileSync(join(dir, 'baseline.json'), 'utf8')
    expect(text).not.toContain('example.org')
    expect(text).not.toContain('Zembla')
    const result = await run(['drift', '--reference', 'baseline.json', '--current', 'same.parquet'])
    expect(result.out).toContain('Drift: same.parquet vs train.parquet  PASS')
    expect(result.code).toBe(0)
  })

  it('fails on a shifted column and a null injection (exit 1), naming them, with JUnit and HTML', async () => {
    const shifted = await run(['drift', '--reference', 'baseline.json', '--current', 'shifted.parquet', '--json'])
    expect(shifted.code).toBe(1)
    const report = JSON.parse(shifted.out)
    expect(
      report.checks.filter((c: { verdict: string }) => c.verdict === 'fail').map((c: { id: string }) => c.id),
    ).toEqual(['drift.dataset', 'drift.column.amount'])
    const nulls = await run([
      'drift',
      '--reference',
      'baseline.json',
      '--current',
      'nulls.csv',
      '--junit',
      'drift.xml',
      '--html',
      'drift.html',
    ])
    expect(nulls.code).toBe(1)
    expect(nulls.out).toMatch(/FAIL .*device: null rate 4\d\.\d% \(reference 0\.0%\)/)
    expect(readFileSync(join(dir, 'drift.xml'), 'utf8')).toContain('drift.quality.null_rate.device')
    const html = readFileSync(join(dir, 'drift.html'), 'utf8')
    expect(html).toContain('amount: reference vs current')
    expect(html).not.toContain('example.org')
  })

  it('compares against a raw reference file too, with Evidently-style methods', async () => {
    const result = await run([
      'drift',
      '--reference',
      'train.parquet',
      '--current',
      'shifted.parquet',
      '--method',
      'amount=psi:0.2',
      '--fail-on',
      'share:0.5',
    ])
    expect(result.out).toMatch(/amount: psi [\d.]+ ≥ 0\.2 — drift/)
    expect(result.code).toBe(0) // 1 of 3 columns: below the 50% dataset rule, a warning
  })

  it('builds shard baselines and merges them (--shard i/n, baseline merge)', async () => {
    for (const i of [1, 2]) {
      const r = await run([
        'drift',
        'baseline',
        '--data',
        'train.parquet',
        '--shard',
        `${i}/2`,
        '--out',
        `part${i}.json`,
      ])
      expect(r.code).toBe(0)
      expect(r.err).toContain(`baseline of 2,000 rows (shard ${i}/2)`)
    }
    const merged = await run(['drift', 'baseline', 'merge', 'part1.json', 'part2.json', '--out', 'merged.json'])
    expect(merged.code).toBe(0)
    const check = await run(['drift', '--reference', 'merged.json', '--current', 'same.parquet'])
    expect(check.code).toBe(0)
  })

  it('learns thresholds for declared window sizes and uses them (--window-rows, --thresholds learned)', async () => {
    const built = await run([
      'drift',
      'baseline',
      '--data',
      'train.parquet',
      '--window-rows',
      '500',
      '--out',
      'learned.json',
    ])
    expect(built.code).toBe(0)
    const result = await run([
      'drift',
      '--reference',
      'learned.json',
      '--current',
      'same.parquet',
      '--thresholds',
      'learned',
      '--json',
    ])
    const amount = JSON.parse(result.out).checks.find((c: { id: string }) => c.id === 'drift.column.amount')
    expect(amount.details.source).toBe('learned for 500-row windows (8 reference chunks)')
    const refused = await run([
      'drift',
      '--reference',
      'baseline.json',
      '--current',
      'same.parquet',
      '--thresholds',
      'learned',
    ])
    expect(refused.code).toBe(2)
    expect(refused.err).toContain('no learned thresholds')
  })

  it('estimates performance without labels (CBPE) and shows the realized figure when labels arrive', async () => {
    const rng = createRandom(9)
    const make = async (file: string, rows: number, shift: number, withTarget: boolean) => {
      const x = Float64Array.from({ length: rows }, () => shift + rng.normal())
      const score = x.map((v) => 1 / (1 + Math.exp(-(1.5 * v - 0.5))))
      const y = x.map((v) => (rng.uniform() < 1 / (1 + Math.exp(-(2 * v - 1))) ? 1 : 0))
      const ids = Array.from({ length: rows }, (_, i) => `${file}-${i}`)
      const columns: Column[] = [
        { kind: 'id', name: 'request_id', values: ids },
        { kind: 'numeric', name: 'x', values: x, valid: null },
        { kind: 'numeric', name: 'score', values: score, valid: null },
      ]
      if (withTarget) columns.push({ kind: 'numeric', name: 'label', values: y, valid: null })
      await writeTable(join(dir, file), tableFromColumns(columns))
      return { ids, y }
    }
    await make('scored-train.parquet', 8000, 0, true)
    const { ids, y } = await make('scored-today.parquet', 3000, 0.4, false)
    writeFileSync(join(dir, 'labels.csv'), `request_id,label\n${ids.map((id, i) => `${id},${y[i]}`).join('\n')}\n`)
    const built = await run([
      'drift',
      'baseline',
      '--data',
      'scored-train.parquet',
      '--prediction',
      'score',
      '--target',
      'label',
      '--out',
      'scored.json',
    ])
    expect(built.code).toBe(0)
    const result = await run([
      'drift',
      '--reference',
      'scored.json',
      '--current',
      'scored-today.parquet',
      '--labels',
      'labels.csv',
      '--join',
      'request_id',
      '--json',
    ])
    const auc = JSON.parse(result.out).checks.find((c: { id: string }) => c.id === 'drift.performance.rocAuc')
    expect(Math.abs(auc.metrics.estimated - auc.metrics.realized)).toBeLessThan(0.03)
    expect(auc.message).toMatch(/realized 0\.\d{3} on 3,000 labelled rows/)
    // with the raw reference, the domain classifier tells the shifted period from the training rows
    const classified = await run([
      'drift',
      '--reference',
      'scored-train.parquet',
      '--current',
      'scored-today.parquet',
      '--domain-classifier',
      '--json',
    ])
    const check = JSON.parse(classified.out).checks.find((c: { id: string }) => c.id === 'drift.domain_classifier')
    expect(check?.verdict).toBe('fail')
    const usage = await run([
      'drift',
      '--reference',
      'scored.json',
      '--current',
      'scored-today.parquet',
      '--labels',
      'labels.csv',
    ])
    expect(usage.code).toBe(2)
    expect(usage.err).toContain('--labels and --join go together')
  })

  it('exits 2 on bad input, naming the file, and writes nothing', async () => {
    const text = readFileSync(join(dir, 'baseline.json'), 'utf8')
    writeFileSync(join(dir, 'truncated.json'), text.slice(0, 500))
    const truncated = await run([
      'drift',
      '--reference',
      'truncated.json',
      '--current',
      'same.parquet',
      '--html',
      'bad.html',
    ])
    expect(truncated.code).toBe(2)
    expect(truncated.err).toMatch(/truncated\.json: not valid JSON/)
    expect(existsSync(join(dir, 'bad.html'))).toBe(false)
    writeFileSync(join(dir, 'tampered.json'), text.replace(/"count":4000/, '"count":3999'))
    const tampered = await run(['drift', '--reference', 'tampered.json', '--current', 'same.parquet'])
    expect(tampered.code).toBe(2)
    expect(tampered.err).toContain('tampered.json: the checksum does not match')
    const usage = await run(['drift', '--reference', 'baseline.json', '--current', 'same.parquet', '--fail-on', 'most'])
    expect(usage.code).toBe(2)
    expect(usage.err).toContain('--fail-on expects any or share:<fraction in (0, 1]>')
    const method = await run([
      'drift',
      '--reference',
      'baseline.json',
      '--current',
      'same.parquet',
      '--method',
      'amount=nope',
    ])
    expect(method.code).toBe(2)
    expect(method.err).toContain('unknown method "nope"')
    writeFileSync(join(dir, 'empty.csv'), 'amount,country,email,device\n')
    const empty = await run(['drift', '--reference', 'baseline.json', '--current', 'empty.csv'])
    expect(empty.code).toBe(2)
  })
})
