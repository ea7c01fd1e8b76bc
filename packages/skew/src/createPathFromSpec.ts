import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { isAbsolute, resolve } from 'node:path'
import type { ArgumentShape, Table } from '@modelgate/core'
import { checkArgument, importUserModule } from '@modelgate/core'
import { z } from 'zod'
import type { BatchFileFormat } from './batchCommand.js'
import { batchCommand } from './batchCommand.js'
import { batchFunction } from './batchFunction.js'
import { batchSql } from './batchSql.js'
import { SkewError } from './errors.js'
import { pathSpecShape } from './internal/arguments.js'
import { onlineFunction } from './onlineFunction.js'
import type { OnlineHttpOptions } from './onlineHttp.js'
import { onlineHttp } from './onlineHttp.js'
import type { FeaturePath, FeatureRecord, InputRow } from './types.js'

export interface PathSpecOptions {
  /** Which side the spec is for: decides how a plain function exported by a module is wrapped. */
  readonly role: 'batch' | 'online'
  /** Relative files and modules resolve from here (default process.cwd()). */
  readonly cwd?: string
  /** Format of `{input}` for `cmd:` paths (default csv). */
  readonly batchFormat?: BatchFileFormat
  /** Format of `{output}` for `cmd:` paths (default: the input format). */
  readonly batchOutputFormat?: BatchFileFormat
  /** Settings for `http://` online paths. */
  readonly http?: OnlineHttpOptions
}

const SCHEMES: readonly string[] = ['cmd', 'sql', 'module']

export const PATH_SPEC_SYNTAX = `Adapter specs:
  [cmd:]<command with {input} and {output}> batch: external command, e.g. "python3 job.py {input} {output}"
  sql:<file.sql> | sql:<SELECT …>           batch: DuckDB SQL over the table "input"
  module:<file>#<export>                     batch or online: a TypeScript/JavaScript function or FeaturePath
  http://host:port/path | https://…          online: POST each row as JSON, read features from the response`

function badSpec(spec: string, role: string, why: string): SkewError {
  return new SkewError('MG_SKEW_BAD_ADAPTER', `${role} path "${spec}": ${why}`, { hint: PATH_SPEC_SYNTAX })
}

const optionsArgument = z.object(pathSpecShape satisfies ArgumentShape<PathSpecOptions>)

/**
 * Builds a feature path from a CLI adapter spec: `cmd:…` (or any command with `{input}` and `{output}`), `sql:…`,
 * `module:file#export` or an http(s) URL.
 * See `PATH_SPEC_SYNTAX`.
 */
export async function createPathFromSpec(spec: string, options: PathSpecOptions): Promise<FeaturePath> {
  checkArgument(z.string(), spec, { call: 'createPathFromSpec(spec, options)', name: 'spec' })
  checkArgument(optionsArgument, options, { call: 'createPathFromSpec(spec, options)', name: 'options' })
  const cwd = options.cwd ?? process.cwd()
  const { role } = options
  if (spec.startsWith('http://') || spec.startsWith('https://')) {
    if (role === 'batch')
      throw badSpec(spec, role, 'an HTTP endpoint is an online path; use cmd:, sql: or module: for the batch path.')
    return onlineHttp(spec, options.http ?? {})
  }
  const colon = spec.indexOf(':')
  let scheme = colon < 0 ? '' : spec.slice(0, colon)
  let rest = colon < 0 ? spec : spec.slice(colon + 1)
  // A spec with {input} and {output} placeholders and no known scheme is a command, prefix or not.
  if (!SCHEMES.includes(scheme) && spec.includes('{input}') && spec.includes('{output}')) {
    scheme = 'cmd'
    rest = spec
  }
  switch (scheme) {
    case 'cmd':
      if (role === 'online')
        throw badSpec(spec, role, 'an external command is a batch path; the online path is an HTTP URL or module:.')
      return batchCommand(rest, {
        cwd,
        name: spec,
        ...(options.batchFormat === undefined ? {} : { format: options.batchFormat }),
        ...(options.batchOutputFormat === undefined ? {} : { outputFormat: options.batchOutputFormat }),
      })
    case 'sql': {
      if (role === 'online')
        throw badSpec(spec, role, 'SQL is a batch path; the online path is an HTTP URL or module:.')
      const trimmed = rest.trim()
      if (/\.sql$/i.test(trimmed)) {
        const file = isAbsolute(trimmed) ? trimmed : resolve(cwd, trimmed)
        if (!existsSync(file)) throw badSpec(spec, role, `the SQL file ${file} does not exist.`)
        return batchSql(await readFile(file, 'utf8'), { name: spec })
      }
      return batchSql(trimmed, { name: 'sql' })
    }
    case 'module':
      return loadModulePath(spec, rest, role, cwd)
    default:
      throw badSpec(
        spec,
        role,
        `${scheme === '' ? 'no adapter scheme' : `unknown adapter scheme "${scheme}:"`}; a command needs {input} and {output} placeholders (or the cmd: prefix).`,
      )
  }
}

function isFeaturePath(value: unknown): value is FeaturePath {
  return typeof value === 'object' && value !== null && typeof (value as FeaturePath).compute === 'function'
}

async function loadModulePath(spec: string, rest: string, role: 'batch' | 'online', cwd: string): Promise<FeaturePath> {
  const hash = rest.lastIndexOf('#')
  const fileSpec = hash < 0 ? rest : rest.slice(0, hash)
  const exportName = hash < 0 ? 'default' : rest.slice(hash + 1)
  const file = isAbsolute(fileSpec) ? fileSpec : resolve(cwd, fileSpec)
  if (!existsSync(file)) throw badSpec(spec, role, `the module ${file} does not exist.`)
  const mod = await importUserModule(file)
  const value = mod[exportName]
  if (isFeaturePath(value)) return value
  if (typeof value === 'function') {
    return role === 'batch'
      ? batchFunction(value as (input: Table) => Table | Promise<Table>, { name: spec })
      : onlineFunction(value as (row: InputRow) => FeatureRecord | Promise<FeatureRecord>, { name: spec })
  }
  const exported = Object.keys(mod).join(', ') || '(none)'
  throw badSpec(spec, role, `${file} has no function or FeaturePath export "${exportName}". Its exports: ${exported}.`)
}
