import type { ColumnSchema, InferredSchema } from '@modelgate/core'
import {
  inferSchema,
  loadSchema,
  readTable,
  schemaToJsonSchema,
  tableSchemaJsonSchema,
  writeFileAtomic,
} from '@modelgate/core'
import type { CommandSpec } from '../Command.js'
import { NA_OPTION, naOption } from '../naOption.js'
import { readOptions } from '../options.js'
import { refuseWarningsUnderStrict } from '../strictWarnings.js'

const infer: CommandSpec = {
  name: 'schema infer',
  summary: 'Draft an annotated schema from data; flag likely PII columns and say why',
  usage:
    'modelgate schema infer <data> [--out schema.json] [--json] [--pii-sample N] [--pii col,...] [--k 5] [--na "?"] [--day-first] [--strict]',
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
    const read = readOptions(ctx)
    const data = read.positional('<data>')
    const piiSample = read.positiveInt('pii-sample')
    const k = read.positiveInt('k')
    const pii = read.list('pii') ?? []
    const reading = naOption(ctx)
    const table = await readTable(data.path, { displayName: data.name, ...reading })
    for (const name of pii) {
      if (!table.columns.some((c) => c.name === name))
        throw read.usage(
          `--pii names column "${name}", which ${data.name} does not have (columns: ${table.columns.map((c) => c.name).join(', ')}).`,
        )
    }
    const result = inferSchema(table, {
      ...(piiSample === undefined ? {} : { piiSample }),
      ...(k === undefined ? {} : { k }),
      ...(pii.length === 0 ? {} : { pii }),
      ...(reading.dayFirst === true ? { dayFirst: true } : {}),
    })
    const out = read.file('out')
    if (read.flag('strict')) {
      refuseWarningsUnderStrict({
        command: 'schema infer',
        warnings: result.warnings,
        err: ctx.err,
        consequence: `${out?.name ?? 'no schema'} was not written`,
        hint: 'Review the columns named above, or run without --strict.',
      })
    }
    if (out !== undefined) await writeFileAtomic(out.path, `${JSON.stringify(result.schema, null, 2)}\n`)
    if (read.flag('json')) ctx.out(JSON.stringify(result, null, 2))
    else ctx.out(renderDraft(data.name, table.numRows, result, out?.name))
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
    const read = readOptions(ctx)
    let json: unknown
    if (read.flag('format')) {
      if (ctx.positionals.length > 0) throw read.usage('--format takes no schema file.')
      json = tableSchemaJsonSchema()
    } else {
      const file = read.positional('<schema.json>')
      json = schemaToJsonSchema(await loadSchema(file.path), { allowExtraFields: read.flag('allow-extra') })
    }
    const text = `${JSON.stringify(json, null, 2)}\n`
    const out = read.file('out')
    if (out === undefined) ctx.out(text.trimEnd())
    else {
      await writeFileAtomic(out.path, text)
      ctx.err(`wrote ${out.name}`)
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
  if (warnings.length > 0 || result.notes.length > 0) lines.push('')
  for (const note of result.notes) lines.push(`note ${note.message}`)
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
