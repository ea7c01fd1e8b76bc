import type { ArgumentShape, Table, TableSchema, Verdict } from '@modelgate/core'
import { checkArgument, deriveVerdict, tableArgument } from '@modelgate/core'
import { z } from 'zod'
import { SkewError } from './errors.js'
import { leakageShape } from './internal/arguments.js'
import { keyValues } from './internal/keys.js'
import { findPiiColumns, REDACTED } from './internal/piiColumns.js'
import { valueGetter } from './internal/rowReader.js'
import { formatTime, timeValues } from './internal/timeValues.js'
import type { RedactedColumn } from './types.js'

export interface LeakageOptions {
  /** Prediction (event) time column: datetime or epoch number. */
  readonly time: string
  /** Column saying which split a row is in. */
  readonly split: string
  /** Check the order per entity (user, account…) instead of globally. */
  readonly entity?: string
  /** Split values that mean training (default `train`). */
  readonly train?: readonly string[]
  /** Split values that mean test (default `test`); rows in neither are ignored. */
  readonly test?: readonly string[]
  /**
   * `as_of` semantics: a column holding the end of each row's feature window (the latest event time a
   * feature used). A window ending after the row's prediction time leaks the future.
   */
  readonly windowEnd?: string
  /** Offending rows listed per check (default 10). */
  readonly maxExamples?: number
  readonly inputName?: string
  /** The table's schema: an entity column it tags as PII is shown as `[redacted]` (as one detection flags). */
  readonly schema?: TableSchema
  /** Columns never shown (the entity column, when named here, is shown as `[redacted]`). */
  readonly redactColumns?: readonly string[]
}

export interface LeakageExample {
  /** 1-based data row. */
  readonly row: number
  readonly split: string
  readonly time: string | number
  readonly entity?: string | number
  readonly reason: string
}

export interface LeakageCheck {
  readonly id: 'train-before-test' | 'entity-train-before-test' | 'window-as-of'
  readonly name: string
  readonly verdict: Verdict
  readonly message: string
  readonly offendingRows: number
  readonly examples: readonly LeakageExample[]
}

export interface LeakageReport {
  readonly kind: 'skew.leakage'
  readonly verdict: Verdict
  readonly inputName: string
  readonly rows: number
  readonly trainRows: number
  readonly testRows: number
  /** Latest training time, earliest test time (globally). */
  readonly trainEnd?: string | number
  readonly testStart?: string | number
  readonly checks: readonly LeakageCheck[]
  readonly createdAt: string
  readonly durationMs: number
  /** The entity column, when it is PII (named, tagged or detected): its values show as `[redacted]`. */
  readonly redactedColumns: readonly RedactedColumn[]
}

const optionsArgument = z.object(leakageShape satisfies ArgumentShape<LeakageOptions>)

/**
 * Temporal integrity of a train/test split: every training time precedes every test time (globally, or
 * per entity), and with `windowEnd` no feature window reaches past its row's prediction time.
 * Returns the offending rows; never throws for leakage (only for bad input).
 */
export function checkLeakage(table: Table, options: LeakageOptions): LeakageReport {
  checkArgument(tableArgument, table, { call: 'checkLeakage(table, options)', name: 'table' })
  checkArgument(optionsArgument, options, { call: 'checkLeakage(table, options)', name: 'options' })
  const started = performance.now()
  const where = options.inputName ?? 'the data'
  const { values: time, isDatetime } = timeValues(table, options.time, where)
  const splitColumn = table.columns.find((c) => c.name === options.split)
  if (splitColumn === undefined) {
    throw new SkewError(
      'MG_SKEW_NO_SPLIT_COLUMN',
      `${where} has no column "${options.split}". Columns: ${table.columns.map((c) => c.name).join(', ')}.`,
      {
        location: { column: options.split },
        hint: 'Name the column holding the train/test labels as the split column.',
      },
    )
  }
  const trainLabels = new Set(options.train ?? ['train'])
  const testLabels = new Set(options.test ?? ['test'])
  const getSplit = valueGetter(splitColumn)
  const n = table.numRows
  // 1 = train, 2 = test, 0 = neither
  const role = new Uint8Array(n)
  const labels = new Array<string>(n)
  let trainRows = 0
  let testRows = 0
  for (let i = 0; i < n; i++) {
    const s = String(getSplit(i))
    labels[i] = s
    if (trainLabels.has(s)) {
      role[i] = 1
      trainRows++
    } else if (testLabels.has(s)) {
      role[i] = 2
      testRows++
    }
  }
  if (trainRows === 0 || testRows === 0) {
    throw new SkewError(
      'MG_SKEW_EMPTY_SPLIT',
      `Column "${options.split}" in ${where} has ${trainRows} training and ${testRows} test rows; both are needed (train labels: ${[...trainLabels].join(', ')}; test labels: ${[...testLabels].join(', ')}).`,
      {
        location: { column: options.split },
        hint: 'Give the train and test labels when the split uses other values.',
      },
    )
  }
  const maxExamples = options.maxExamples ?? 10
  const redactedColumns: RedactedColumn[] = []
  const fmtT = (v: number): string | number => formatTime(v, isDatetime)
  const checks: LeakageCheck[] = []

  let trainEnd = Number.NEGATIVE_INFINITY
  let testStart = Number.POSITIVE_INFINITY
  for (let i = 0; i < n; i++) {
    const t = time[i] as number
    if (role[i] === 1 && t > trainEnd) trainEnd = t
    if (role[i] === 2 && t < testStart) testStart = t
  }

  if (options.entity === undefined) {
    const examples: LeakageExample[] = []
    let offending = 0
    for (let i = 0; i < n; i++) {
      const t = time[i] as number
      let reason: string | null = null
      if (role[i] === 1 && t >= testStart)
        reason = `training row at ${fmtT(t)} is not before the first test row (${fmtT(testStart)})`
      else if (role[i] === 2 && t <= trainEnd)
        reason = `test row at ${fmtT(t)} is not after the last training row (${fmtT(trainEnd)})`
      if (reason === null) continue
      offending++
      if (examples.length < maxExamples)
        examples.push({ row: i + 1, split: labels[i] as string, time: fmtT(t), reason })
    }
    checks.push({
      id: 'train-before-test',
      name: 'training precedes test',
      verdict: offending === 0 ? 'pass' : 'fail',
      message:
        offending === 0
          ? `all ${trainRows.toLocaleString('en-US')} training rows (until ${fmtT(trainEnd)}) precede all ${testRows.toLocaleString('en-US')} test rows (from ${fmtT(testStart)})`
          : `${offending.toLocaleString('en-US')} rows overlap in time: training runs until ${fmtT(trainEnd)} but test starts at ${fmtT(testStart)}`,
      offendingRows: offending,
      examples,
    })
  } else {
    const entityColumn = table.columns.find((c) => c.name === options.entity)
    if (entityColumn === undefined) {
      throw new SkewError('MG_SKEW_NO_ENTITY_COLUMN', `${where} has no column "${options.entity}".`, {
        location: { column: options.entity },
      })
    }
    const entities = keyValues(entityColumn, where)
    redactedColumns.push(...findPiiColumns([entityColumn], n, options))
    const shownEntity = (e: string | number): string | number => (redactedColumns.length > 0 ? REDACTED : e)
    const ends = new Map<string | number, number>()
    const starts = new Map<string | number, number>()
    for (let i = 0; i < n; i++) {
      const e = entities[i] as string | number
      const t = time[i] as number
      if (role[i] === 1 && t > (ends.get(e) ?? Number.NEGATIVE_INFINITY)) ends.set(e, t)
      if (role[i] === 2 && t < (starts.get(e) ?? Number.POSITIVE_INFINITY)) starts.set(e, t)
    }
    const examples: LeakageExample[] = []
    const leakyEntities = new Set<string | number>()
    let offending = 0
    for (let i = 0; i < n; i++) {
      const e = entities[i] as string | number
      const t = time[i] as number
      let reason: string | null = null
      const start = starts.get(e)
      const end = ends.get(e)
      if (role[i] === 1 && start !== undefined && t >= start)
        reason = `training row at ${fmtT(t)} is not before this ${options.entity}'s first test row (${fmtT(start)})`
      else if (role[i] === 2 && end !== undefined && t <= end)
        reason = `test row at ${fmtT(t)} is not after this ${options.entity}'s last training row (${fmtT(end)})`
      if (reason === null) continue
      offending++
      leakyEntities.add(e)
      if (examples.length < maxExamples)
        examples.push({ row: i + 1, split: labels[i] as string, time: fmtT(t), entity: shownEntity(e), reason })
    }
    checks.push({
      id: 'entity-train-before-test',
      name: `training precedes test per ${options.entity}`,
      verdict: offending === 0 ? 'pass' : 'fail',
      message:
        offending === 0
          ? `for every ${options.entity} (${ends.size.toLocaleString('en-US')} with training rows), training rows precede test rows`
          : `${offending.toLocaleString('en-US')} rows of ${leakyEntities.size.toLocaleString('en-US')} ${options.entity} values overlap in time between training and test`,
      offendingRows: offending,
      examples,
    })
  }

  if (options.windowEnd !== undefined) {
    const { values: windowEnd } = timeValues(table, options.windowEnd, where)
    const examples: LeakageExample[] = []
    let offending = 0
    for (let i = 0; i < n; i++) {
      const t = time[i] as number
      const w = windowEnd[i] as number
      if (w <= t) continue
      offending++
      if (examples.length < maxExamples) {
        examples.push({
          row: i + 1,
          split: labels[i] as string,
          time: fmtT(t),
          reason: `feature window ends at ${fmtT(w)}, after the prediction time ${fmtT(t)}`,
        })
      }
    }
    checks.push({
      id: 'window-as-of',
      name: 'feature windows end by prediction time',
      verdict: offending === 0 ? 'pass' : 'fail',
      message:
        offending === 0
          ? `no feature window ("${options.windowEnd}") reaches past its row's prediction time ("${options.time}")`
          : `${offending.toLocaleString('en-US')} rows have a feature window ("${options.windowEnd}") ending after their prediction time ("${options.time}")`,
      offendingRows: offending,
      examples,
    })
  }

  // Failing checks name their first offending rows in the one-line message (shown by JUnit and HTML too).
  for (const [i, c] of checks.entries()) {
    if (c.verdict !== 'fail' || c.examples.length === 0) continue
    const rows = c.examples.slice(0, 5).map((e) => e.row.toLocaleString('en-US'))
    checks[i] = {
      ...c,
      message: `${c.message}; first offending rows: ${rows.join(', ')}${c.offendingRows > rows.length ? ', …' : ''}`,
    }
  }
  const verdict = deriveVerdict(checks)
  return {
    kind: 'skew.leakage',
    verdict,
    inputName: where,
    rows: n,
    trainRows,
    testRows,
    trainEnd: fmtT(trainEnd),
    testStart: fmtT(testStart),
    checks,
    createdAt: new Date().toISOString(),
    durationMs: performance.now() - started,
    redactedColumns,
  }
}
