import type { Table, Verdict } from '@modelgate/core'
import { deriveVerdict, formatPercent, formatStatistic, redactText } from '@modelgate/core'
import { SkewError } from './errors.js'
import { alignFeature } from './internal/alignedFeature.js'
import { checkSkewOptions } from './internal/arguments.js'
import type { FeatureNoise, RawFeatureComparison } from './internal/compareFeature.js'
import { compareFeature } from './internal/compareFeature.js'
import { alignKeys, assertUniqueKeys, keyValues } from './internal/keys.js'
import { combineNoise, measureNoise } from './internal/measureNoise.js'
import { findPiiColumns, REDACTED } from './internal/piiColumns.js'
import { checkFraction, resolveTolerance } from './internal/resolveOptions.js'
import { createRowReader } from './internal/rowReader.js'
import { adjustPValues } from './internal/statsBridge.js'
import { SKEW_DEFAULTS } from './skewDefaults.js'
import type {
  FeatureSkew,
  PathContext,
  PathOutput,
  RowCoverage,
  RowFailure,
  SkewOptions,
  SkewProgress,
  SkewReport,
  TestSummary,
  Tolerance,
  WorstRow,
} from './types.js'

/** Name of the key column generated when `key` is not given. */
export const GENERATED_KEY = '__row'

/**
 * Runs the same input rows through the batch and the online path, joins the outputs by key and reports,
 * per feature, whether the paths agree — row by row within tolerance, and statistically (KS, PSI,
 * Jensen–Shannon, TOST equivalence on paired differences, Benjamini–Hochberg over features) — plus schema
 * skew (missing fields, type changes, null rates) and rows a path lost. Closes both paths when done.
 */
export async function checkSkew(options: SkewOptions): Promise<SkewReport> {
  checkSkewOptions(options)
  const started = performance.now()
  const tolerance = resolveTolerance(options.tolerance)
  const alpha = checkFraction(options.alpha ?? SKEW_DEFAULTS.alpha, 'alpha')
  const minAgreement = checkFraction(options.minAgreement ?? SKEW_DEFAULTS.minAgreement, 'minAgreement')
  const maxNullRateDelta = checkFraction(options.maxNullRateDelta ?? SKEW_DEFAULTS.maxNullRateDelta, 'maxNullRateDelta')
  const psiThreshold = options.psiThreshold ?? SKEW_DEFAULTS.psiThreshold
  const jsThreshold = options.jsThreshold ?? SKEW_DEFAULTS.jsThreshold
  const worstRows = options.worstRows ?? SKEW_DEFAULTS.worstRows
  const marginSdFactor = options.marginSdFactor ?? SKEW_DEFAULTS.marginSdFactor
  const { input, key } = withKey(options.input, options.key)
  const keyIsGenerated = key === GENERATED_KEY && !options.input.columns.some((c) => c.name === GENERATED_KEY)
  const inputKeys = keyValues(input.columns.find((c) => c.name === key) as Table['columns'][number], 'input')
  assertUniqueKeys(inputKeys, 'input', key)
  const inputName = options.inputName ?? 'input rows'

  // Both paths stop when the caller cancels, or when the other path fails (its command killed, its calls aborted).
  const stop = new AbortController()
  const cancel = (): void => stop.abort(options.signal?.reason)
  options.signal?.addEventListener('abort', cancel, { once: true })
  if (options.signal?.aborted === true) cancel()
  const context = (phase: SkewProgress['phase']): PathContext => ({
    key,
    keyIsGenerated,
    phase,
    ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
    signal: stop.signal,
  })
  const timed = async (run: () => Promise<PathOutput>): Promise<[PathOutput, number]> => {
    const t = performance.now()
    const out = await run()
    return [out, performance.now() - t]
  }
  let batchOut: PathOutput
  let onlineOut: PathOutput
  let batchMs: number
  let onlineMs: number
  let noiseMs = 0
  let batchNoiseOut: PathOutput | null = null
  let onlineNoiseOut: PathOutput | null = null
  try {
    let firstError: { error: unknown } | undefined
    const both = await Promise.allSettled(
      [options.batch, options.online].map((path) =>
        timed(() => path.compute(input, context(path.kind))).catch((error: unknown) => {
          firstError ??= { error }
          stop.abort(error)
          throw error
        }),
      ),
    )
    if (firstError !== undefined) throw firstError.error
    ;[[batchOut, batchMs], [onlineOut, onlineMs]] = both.map(
      (r) => (r as PromiseFulfilledResult<[PathOutput, number]>).value,
    ) as [[PathOutput, number], [PathOutput, number]]
    const t = performance.now()
    if (options.noise === 'batch' || options.noise === 'both')
      batchNoiseOut = await options.batch.compute(input, context('noise'))
    if (options.noise === 'online' || options.noise === 'both')
      onlineNoiseOut = await options.online.compute(input, context('noise'))
    noiseMs = performance.now() - t
  } finally {
    options.signal?.removeEventListener('abort', cancel)
    await Promise.allSettled([options.batch.close?.(), options.online.close?.()])
  }

  const compareStart = performance.now()
  const indexOf = (out: PathOutput, side: string): Int32Array => {
    const column = out.table.columns.find((c) => c.name === key)
    if (column === undefined) {
      throw new SkewError('MG_SKEW_NO_KEY', `The ${side} output has no key column "${key}".`, {
        hint: `Make the ${side} path return the key column "${key}" with each row.`,
      })
    }
    return alignKeys(inputKeys, keyValues(column, `the ${side} output`), side, key)
  }
  const bIndex = indexOf(batchOut, 'batch')
  const oIndex = indexOf(onlineOut, 'online')
  const matchedRows: number[] = []
  let missingInBatch = 0
  let missingInOnline = 0
  for (let i = 0; i < input.numRows; i++) {
    const inB = (bIndex[i] as number) >= 0
    const inO = (oIndex[i] as number) >= 0
    if (!inB) missingInBatch++
    if (!inO) missingInOnline++
    if (inB && inO) matchedRows.push(i)
  }
  // Each side's output row for every matched input row (an index is computed once per output, then read per row).
  const matched = (index: Int32Array): Int32Array => Int32Array.from(matchedRows, (i) => index[i] as number)
  const mb = matched(bIndex)
  const mo = matched(oIndex)
  const features = resolveFeatures(options.features, input, batchOut.table, onlineOut.table, key)

  const noiseBatch =
    batchNoiseOut === null
      ? null
      : measureNoise(
          batchOut.table,
          batchNoiseOut.table,
          features,
          mb,
          matched(indexMaybe(batchNoiseOut, key, inputKeys, 'batch (second run)')),
        )
  const noiseOnline =
    onlineNoiseOut === null
      ? null
      : measureNoise(
          onlineOut.table,
          onlineNoiseOut.table,
          features,
          mo,
          matched(indexMaybe(onlineNoiseOut, key, inputKeys, 'online (second run)')),
        )

  const statistical = new Set(
    options.statistical === true
      ? features
      : options.statistical === false || options.statistical === undefined
        ? []
        : options.statistical,
  )
  const raw = new Map<string, RawFeatureComparison>()
  for (const [done, feature] of features.entries()) {
    const noise: FeatureNoise | null = combineNoise(noiseBatch?.get(feature), noiseOnline?.get(feature))
    raw.set(
      feature,
      compareFeature(alignFeature(batchOut.table, feature, mb), alignFeature(onlineOut.table, feature, mo), noise, {
        tolerance,
        alpha,
        psiThreshold,
        jsThreshold,
        maxNullRateDelta,
        worstRows,
        rareBelow: options.rareBelow ?? SKEW_DEFAULTS.rareBelow,
        margin: options.equivalenceMargin?.[feature] ?? null,
        marginSdFactor,
      }),
    )
    options.onProgress?.({ phase: 'compare', path: feature, done: done + 1, total: features.length })
  }

  // Benjamini–Hochberg over features, one family per test with a p-value (KS; TOST).
  const qValues = new Map<string, Map<string, number>>()
  for (const test of ['ks', 'tost']) {
    const family: [string, number][] = []
    for (const [feature, r] of raw) {
      const t = test === 'tost' ? r.equivalence : r.distributionTests.find((x) => x.test === test)
      if (t?.pValue !== undefined) family.push([feature, t.pValue])
    }
    const q = adjustPValues(family.map(([, p]) => p))
    family.forEach(([feature], i) => {
      const m = qValues.get(feature) ?? new Map<string, number>()
      m.set(test, q[i] as number)
      qValues.set(feature, m)
    })
  }

  // PII never reaches the report: input columns named, tagged or detected as PII, the key when it is one of them, and
  // features that are PII themselves (their values; their differences are kept).
  const redactedColumns = findPiiColumns(
    input.columns.filter((c) => !(keyIsGenerated && c.name === key)),
    input.numRows,
    options,
  )
  const redacted = new Set(redactedColumns.map((c) => c.column))
  const piiFeatures = new Set<string>()
  for (const feature of features) {
    if (redacted.has(feature)) piiFeatures.add(feature)
    else {
      const column = batchOut.table.columns.find((c) => c.name === feature)
      const found = column === undefined ? [] : findPiiColumns([column], batchOut.table.numRows, options)
      if (found.length > 0) {
        piiFeatures.add(feature)
        redactedColumns.push({ column: feature, reason: `feature ${found[0]?.reason ?? ''}` })
      }
    }
  }
  const redactKey = redacted.has(key)
  const readRow = createRowReader(input, {
    ...(options.showColumns === undefined ? {} : { columns: options.showColumns }),
    redact: [...redacted],
    rareBelow: options.rareBelow ?? SKEW_DEFAULTS.rareBelow,
  })
  const featureResults: FeatureSkew[] = features.map((feature) => {
    const r = raw.get(feature) as RawFeatureComparison
    const q = qValues.get(feature)
    const withQ = (t: TestSummary): TestSummary =>
      q?.has(t.test) === true ? { ...t, qValue: q.get(t.test) as number } : t
    const tests = [...r.distributionTests, ...(r.equivalence === null ? [] : [r.equivalence])].map(withQ)
    const mode = statistical.has(feature) ? ('statistical' as const) : ('exact' as const)
    const piiFeature = piiFeatures.has(feature)
    const worstRows: WorstRow[] = r.worst.map((w) => {
      const inputRow = matchedRows[w.row] as number
      const k = redactKey ? REDACTED : (inputKeys[inputRow] as string | number)
      return {
        key: k,
        batch: piiFeature && w.batch !== null ? REDACTED : w.batch,
        online: piiFeature && w.online !== null ? REDACTED : w.online,
        difference: w.difference,
        input: readRow(inputRow),
      }
    })
    const judged = judge(feature, mode, r, tests, { minAgreement, alpha, tolerance })
    const { verdict } = judged
    // A failing feature names its worst rows in the one-line message, so JUnit and HTML show them too.
    const message =
      verdict === 'fail' && worstRows.length > 0
        ? `${judged.message} Worst: ${worstRows.slice(0, 3).map(describeWorst).join('; ')}.`
        : judged.message
    return {
      feature,
      mode,
      verdict,
      message,
      compared: r.compared,
      agreeing: r.agreeing,
      agreementRate: r.compared === 0 ? 0 : r.agreeing / r.compared,
      nullMismatches: r.nullMismatches,
      maxAbsDifference: r.maxAbsDifference,
      meanDifference: r.meanDifference,
      tolerance,
      noiseFloor: combineNoise(noiseBatch?.get(feature), noiseOnline?.get(feature))?.floor ?? 0,
      noisyRows: r.noisyRows,
      schema: r.schema,
      tests,
      ...(r.margin === undefined ? {} : { margin: r.margin }),
      worstRows,
      ...(r.histogram === undefined || piiFeature ? {} : { histogram: r.histogram }),
      ...(r.pairs === undefined || piiFeature ? {} : { pairs: r.pairs }),
    }
  })

  const rows: RowCoverage = {
    input: input.numRows,
    batch: batchOut.table.numRows,
    online: onlineOut.table.numRows,
    matched: matchedRows.length,
    missingInBatch,
    missingInOnline,
    failures: {
      batch: redactFailures(batchOut.failures.slice(0, 20), { input, key, inputKeys, redacted }),
      online: redactFailures(onlineOut.failures.slice(0, 20), { input, key, inputKeys, redacted }),
    },
    verdict: missingInBatch + missingInOnline > 0 ? 'fail' : 'pass',
  }
  const verdict = deriveVerdict([rows, ...featureResults])
  const compareMs = performance.now() - compareStart
  return {
    kind: 'skew',
    verdict,
    batchPath: options.batch.name,
    onlinePath: options.online.name,
    inputName,
    key,
    features: featureResults,
    rows,
    alpha,
    ...(options.noise === undefined ? {} : { noise: options.noise }),
    createdAt: new Date().toISOString(),
    durationMs: performance.now() - started,
    timings: { batchMs, onlineMs, noiseMs, compareMs },
    redactedColumns,
  }
}

/**
 * Failed rows as a report shows them: a PII key redacted, and the message (a path's own words, maybe echoing the row)
 * cut to a short excerpt without the row's PII values or anything that looks personal.
 */
function redactFailures(
  failures: readonly RowFailure[],
  context: {
    readonly input: Table
    readonly key: string
    readonly inputKeys: readonly (string | number)[]
    readonly redacted: ReadonlySet<string>
  },
): RowFailure[] {
  if (failures.length === 0) return []
  const rowOf = new Map<string | number, number>()
  for (const [i, k] of context.inputKeys.entries()) rowOf.set(k, i)
  const read = createRowReader(context.input, { columns: [...context.redacted] })
  return failures.map((f) => {
    const row = rowOf.get(f.key)
    const secrets = row === undefined ? [] : Object.values(read(row))
    return {
      key: context.redacted.has(context.key) ? REDACTED : f.key,
      message: redactText(f.message, { secrets, maxLength: 200 }),
    }
  })
}

function describeWorst(w: WorstRow): string {
  const show = (v: unknown): string =>
    typeof v === 'number' ? formatStatistic(v) : v === null ? 'null' : JSON.stringify(v)
  return `${key(w.key)} ${show(w.batch)} → ${show(w.online)}${w.difference === null ? '' : ` (Δ ${formatStatistic(w.difference)})`}`
}

function key(k: string | number): string {
  return `key ${typeof k === 'number' ? String(k) : JSON.stringify(k)}`
}

function indexMaybe(out: PathOutput, key: string, inputKeys: readonly (string | number)[], side: string): Int32Array {
  const column = out.table.columns.find((c) => c.name === key)
  if (column === undefined) return new Int32Array(inputKeys.length).fill(-1)
  return alignKeys(inputKeys, keyValues(column, `the ${side} output`), side, key)
}

function withKey(input: Table, key: string | undefined): { input: Table; key: string } {
  if (key !== undefined) {
    if (!input.columns.some((c) => c.name === key)) {
      throw new SkewError(
        'MG_SKEW_NO_KEY_COLUMN',
        `The input has no key column "${key}". Input columns: ${input.columns.map((c) => c.name).join(', ')}.`,
        {
          location: { column: key },
          hint: 'Give key: an id column of the rows, or omit it to key rows by position (__row).',
        },
      )
    }
    return { input, key }
  }
  if (input.columns.some((c) => c.name === GENERATED_KEY)) return { input, key: GENERATED_KEY }
  const values = new Float64Array(input.numRows)
  for (let i = 0; i < values.length; i++) values[i] = i
  return {
    input: {
      numRows: input.numRows,
      columns: [{ kind: 'integer', name: GENERATED_KEY, values, valid: null }, ...input.columns],
    },
    key: GENERATED_KEY,
  }
}

function resolveFeatures(
  requested: readonly string[] | undefined,
  input: Table,
  batch: Table,
  online: Table,
  key: string,
): string[] {
  const inBatch = new Set(batch.columns.map((c) => c.name))
  const inOnline = new Set(online.columns.map((c) => c.name))
  if (requested !== undefined) {
    for (const f of requested) {
      if (!inBatch.has(f) && !inOnline.has(f)) {
        throw new SkewError(
          'MG_SKEW_UNKNOWN_FEATURE',
          `Feature "${f}" is in neither output. Batch columns: ${[...inBatch].join(', ')}; online fields: ${[...inOnline].join(', ')}.`,
          { hint: 'Check the feature names against the column names the two paths return.' },
        )
      }
    }
    return [...requested]
  }
  const inputColumns = new Set(input.columns.map((c) => c.name))
  const out: string[] = []
  for (const name of [...inBatch, ...inOnline]) {
    if (name === key || out.includes(name)) continue
    // An input column passed through by one path only is not a feature.
    if (inputColumns.has(name) && !(inBatch.has(name) && inOnline.has(name))) continue
    out.push(name)
  }
  if (out.length === 0) {
    throw new SkewError('MG_SKEW_NO_FEATURES', 'The two paths returned no feature columns besides the key.', {
      hint: 'Check that the batch output and the online response hold the features.',
    })
  }
  return out
}

function judge(
  feature: string,
  mode: 'exact' | 'statistical',
  r: RawFeatureComparison,
  tests: readonly TestSummary[],
  settings: { readonly minAgreement: number; readonly alpha: number; readonly tolerance: Tolerance },
): { verdict: Verdict; message: string } {
  const schemaNote = r.schema.problems.length === 0 ? '' : ` Schema: ${r.schema.problems.join('; ')}.`
  if (r.schema.problems.some((p) => p.startsWith('missing'))) {
    return { verdict: 'fail', message: `${feature} is ${r.schema.problems[0] ?? 'missing'}.` }
  }
  if (r.compared === 0) return { verdict: 'skip', message: `${feature}: no rows to compare.${schemaNote}` }
  const differing = r.compared - r.agreeing
  const rate = r.agreeing / r.compared
  const n = r.compared.toLocaleString('en-US')
  const tol = `|Δ| ≤ ${formatStatistic(settings.tolerance.absolute)} + ${formatStatistic(settings.tolerance.relative)}·|x|`
  const rowLine =
    differing === 0
      ? `all ${n} rows agree (${tol}${r.maxAbsDifference > 0 ? `, max |Δ| ${formatStatistic(r.maxAbsDifference)}` : ''})`
      : `${differing.toLocaleString('en-US')} of ${n} rows differ (${formatPercent(1 - rate, { smallDigits: 3 })}${r.nullMismatches > 0 ? `, ${r.nullMismatches.toLocaleString('en-US')} null on one side only` : ''}${r.maxAbsDifference > 0 ? `, max |Δ| ${formatStatistic(r.maxAbsDifference)}` : ''})`
  if (mode === 'exact') {
    if (r.schema.verdict === 'fail') return { verdict: 'fail', message: `${feature}: ${rowLine}.${schemaNote}` }
    if (rate < settings.minAgreement) {
      return {
        verdict: 'fail',
        message: `${feature}: ${rowLine}; agreement ${formatPercent(rate, { smallDigits: 3 })} < required ${formatPercent(settings.minAgreement, { smallDigits: 3 })}.${schemaNote}`,
      }
    }
    return { verdict: r.schema.verdict === 'warn' ? 'warn' : 'pass', message: `${feature}: ${rowLine}.${schemaNote}` }
  }
  const find = (name: string): TestSummary | undefined => tests.find((t) => t.test === name)
  const tost = find('tost')
  const ks = find('ks')
  const psi = find('psi')
  const js = find('jensen-shannon') ?? tests.find((t) => t.test.startsWith('js') || t.test.includes('jensen'))
  const parts: string[] = []
  let verdict: Verdict = r.schema.verdict === 'fail' ? 'fail' : r.schema.verdict
  if (tost !== undefined) {
    const q = tost.qValue ?? tost.pValue ?? 1
    const equivalent = q < settings.alpha && tost.passed
    parts.push(
      `TOST ${equivalent ? 'equivalent' : 'NOT equivalent'} within ±${formatStatistic(r.margin?.value ?? 0)} (q=${formatStatistic(q)})`,
    )
    if (!equivalent) verdict = 'fail'
  }
  if (psi !== undefined) {
    parts.push(`PSI ${formatStatistic(psi.statistic)}${psi.passed ? '' : ` > ${formatStatistic(psi.threshold)}`}`)
    if (!psi.passed) verdict = 'fail'
  }
  if (js !== undefined) {
    parts.push(`JS ${formatStatistic(js.statistic)}${js.passed ? '' : ` > ${formatStatistic(js.threshold)}`}`)
    if (!js.passed) verdict = 'fail'
  }
  if (ks !== undefined) {
    const q = ks.qValue ?? ks.pValue ?? 1
    parts.push(`KS D=${formatStatistic(ks.statistic)} q=${formatStatistic(q)}`)
    if (q < settings.alpha && verdict === 'pass') verdict = 'warn'
  }
  return { verdict, message: `${feature} (statistical): ${parts.join(', ')}; ${rowLine}.${schemaNote}` }
}
