import { readFile } from 'node:fs/promises'
import { loadSchema, readTable, writeFilesAtomic } from '@modelgate/core'
import { baselineFromJSON, buildBaseline } from '@modelgate/drift'
import { diffBaselines } from './diffBaselines.js'
import { GateError } from './errors.js'
import type { DriftCheckConfig, GateConfig } from './gateConfig.js'
import { displayPath } from './gateConfig.js'

export interface UpdateBaselineOptions {
  /** The drift check whose baseline moves (default: the config's first drift check). */
  readonly check?: string
}

export interface UpdateBaselineResult {
  readonly baselinePath: string
  readonly diffPath: string
  /** The diff (Markdown) also written to `diffPath`. */
  readonly diff: string
  readonly rows: number
}

/**
 * Moves a baseline on purpose: builds a new baseline from the drift check's candidate sample and writes it together
 * with a readable diff against the old one (`<baseline>.diff.md`), both atomically — for review in the same change.
 * The gate itself never updates a baseline.
 */
export async function updateBaseline(
  config: GateConfig,
  options: UpdateBaselineOptions = {},
): Promise<UpdateBaselineResult> {
  const drift = config.checks.filter((c): c is DriftCheckConfig => c.type === 'drift')
  const check = options.check === undefined ? drift[0] : drift.find((c) => c.id === options.check)
  if (check === undefined)
    throw new GateError(
      'MG_GATE_NO_DRIFT_CHECK',
      options.check === undefined
        ? `${config.source} has no drift check: a baseline belongs to one.`
        : `${config.source} has no drift check with the id "${options.check}".`,
    )
  const baselinePath = check.baseline ?? config.baseline
  const current = check.current ?? config.data?.candidate
  if (baselinePath === undefined || current === undefined)
    throw new GateError(
      'MG_GATE_INPUT_MISSING',
      `${config.source}: updating the baseline of check "${check.id}" needs its baseline file and its candidate sample (\`baseline\`, \`data.candidate\`).`,
    )
  const schemaFile = config.schemas?.request
  const schema = schemaFile?.endsWith('.json') ? await loadSchema(schemaFile) : undefined
  const table = await readTable(current, { displayName: displayPath(config, current) })
  const next = buildBaseline(table, {
    name: displayPath(config, current),
    ...(schema === undefined ? {} : { schema }),
    ...(check.prediction === undefined ? {} : { prediction: check.prediction }),
  })
  const oldText = await readFile(baselinePath, 'utf8').catch(() => undefined)
  const name = displayPath(config, baselinePath)
  const diff =
    oldText === undefined
      ? `# Baseline created: ${name}\n\n- ${next.source.rows.toLocaleString('en-US')} rows of ${displayPath(config, current)}, ${next.columns.length} columns (no previous baseline)\n`
      : diffBaselines(baselineFromJSON(oldText, { source: name }), next, { before: name })
  const diffPath = baselinePath.replace(/(\.json)?$/i, '.diff.md')
  await writeFilesAtomic([
    { path: baselinePath, content: `${JSON.stringify(next)}\n` },
    { path: diffPath, content: diff },
  ])
  return { baselinePath, diffPath, diff, rows: table.numRows }
}
