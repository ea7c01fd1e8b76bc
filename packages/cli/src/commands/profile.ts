import { resolve } from 'node:path'
import {
  checkTableAgainstSchema,
  loadSchema,
  ModelGateError,
  profileTable,
  readTable,
  renderProfile,
} from '@modelgate/core'
import type { CommandSpec } from '../Command.js'
import { NA_OPTION, naOption } from '../naOption.js'

const profile: CommandSpec = {
  name: 'profile',
  summary: 'Profile a data file: per-column kind, nulls, distinct, quantiles, histogram, top categories (PII-safe)',
  usage: 'modelgate profile <data> [--json] [--schema schema.json] [--k 5] [--na "?"] [--strict]',
  allowPositionals: true,
  options: {
    json: { type: 'boolean' },
    schema: { type: 'string' },
    k: { type: 'string' },
    strict: { type: 'boolean' },
    ...NA_OPTION,
  },
  run: async (ctx) => {
    const [data, ...rest] = ctx.positionals
    if (data === undefined || rest.length > 0) {
      throw new ModelGateError(
        'MG_CLI_USAGE',
        `modelgate profile: expected one <data> file, got ${ctx.positionals.length}`,
        {
          hint: `Usage: ${profile.usage}`,
        },
      )
    }
    const kText = ctx.values.k
    const k = kText === undefined ? undefined : Number(kText)
    if (k !== undefined && (!Number.isSafeInteger(k) || k < 1)) {
      throw new ModelGateError('MG_CLI_USAGE', `--k expects a positive integer, got ${JSON.stringify(kText)}.`)
    }
    const schemaPath = typeof ctx.values.schema === 'string' ? ctx.values.schema : undefined
    const schema = schemaPath === undefined ? undefined : await loadSchema(resolve(ctx.cwd, schemaPath))
    const table = await readTable(resolve(ctx.cwd, data), {
      displayName: data,
      ...naOption(ctx),
      ...(schema === undefined ? {} : { schema }),
    })
    const problems = schema === undefined ? [] : checkTableAgainstSchema(table, schema, { file: data })
    const result = profileTable(table, {
      ...(schema === undefined ? {} : { schema }),
      ...(k === undefined ? {} : { k }),
    })
    if (ctx.values.strict === true && result.warnings.length > 0) {
      for (const warning of result.warnings) ctx.err(`warn ${warning.message}`)
      throw new ModelGateError(
        'MG_CLI_STRICT',
        `profile --strict: ${result.warnings.length} warning${result.warnings.length === 1 ? '' : 's'} (${[...new Set(result.warnings.map((w) => w.column))].join(', ')}).`,
        { hint: 'Review the columns named above (tag PII in the schema), or run without --strict.' },
      )
    }
    if (ctx.values.json === true) {
      ctx.out(JSON.stringify(schema === undefined ? result : { ...result, schemaProblems: problems }, null, 2))
    } else {
      ctx.out(renderProfile(result, { title: data, color: ctx.interactive }).trimEnd())
      if (problems.length > 0) {
        ctx.out(`\n${problems.length} schema problem${problems.length === 1 ? '' : 's'} (${schemaPath}):`)
        for (const p of problems) ctx.out(`  ${p.code}  ${p.message}`)
      }
    }
    return problems.length > 0 ? 1 : 0
  },
}

export const commands: readonly CommandSpec[] = [profile]
