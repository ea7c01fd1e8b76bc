import { execFileSync, spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { runCommand } from '@modelgate/cli'
import { readTable, writeTable } from '@modelgate/core'
import { splitHoldout } from '@modelgate/synth'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from './support/runCli.js'

const repoRoot = execFileSync('git', ['rev-parse', '--show-toplevel'], { cwd: __dirname, encoding: 'utf8' }).trim()
const transactions = resolve(repoRoot, 'examples/data/transactions.csv')
const dir = mkdtempSync(join(tmpdir(), 'mg-cli-synth-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const run = (args: string[]) => runCli(args, dir)

beforeAll(async () => {
  const { code, err } = await run([
    'synth',
    'train',
    '--data',
    transactions,
    '--out',
    'model.json',
    '--pii',
    'transaction_id:id',
    '--seed',
    '7',
  ])
  // Detected PII (email, phone …) is named: untagged columns that look like PII are a warning (on a line of its own:
  // progress lines come first when the fit takes more than a second or two).
  expect(err).toMatch(/^warn: untagged columns that look like PII are treated as PII/m)
  expect(code).toBe(0)
})

describe('modelgate synth train', () => {
  it('reports PII columns as regenerated, never learned', async () => {
    const { code, out } = await run([
      'synth',
      'train',
      '--data',
      transactions,
      '--out',
      'again.json',
      '--pii',
      'transaction_id:id',
      '--seed',
      '7',
    ])
    expect(code).toBe(0)
    expect(out).toContain(
      'PII columns (never learned, regenerated fresh): transaction_id (id), email (email), phone (phone), ip (ip_address), device_id (device_id), card_number (card_number)',
    )
    expect(readFileSync(join(dir, 'again.json'), 'utf8')).toBe(readFileSync(join(dir, 'model.json'), 'utf8'))
  })

  it('prints and stores the differential privacy budget with --epsilon', async () => {
    const { code, out } = await run([
      'synth',
      'train',
      '--data',
      transactions,
      '--out',
      'dp.json',
      '--pii',
      'transaction_id:id',
      '--epsilon',
      '4',
    ])
    expect(code).toBe(0)
    expect(out).toMatch(
      /Differential privacy: \(ε = 4, δ = 1e-6\) spent by \d+ mechanisms, neighbours: add or remove one row, basic composition; noise from the OS/,
    )
    expect(out).toContain('Categories chosen by noisy counts (the others dropped)')
    const inspected = await run(['synth', 'inspect', 'dp.json'])
    expect(inspected.out).toMatch(/trained on about [\d,]+ rows \(a noisy count\); categories chosen by noisy counts/)
    expect(inspected.out).toContain('  public: column names and kinds: as the reader parsed the file')
    expect(inspected.out).toMatch(
      / {2}ε 0\.\d+, δ 5e-7 {2}merchant_category: nulls, and categories present in the data/,
    )
    expect(inspected.out).toMatch(/ {2}ε [\d.]+ {2}\(pairs\): pairs at their cuts: \d+ contingency tables/)
  })

  it('warns that --seed makes DP noise reproducible, and refuses --delta without --epsilon', async () => {
    const seeded = await run([
      'synth',
      'train',
      '--data',
      transactions,
      '--out',
      'dp2.json',
      '--pii',
      'transaction_id:id',
      '--epsilon',
      '2',
      '--seed',
      '3',
    ])
    expect(seeded.code).toBe(0)
    expect(seeded.err).toContain('warn: --seed makes the DP noise reproducible')
    const delta = await run(['synth', 'train', '--data', transactions, '--out', 'dp3.json', '--delta', '1e-7'])
    expect(delta.code).toBe(2)
    expect(delta.err).toContain('--delta only means something with --epsilon')
    // CTGAN has no DP: the library's one refusal, exit 2, before anything is written.
    const ctgan = await run([
      'synth',
      'train',
      '--data',
      transactions,
      '--out',
      'dp4.json',
      '--synthesizer',
      'ctgan',
      '--epsilon',
      '1',
    ])
    expect(ctgan.code).toBe(2)
    expect(ctgan.err).toContain('CTGAN does not implement differential privacy')
  })

  it('regenerates a column of unique strings without flags, and says so in one line', async () => {
    const { code, out } = await run(['synth', 'train', '--data', transactions, '--out', 'shaped.json'])
    expect(code).toBe(0)
    expect(out).toMatch(/Text and id columns regenerated in the same shape .*: transaction_id \((ids|codes)\)/)
  })

  it('refuses a column of unique strings the schema declares categorical, with a hint to declare it text', async () => {
    writeFileSync(
      join(dir, 'categorical.json'),
      JSON.stringify({ version: 1, columns: [{ name: 'transaction_id', kind: 'categorical' }] }),
    )
    const { code, err } = await run([
      'synth',
      'train',
      '--data',
      transactions,
      '--schema',
      'categorical.json',
      '--out',
      'exploded.json',
    ])
    expect(code).toBe(2)
    expect(err).toContain('error MG_SYNTH_CATEGORY_EXPLOSION')
    expect(err).toContain('Column "transaction_id"')
    expect(err).toContain(
      'hint: in the schema, set "kind": "text" (or "id") for transaction_id instead of "categorical"',
    )
    expect(existsSync(join(dir, 'exploded.json'))).toBe(false)
  })

  it('fails when the schema names a column the data lacks', async () => {
    writeFileSync(
      join(dir, 'schema.json'),
      JSON.stringify({ version: 1, columns: [{ name: 'merchant_id', kind: 'categorical' }] }),
    )
    const { code, err } = await run([
      'synth',
      'train',
      '--data',
      transactions,
      '--out',
      'bad.json',
      '--schema',
      'schema.json',
    ])
    expect(code).toBe(2)
    expect(err).toMatch(/MG_SYNTH_SCHEMA_COLUMN_MISSING|MG_IO_MISSING_COLUMN/)
    expect(err).toContain('merchant_id')
    expect(existsSync(join(dir, 'bad.json'))).toBe(false)
  })
})

describe('modelgate synth inspect', () => {
  it('lists each column with its marginal model and PII type, and the DP status', async () => {
    const { code, out } = await run(['synth', 'inspect', 'model.json'])
    expect(code).toBe(0)
    expect(out).toContain('modelgate-synth v1, copula synthesizer')
    expect(out).toMatch(/email\s+pii:email\s+0\.0%\s+regenerated fresh; no values stored/)
    expect(out).toMatch(/refund_amount\s+numeric\s+0\.0%\s+1 point mass \(\d+\.\d%\) \+ empirical/)
    expect(out).toContain('no differential privacy')
  })
})

describe('modelgate synth inspect --json', () => {
  it('describes columns and the strongest latent correlations as JSON', async () => {
    const { code, out } = await run(['synth', 'inspect', 'model.json', '--json'])
    expect(code).toBe(0)
    const described = JSON.parse(out)
    expect(described.header).toMatchObject({
      format: 'modelgate-synth',
      version: 1,
      synthesizer: 'copula',
      trainingRows: 5000,
      k: 5,
      epsilon: null,
    })
    expect(described.columns.find((c: { name: string }) => c.name === 'card_number')).toMatchObject({
      kind: 'pii:card_number',
    })
    expect(described.strongestCorrelations[0]).toMatchObject({ a: 'amount', b: 'merchant_category' })
  })
})

describe('modelgate synth generate', () => {
  it('reports progress on stderr when interactive', async () => {
    let err = ''
    const code = await runCommand(
      ['synth', 'generate', '--model', 'model.json', '--rows', '3000', '--chunk-rows', '1000', '--out', 'progress.csv'],
      {
        out: () => undefined,
        err: (t) => {
          err += `${t}\n`
        },
        interactive: true,
        cwd: dir,
      },
    )
    expect(code).toBe(0)
    expect(err).toContain('generated 3,000 / 3,000 rows (100%)')
  })

  it('writes byte-identical files for the same seed', async () => {
    expect(
      (await run(['synth', 'generate', '--model', 'model.json', '--rows', '2000', '--out', 'a.csv', '--seed', '3']))
        .code,
    ).toBe(0)
    expect(
      (await run(['synth', 'generate', '--model', 'model.json', '--rows', '2000', '--out', 'b.csv', '--seed', '3']))
        .code,
    ).toBe(0)
    expect(
      (await run(['synth', 'generate', '--model', 'model.json', '--rows', '2000', '--out', 'c.csv', '--seed', '4']))
        .code,
    ).toBe(0)
    expect(readFileSync(join(dir, 'a.csv'))).toEqual(readFileSync(join(dir, 'b.csv')))
    expect(readFileSync(join(dir, 'a.csv'))).not.toEqual(readFileSync(join(dir, 'c.csv')))
  })

  it('writes shards whose concatenation equals the single run', async () => {
    const args = ['--model', 'model.json', '--rows', '10000', '--seed', '5', '--chunk-rows', '1000']
    await run(['synth', 'generate', ...args, '--out', 'single.csv'])
    const parts: string[] = []
    for (let i = 1; i <= 3; i++) {
      const { code } = await run(['synth', 'generate', ...args, '--shard', `${i}/3`, '--out', `part-${i}.csv`])
      expect(code).toBe(0)
      const text = readFileSync(join(dir, `part-${i}.csv`), 'utf8')
      parts.push(i === 1 ? text : text.slice(text.indexOf('\n') + 1))
    }
    expect(parts.join('')).toBe(readFileSync(join(dir, 'single.csv'), 'utf8'))
    expect(parts.map((p) => p.split('\n').length - 1)).toEqual([3001, 3000, 4000])
    // 1-based, as load and drift: 0/3 is a usage error naming the form
    const zero = await run(['synth', 'generate', ...args, '--shard', '0/3', '--out', 'zero.csv'])
    expect(zero.code).toBe(2)
    expect(zero.err).toMatch(/--shard.*1 ≤ i ≤ n/)
    // no rows asked for is a usage error too (not a header-only file)
    const none = await run(['synth', 'generate', '--model', 'model.json', '--rows', '0', '--out', 'none.csv'])
    expect(none.code).toBe(2)
    expect(none.err).toMatch(/--rows/)
    expect(existsSync(join(dir, 'none.csv'))).toBe(false)
  })

  it('generates exactly N rows that all match the --where conditions', async () => {
    const { code } = await run([
      'synth',
      'generate',
      '--model',
      'model.json',
      '--rows',
      '2500',
      '--out',
      'travel.csv',
      '--where',
      'merchant_category=travel',
      '--where',
      'is_fraud=true',
    ])
    expect(code).toBe(0)
    const t = await readTable(join(dir, 'travel.csv'))
    expect(t.numRows).toBe(2500)
    const cat = t.columns.find((c) => c.name === 'merchant_category')
    const fraud = t.columns.find((c) => c.name === 'is_fraud')
    expect(cat?.kind === 'categorical' && cat.dictionary).toEqual(['travel'])
    expect(fraud?.kind === 'boolean' && fraud.values.every((v) => v === 1)).toBe(true)
  })

  it('fails clearly, writing nothing, for a category the model never stored', async () => {
    const { code, err } = await run([
      'synth',
      'generate',
      '--model',
      'model.json',
      '--rows',
      '10',
      '--out',
      'rare.csv',
      '--where',
      'merchant_category=rare-merchant-7',
    ])
    expect(code).toBe(2)
    expect(err).toContain('error MG_SYNTH_WHERE_IMPOSSIBLE')
    expect(err).toContain(
      'Cannot generate rows where merchant_category=rare-merchant-7: the value is not among the categories the model stores',
    )
    expect(existsSync(join(dir, 'rare.csv'))).toBe(false)
  })

  it('writes Parquet that reads back with the same rows as CSV', async () => {
    await run(['synth', 'generate', '--model', 'model.json', '--rows', '3000', '--out', 'p.parquet', '--seed', '8'])
    await run(['synth', 'generate', '--model', 'model.json', '--rows', '3000', '--out', 'p.csv', '--seed', '8'])
    const p = await readTable(join(dir, 'p.parquet'))
    const c = await readTable(join(dir, 'p.csv'))
    expect(p.numRows).toBe(3000)
    const amounts = (t: typeof p): number[] => {
      const col = t.columns.find((x) => x.name === 'amount')
      return col?.kind === 'numeric' ? Array.from(col.values) : []
    }
    expect(amounts(p)).toEqual(amounts(c))
  })

  it('rejects a corrupt model file and a model from a newer version', async () => {
    writeFileSync(
      join(dir, 'corrupt.json'),
      '{"format":"modelgate-synth","version":1,"synthesizer":"copula","trainingRows":',
    )
    const corrupt = await run(['synth', 'generate', '--model', 'corrupt.json', '--rows', '10', '--out', 'x.csv'])
    expect(corrupt.code).toBe(2)
    expect(corrupt.err).toContain('error MG_SYNTH_MODEL_CORRUPT')
    const model = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'))
    writeFileSync(join(dir, 'future.json'), JSON.stringify({ ...model, version: 2 }))
    const future = await run(['synth', 'generate', '--model', 'future.json', '--rows', '10', '--out', 'x.csv'])
    expect(future.code).toBe(2)
    expect(future.err).toContain('error MG_SYNTH_MODEL_VERSION')
    expect(future.err).toContain('format version 2; this ModelGate reads version 1')
    writeFileSync(
      join(dir, 'tampered.json'),
      JSON.stringify({ ...model, columns: [{ ...model.columns[6], kind: 'script', code: 'process.exit(9)' }] }),
    )
    const tampered = await run(['synth', 'generate', '--model', 'tampered.json', '--rows', '10', '--out', 'x.csv'])
    expect(tampered.code).toBe(2)
    expect(tampered.err).toContain('error MG_SYNTH_MODEL_CORRUPT')
    expect(existsSync(join(dir, 'x.csv'))).toBe(false)
  })
})

describe('modelgate synth evaluate', () => {
  it('prints the quality summary and writes JUnit and HTML reports', async () => {
    await run(['synth', 'generate', '--model', 'model.json', '--rows', '5000', '--out', 'eval.csv', '--seed', '1'])
    const { code, out } = await run([
      'synth',
      'evaluate',
      '--real',
      transactions,
      '--synthetic',
      'eval.csv',
      '--target',
      'is_fraud',
      '--junit',
      'r.xml',
      '--html',
      'r.html',
      '--fail-under',
      '0.8',
    ])
    expect(code).toBe(0)
    expect(out).toMatch(/quality\s+0\.9\d/)
    expect(out).toMatch(/piiLeaks\s+0/)
    expect(readFileSync(join(dir, 'r.xml'), 'utf8')).toContain('<testsuite')
    const html = readFileSync(join(dir, 'r.html'), 'utf8')
    expect(html).toContain('<svg')
    expect(html.includes('rare-merchant-')).toBe(false)
  })

  it('exits 1 when quality is under --fail-under and emits JSON with --json', async () => {
    const { code, out } = await run([
      'synth',
      'evaluate',
      '--real',
      transactions,
      '--synthetic',
      'eval.csv',
      '--fail-under',
      '0.999',
      '--json',
    ])
    expect(code).toBe(1)
    const report = JSON.parse(out)
    expect(report.kind).toBe('synth.evaluate')
    expect(report.verdict).toBe('fail')
    expect(report.summary.quality).toBeLessThan(0.999)
    // The smallest and largest real amounts (one record each) appear nowhere, not even as chart labels.
    expect(out.includes('"2.46"')).toBe(false)
    expect(out.includes('3166.52')).toBe(false)
    expect(out.includes('rare-merchant-')).toBe(false)
  })

  it('fails the privacy check when the "synthetic" file is a copy of the real one', async () => {
    const { code, out } = await run([
      'synth',
      'evaluate',
      '--real',
      transactions,
      '--synthetic',
      transactions,
      '--json',
    ])
    expect(code).toBe(1)
    const report = JSON.parse(out)
    const leak = report.checks.find((c: { id: string }) => c.id === 'synth.privacy.pii_leak')
    expect(leak.verdict).toBe('fail')
    expect(report.summary.exactMatchRate).toBe(1)
    expect(readdirSync(dir).some((f) => f.endsWith('.tmp'))).toBe(false)
  })
})

describe('modelgate synth train and evaluate with a held-out split', () => {
  const split = ['--holdout-fraction', '0.2', '--split-seed', '3']

  it('runs the privacy attacks against the rows train left out, and they find no leak in a copula', async () => {
    const trained = await run([
      'synth',
      'train',
      '--data',
      transactions,
      '--out',
      'split.json',
      '--pii',
      'transaction_id:id',
      '--seed',
      '7',
      ...split,
    ])
    expect(trained.code).toBe(0)
    expect(trained.err).toContain('Held out 1,000 of 5,000 rows of')
    await run(['synth', 'generate', '--model', 'split.json', '--rows', '4000', '--out', 'split.csv', '--seed', '1'])
    const { code, out } = await run([
      'synth',
      'evaluate',
      '--real',
      transactions,
      '--synthetic',
      'split.csv',
      ...split,
      '--json',
    ])
    const report = JSON.parse(out)
    expect(report.summary.realRows).toBe(4000)
    const attacks = report.checks.filter((c: { id: string }) => /singling_out|linkability|inference/.test(c.id)) as {
      id: string
      verdict: string
      message: string
    }[]
    expect(attacks).toHaveLength(5)
    for (const a of attacks) expect([a.id, a.verdict]).not.toEqual([a.id, 'fail'])
    expect(code).toBe(0)
  })

  it('fails them when the "synthetic" rows are the training rows', async () => {
    // The training part of the same split, written out as if a generator had memorized it.
    const { train } = splitHoldout(await readTable(transactions), { fraction: 0.2, seed: 3 })
    await writeTable(join(dir, 'memorized.csv'), train)
    const { code, out } = await run([
      'synth',
      'evaluate',
      '--real',
      transactions,
      '--synthetic',
      'memorized.csv',
      ...split,
    ])
    expect(code).toBe(1)
    expect(out).toMatch(/FAIL\s+\[Privacy\] Membership inference: ROC AUC 1\.00/)
    expect(out).toMatch(/FAIL\s+\[Privacy\] Attribute inference: \d+ of 13 columns at risk above 0\.1: /)
  })

  it('takes either a holdout file or a split, not both', async () => {
    const { code, err } = await run([
      'synth',
      'evaluate',
      '--real',
      transactions,
      '--synthetic',
      'split.csv',
      '--holdout',
      transactions,
      ...split,
    ])
    expect(code).toBe(2)
    expect(err).toContain('pass either --holdout <file> or --holdout-fraction, not both.')
    const orphan = await run([
      'synth',
      'evaluate',
      '--real',
      transactions,
      '--synthetic',
      'split.csv',
      '--split-by',
      'email',
    ])
    expect(orphan.code).toBe(2)
    expect(orphan.err).toContain('--split-seed and --split-by need --holdout-fraction.')
    const zero = await run(['synth', 'train', '--data', transactions, '--out', 'zero.json', '--holdout-fraction', '0'])
    expect(zero.code).toBe(2)
    expect(zero.err).toContain('modelgate synth train: --holdout-fraction expects a number > 0 and ≤ 1, got "0".')
    expect(existsSync(join(dir, 'zero.json'))).toBe(false)
  })
})

describe('modelgate synth generate, cancelled', () => {
  it('stops on Ctrl-C while writing, removes the temp file and exits 1', async () => {
    // The built binary in a child process, sent SIGINT once its hidden temp file has appeared.
    const bin = resolve(repoRoot, 'packages/cli/bin/modelgate.js')
    mkdirSync(join(dir, 'gen-sigint'))
    const child = spawn(
      process.execPath,
      [bin, 'synth', 'generate', '--model', 'model.json', '--rows', '5000000', '--out', 'gen-sigint/rows.csv'],
      { cwd: dir },
    )
    let err = ''
    let out = ''
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()))
    const poll = setInterval(() => {
      if (readdirSync(join(dir, 'gen-sigint')).some((f) => f.endsWith('.tmp'))) {
        clearInterval(poll)
        child.kill('SIGINT')
      }
    }, 50)
    // Should Ctrl-C be ignored, the run must not outlive the test.
    const guard = setTimeout(() => child.kill('SIGKILL'), 45_000)
    const code = await new Promise<number | null>((done) => child.on('close', (c) => done(c)))
    clearInterval(poll)
    clearTimeout(guard)
    expect(err).toContain('Ctrl-C: stopping synth generate and removing what it was writing')
    expect(err).toMatch(
      /error MG_CANCELLED: Writing gen-sigint\/rows\.csv was cancelled after [\d,]+ rows; nothing was written\./,
    )
    expect(code).toBe(1)
    expect(out).toBe('')
    expect(readdirSync(join(dir, 'gen-sigint'))).toEqual([])
  })
})

describe('modelgate synth train --synthesizer ctgan', () => {
  it('trains on a small table with per-epoch progress, then generates PII-free rows of the right kinds and inspects the model', async () => {
    const lines = readFileSync(transactions, 'utf8').split('\n')
    writeFileSync(join(dir, 'small.csv'), `${lines.slice(0, 301).join('\n')}\n`)
    const trained = await run([
      'synth',
      'train',
      '--data',
      'small.csv',
      '--out',
      'gan/ctgan.json',
      '--synthesizer',
      'ctgan',
      '--epochs',
      '2',
      '--batch-size',
      '100',
      '--pii',
      'transaction_id:id',
      '--seed',
      '3',
    ])
    expect(trained.code, trained.err).toBe(0)
    const backend =
      /CTGAN on backend (onnxruntime|tensorflow|wasm|cpu)(?: \(2 training threads, data-parallel\))?: data transformer ready/.exec(
        trained.err,
      )?.[1]
    expect(backend).toBeDefined()
    expect(trained.err).toMatch(/\] epoch 1\/2 {2}G -?\d+\.\d{3} {2}D -?\d+\.\d{3}/)
    expect(trained.err).toMatch(/\] epoch 2\/2 {2}G -?\d+\.\d{3} {2}D -?\d+\.\d{3}/)
    expect(trained.out).toContain(
      `Trained a ctgan synthesizer (2 epochs, backend ${backend}) on 300 rows × 13 columns of small.csv`,
    )
    expect(readdirSync(join(dir, 'gan')).sort()).toEqual(['ctgan.json', 'ctgan.weights.bin'])

    const generated = await run([
      'synth',
      'generate',
      '--model',
      'gan/ctgan.json',
      '--rows',
      '400',
      '--out',
      'gan/rows.csv',
      '--seed',
      '1',
    ])
    expect(generated.code, generated.err).toBe(0)
    const real = await readTable(join(dir, 'small.csv'))
    const synthetic = await readTable(join(dir, 'gan/rows.csv'))
    expect(synthetic.numRows).toBe(400)
    expect(synthetic.columns.map((c) => c.name)).toEqual(real.columns.map((c) => c.name))
    const pii = ['transaction_id', 'email', 'phone', 'ip', 'device_id', 'card_number']
    const kinds = (t: typeof real) => t.columns.filter((c) => !pii.includes(c.name)).map((c) => [c.name, c.kind])
    expect(kinds(synthetic)).toEqual(kinds(real))
    expect(kinds(real).map(([, kind]) => kind)).toEqual([
      'numeric',
      'categorical',
      'categorical',
      'datetime',
      'integer',
      'numeric',
      'boolean',
    ])
    // Every training value of a PII column, as written in the file (card numbers exceed float precision).
    const header = (lines[0] ?? '').split(',')
    const csv = readFileSync(join(dir, 'gan/rows.csv'), 'utf8')
    for (const name of pii) {
      const at = header.indexOf(name)
      const values = lines.slice(1, 301).map((line) => line.split(',')[at] ?? '')
      expect(values.filter((v) => v.length >= 8).length, name).toBe(300)
      expect(
        values.filter((v) => csv.includes(v)),
        name,
      ).toEqual([])
    }

    const inspected = await run(['synth', 'inspect', 'gan/ctgan.json'])
    expect(inspected.code).toBe(0)
    expect(inspected.out).toContain('gan/ctgan.json: modelgate-synth v1, ctgan synthesizer')
    expect(inspected.out).toMatch(/email\s+pii:email\s+0\.0%\s+regenerated fresh; no values stored/)
    expect(inspected.out).toContain(`CTGAN: 2 epochs on ${backend}`)
    expect(inspected.out).toMatch(
      /sampling from: weights averaged \(decay 0\.999\), calibrated \(mean span gap [0-9.]+% → [0-9.]+%\), per condition for [1-9]\d* of \d+ conditions \(mean gap [0-9.]+% → [0-9.]+%\)/,
    )
    expect(inspected.out).toMatch(/generator weights: ctgan\.weights\.bin \([\d,]+ float32 values\)/)
  })

  it('stops on Ctrl-C in the middle of training with exit code 1 and writes nothing', async () => {
    // The built binary in a child process, sent SIGINT once it has printed its third epoch (an epoch of the
    // example's rows takes a few tenths of a second).
    const bin = resolve(repoRoot, 'packages/cli/bin/modelgate.js')
    const args = [
      'synth',
      'train',
      '--data',
      transactions,
      '--out',
      'sigint/ctgan.json',
      '--synthesizer',
      'ctgan',
      '--epochs',
      '5000',
      '--pii',
      'transaction_id:id',
    ]
    const child = spawn(process.execPath, [bin, ...args], { cwd: dir })
    let err = ''
    let out = ''
    let sent = false
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString()
      if (!sent && err.includes('epoch 3/5000')) sent = child.kill('SIGINT')
    })
    // Should Ctrl-C be ignored, the run must not outlive the test.
    const guard = setTimeout(() => child.kill('SIGKILL'), 45_000)
    const code = await new Promise<number | null>((done) => child.on('close', (c) => done(c)))
    clearTimeout(guard)
    expect(err).toContain('epoch 3/5000')
    const stoppedIn = Number(/CTGAN training was cancelled in epoch (\d+) of 5000; nothing was written/.exec(err)?.[1])
    expect(stoppedIn).toBeGreaterThanOrEqual(4)
    expect(stoppedIn).toBeLessThan(50)
    expect(code).toBe(1)
    expect(out).not.toContain('Trained a ctgan synthesizer')
    expect(existsSync(join(dir, 'sigint')) ? readdirSync(join(dir, 'sigint')) : []).toEqual([])
  })
})
