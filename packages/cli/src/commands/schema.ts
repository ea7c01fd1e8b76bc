import { resolve } from 'node:path'
import type { ColumnSchema, InferredSchema } from '@modelgate/core'
import {
  inferSchema,
  loadSchema,
  ModelGateError,
  readTable,
  schemaToJsonSchema,
  tableSchemaJsonSchema,
  writeFileAtomic,
} from '@modelgate/core'
import type { CommandContext, CommandSpec } from '../Command.js'
import { NA_OPTION, naOption } from '../naOption.js'

const infer: CommandSpec = {
  name: 'schema infer',
  summary: 'Draft an annotated schema from data; flag likely PII columns and say why',
  usage:
    'modelgate schema infer <data> [--out schema.json] [--json] [--pii-sample N] [--pii col,...] [--k 5] [--na "?"] [--strict]',
  allowPositionals: true,
  options: {
    out: { type: 'string', short: 'o' },
    json: { type: 'boolean' },
    'pii-sample': { type: 'string' },
    pii: { type: 'string' },
    k: { type: 'string' },
    strict: { type: 'boolean' },
    ...NA_OPTION,
  },
  run: async (ctx) => {
    const data = onePositional(ctx, 'schema infer', '<data>')
    const table = await readTable(resolve(ctx.cwd, data), { displayName: data, ...naOption(ctx) })
    const piiSample = positiveInt(ctx.values['pii-sample'], '--pii-sample')
    const k = positiveInt(ctx.values.k, '--k')
    const pii =
      typeof ctx.values.pii === 'string'
        ? ctx.values.pii
            .split(',')
            .map((s) => s.trim())
            .filter((s) => s !== '')
        : []
    for (const name of pii) {
      if (!table.columns.some((c) => c.name === name)) {
        throw new ModelGateError('MG_CLI_USAGE', `--pii names column "${name}", which ${data} does not have.`, {
          hint: `columns: ${table.columns.map((c) => c.name).join(', ')}`,
        })
      }
    }
    const result = inferSchema(table, {
      ...(piiSample === undefined ? {} : { piiSample }),
      ...(k === undefined ? {} : { k }),
      ...(pii.length === 0 ? {} : { pii }),
    })
    const out = typeof ctx.values.out === 'string' ? ctx.values.out : undefined
    if (ctx.values.strict === true && result.warnings.length > 0) {
      for (const warning of result.warnings) ctx.err(`warn ${warning.message}`)
      throw new ModelGateError(
        'MG_CLI_STRICT',
        `schema infer --strict: ${result.warnings.length} warning${result.warnings.length === 1 ? '' : 's'} (${[...new Set(result.warnings.map((w) => w.column))].join(', ')}); ${out ?? 'no schema'} was not written.`,
        { hint: 'Review the columns named above, or run without --strict.' },
      )
    }
    if (out !== undefined) await writeFileAtomic(resolve(ctx.cwd, out), `${JSON.stringify(result.schema, null, 2)}\n`)
    if (ctx.values.json === true) ctx.out(JSON.stringify(result, null, 2))
    else ctx.out(renderDraft(data, table.numRows, result, out))
    return 0
  },
}

const jsonschema: CommandSpec = {
  name: 'schema jsonschema',
  summary: 'Print the JSON Schema of one row described by a schema file (or, with --format, of the schema file format)',
  usage:
    'modelgate schema jsonschema <schema.json> [--out file] [--allow-extra]\n       modelgate schema jsonschema --format [--out file]',
  allowPositionals: true,
  options: {
    out: { type: 'string', short: 'o' },
    format: { type: 'boolean' },
    'allow-extra': { type: 'boolean' },
  },
  run: async (ctx) => {
    let json: unknown
    if (ctx.values.format === true) {
      if (ctx.positionals.length > 0) throw usage('schema jsonschema', '--format takes no schema file')
      json = tableSchemaJsonSchema()
    } else {
      const file = onePositional(ctx, 'schema jsonschema', '<schema.json>')
      const schema = await loadSchema(resolve(ctx.cwd, file))
      json = schemaToJsonSchema(schema, { allowExtraFields: ctx.values['allow-extra'] === true })
    }
    const text = `${JSON.stringify(json, null, 2)}\n`
    const out = typeof ctx.values.out === 'string' ? ctx.values.out : undefined
    if (out === undefined) ctx.out(text.trimEnd())
    else {
      await writeFileAtomic(resolve(ctx.cwd, out), text)
      ctx.err(`wrote ${out}`)
    }
    return 0
  },
}

export const commands: readonly CommandSpec[] = [infer, jsonschema]

/** One line per column: kind, nullability, bounds or values, and PII flags with their reasons. */
function renderDraft(data: string, numRows: number, result: InferredSchema, out: string | undefined): string {
  const { schema, warnings } = result
  const piiCount = schema.columns.filter((c) => c.pii !== undefined).length
  const nameWidth = Math.min(28, Math.max(6, ...schema.columns.map((c) => c.name.length)))
  const kindWidth = Math.max(...schema.columns.map((c) => c.kind.length))
  const lines = [
    `Draft schema for ${data} — ${numRows.toLocaleString('en-US')} rows, ${schema.columns.length} columns, ${piiCount} flagged as PII`,
    '',
  ]
  for (const column of schema.columns) {
    lines.push(
      `  ${column.name.padEnd(nameWidth)}  ${column.kind.padEnd(kindWidth)}  ${(column.nullable ? 'nullable' : 'not null').padEnd(8)}  ${describeColumn(column)}`.trimEnd(),
    )
  }
  if (warnings.length > 0) lines.push('')
  for (const warning of warnings) lines.push(`warn ${warning.message}`)
  lines.push(
    '',
    out === undefined
      ? 'Not written: pass --out schema.json to save it, then review and edit it.'
      : `Wrote ${out}: review it (PII flags, kinds, bounds) before committing it.`,
  )
  return lines.join('\n')
}

function describeColumn(column: ColumnSchema): string {
  if (column.pii !== undefined)
    return `PII ${column.pii.type}${column.pii.reason === undefined ? '' : ` — ${column.pii.reason}`}`
  const parts: string[] = []
  if (column.min !== undefined || column.max !== undefined)
    parts.push(`${String(column.min ?? '−∞')} … ${String(column.max ?? '+∞')}`)
  if (column.values !== undefined) {
    const shown = column.values.slice(0, 6).join(', ')
    parts.push(`${column.values.length} values: ${shown}${column.values.length > 6 ? ', …' : ''}`)
  } else if (column.kind === 'categorical') parts.push('values left out (rare categories)')
  if (column.format !== undefined) parts.push(`format ${column.format}`)
  if (column.unique === true) parts.push('unique')
  return parts.join('  ')
}

function onePositional(ctx: CommandContext, command: string, what: string): string {
  const [first, ...rest] = ctx.positionals
  if (first === undefined) throw usage(command, `missing ${what}`)
  if (rest.length > 0) throw usage(command, `expected one ${what}, got ${ctx.positionals.length} arguments`)
  return first
}

function positiveInt(value: unknown, flag: string): number | undefined {
  if (value === undefined) return undefined
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : Number.NaN
  if (!Number.isSafeInteger(n) || n < 1)
    throw new ModelGateError('MG_CLI_USAGE', `${flag} expects a positive integer, got ${JSON.stringify(value)}.`)
  return n
}

function usage(command: string, problem: string): ModelGateError {
  const spec = commands.find((c) => c.name === command)
  return new ModelGateError(
    'MG_CLI_USAGE',
    `modelgate ${command}: ${problem}`,
    spec === undefined ? {} : { hint: `Usage: ${spec.usage}` },
  )
}
