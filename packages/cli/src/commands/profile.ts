import { checkTableAgainstSchema, loadSchema, profileTable, readTable, renderProfile } from '@modelgate/core'
import type { CommandSpec } from '../Command.js'
import { NA_OPTION, naOption } from '../naOption.js'
import { readOptions } from '../options.js'
import { refuseWarningsUnderStrict } from '../strictWarnings.js'

const profile: CommandSpec = {
  name: 'profile',
  summary: 'Profile a data file: per-column kind, nulls, distinct, quantiles, histogram, top categories (PII-safe)',
  usage: 'modelgate profile <data> [--json] [--schema schema.json] [--k 5] [--na "?"] [--day-first] [--strict]',
  allowPositionals: true,
  options: {
    json: { type: 'boolean' },
    schema: { type: 'string' },
    k: { type: 'string' },
    strict: { type: 'boolean' },
    ...NA_OPTION,
  },
  run: async (ctx) => {
    const read = readOptions(ctx)
    const data = read.positional('<data>')
    const k = read.positiveInt('k')
    const schemaFile = read.file('schema')
    const schema = schemaFile === undefined ? undefined : await loadSchema(schemaFile.path)
    const table = await readTable(data.path, {
      displayName: data.name,
      ...naOption(ctx),
      ...(schema === undefined ? {} : { schema }),
    })
    const problems = schema === undefined ? [] : checkTableAgainstSchema(table, schema, { file: data.name })
    const result = profileTable(table, {
      ...(schema === undefined ? {} : { schema }),
      ...(k === undefined ? {} : { k }),
    })
    if (read.flag('strict')) {
      refuseWarningsUnderStrict({
        command: 'profile',
        warnings: result.warnings,
        err: ctx.err,
        hint: 'Review the columns named above (tag PII in the schema), or run without --strict.',
      })
    }
    if (read.flag('json')) {
      ctx.out(JSON.stringify(schema === undefined ? result : { ...result, schemaProblems: problems }, null, 2))
    } else {
      ctx.out(renderProfile(result, { title: data.name, color: ctx.interactive }).trimEnd())
      if (problems.length > 0) {
        ctx.out(`\n${problems.length} schema problem${problems.length === 1 ? '' : 's'} (${schemaFile?.name}):`)
        for (const p of problems) ctx.out(`  ${p.code}  ${p.message}`)
      }
    }
    return problems.length > 0 ? 1 : 0
  },
}

export const commands: readonly CommandSpec[] = [profile]
