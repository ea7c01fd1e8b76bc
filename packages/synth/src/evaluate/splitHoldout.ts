import type { ArgumentShape, Table } from '@modelgate/core'
import { checkArgument, createRandom, tableArgument, takeRows } from '@modelgate/core'
import { z } from 'zod'
import { SynthError } from '../errors.js'
import { splitShape } from '../internal/arguments.js'
import { stringValues } from '../internal/evalColumn.js'

export interface SplitHoldoutOptions {
  /** Share of the rows (or of the groups, with `by`) held out, in (0, 1). */
  readonly fraction: number
  /** Same seed, same table ⇒ same split. Default 0. */
  readonly seed?: number
  /**
   * Keep all rows with the same value of this column on one side (a customer with several rows). Without it, a
   * person's rows land on both sides and the control attacks find them too, hiding a leak.
   */
  readonly by?: string
  /** File name for messages. */
  readonly source?: string
}

export interface HoldoutSplit {
  /** The rows to train on. */
  readonly train: Table
  /** The rows held out: the control set of the privacy attacks and the test set of utility. */
  readonly holdout: Table
}

const optionsArgument = z.object(splitShape satisfies ArgumentShape<SplitHoldoutOptions>)

/**
 * Splits a table into training rows and held-out rows at random (seeded; rows keep their order on each side).
 * `synth train` and `synth evaluate` call it with the same options to agree on the split. With `by`, groups of
 * rows sharing a value are split (a null value is a group of its own row).
 */
export function splitHoldout(table: Table, options: SplitHoldoutOptions): HoldoutSplit {
  const call = 'splitHoldout(table, options)'
  checkArgument(tableArgument, table, { call, name: 'table' })
  checkArgument(optionsArgument, options, { call, name: 'options' })
  const { fraction } = options
  const source = options.source ?? 'the data'
  if (!(fraction > 0 && fraction < 1))
    throw new SynthError('MG_SYNTH_BAD_OPTION', `The holdout fraction must be in (0, 1), got ${fraction}.`, {
      hint: 'Hold out a share such as 0.2 (20% of the rows).',
    })
  const n = table.numRows
  // Group of each row: the row itself, or the rows sharing its `by` value.
  const group = new Int32Array(n)
  let groups = n
  if (options.by === undefined) {
    for (let i = 0; i < n; i++) group[i] = i
  } else {
    const by = options.by
    const column = table.columns.find((c) => c.name === by)
    if (column === undefined)
      throw new SynthError('MG_SYNTH_UNKNOWN_COLUMN', `Split column "${by}" is not a column of ${source}.`, {
        hint: `Columns: ${table.columns.map((c) => c.name).join(', ')}.`,
      })
    const ids = new Map<string, number>()
    groups = 0
    stringValues(column, n).forEach((v, i) => {
      if (v === null) {
        group[i] = groups++
        return
      }
      let g = ids.get(v)
      if (g === undefined) {
        g = groups++
        ids.set(v, g)
      }
      group[i] = g
    })
  }
  const held = Math.round(groups * fraction)
  if (held === 0 || held === groups)
    throw new SynthError(
      'MG_SYNTH_BAD_OPTION',
      `Holding out ${fraction} of ${groups} ${options.by === undefined ? 'rows' : `"${options.by}" groups`} of ${source} leaves ${held === 0 ? 'no holdout' : 'nothing to train on'}.`,
      { hint: 'Use a larger table or a fraction that leaves rows on both sides.' },
    )
  const random = createRandom(options.seed ?? 0, 'holdout-split')
  const order = Int32Array.from({ length: groups }, (_, g) => g)
  for (let i = groups - 1; i > 0; i--) {
    const j = random.int(i + 1)
    const t = order[i] as number
    order[i] = order[j] as number
    order[j] = t
  }
  const isHeld = new Uint8Array(groups)
  for (let i = 0; i < held; i++) isHeld[order[i] as number] = 1
  const trainRows: number[] = []
  const holdoutRows: number[] = []
  for (let i = 0; i < n; i++) (isHeld[group[i] as number] === 1 ? holdoutRows : trainRows).push(i)
  return { train: takeRows(table, trainRows), holdout: takeRows(table, holdoutRows) }
}
