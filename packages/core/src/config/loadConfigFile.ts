import { extname } from 'node:path'
import { LineCounter, parseDocument } from 'yaml'
import type { z } from 'zod'
import { ModelGateError } from '../errors.js'
import { readTextFile } from '../io/readTextFile.js'
import { describeIssue } from './internal/describeIssue.js'
import { formatKeyPath } from './internal/formatKeyPath.js'
import { locateKeyPath } from './internal/locateKeyPath.js'

export interface LoadConfigOptions {
  /** The name errors use for the file (default: the path as given). */
  readonly displayName?: string
}

/** At most this many problems are listed in one error. */
const MAX_PROBLEMS = 10

/**
 * Reads a YAML (`.yaml`, `.yml`, and any other extension) or JSON (`.json`) config file and validates it with a
 * zod schema. Every problem is named by file, line and key path — `monitor.yaml, line 12, rules[0].threshold:
 * expected a number, got "x"` — in one `MG_CONFIG_INVALID` error (exit 2), one line per problem. A file that
 * cannot be read throws `MG_CONFIG_UNREADABLE`. Configs carry a `version` field: put it in the schema.
 */
export async function loadConfigFile<S extends z.ZodTypeAny>(
  path: string,
  schema: S,
  options: LoadConfigOptions = {},
): Promise<z.output<S>> {
  const file = options.displayName ?? path
  const text = await readTextFile(path, { what: 'Config file', code: 'MG_CONFIG_UNREADABLE', shown: file })
  const json = extname(path).toLowerCase() === '.json'
  const lines = new LineCounter()
  // YAML parses JSON too; for a .json file it only locates keys, JSON.parse gives the value and the syntax errors.
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: !json })
  let value: unknown
  if (json) {
    try {
      value = JSON.parse(text)
    } catch (cause) {
      const position = /at position (\d+)/.exec((cause as Error).message)?.[1]
      const where = position === undefined ? '' : `, line ${lines.linePos(Number(position)).line}`
      throw invalid(
        `${file}${where}: not valid JSON (${(cause as Error).message.replace(/ in JSON at position \d+.*$/, '')})`,
        file,
        cause,
      )
    }
  } else {
    const error = doc.errors[0]
    if (error !== undefined)
      throw invalid(`${file}, line ${lines.linePos(error.pos[0]).line}: not valid YAML (${error.message})`, file, error)
    try {
      value = doc.toJS({ maxAliasCount: 100 })
    } catch (cause) {
      throw invalid(`${file}: not valid YAML (${(cause as Error).message})`, file, cause)
    }
  }
  const parsed = schema.safeParse(value)
  if (parsed.success) return parsed.data
  const problems = parsed.error.issues.slice(0, MAX_PROBLEMS).map((issue) => {
    const line = doc.errors.length === 0 ? locateKeyPath(doc, lines, issue) : undefined
    const key = formatKeyPath(issue.path)
    return (
      [file, ...(line === undefined ? [] : [`line ${line}`]), ...(key === '' ? [] : [key])].join(', ') +
      `: ${describeIssue(issue, value)}`
    )
  })
  const more = parsed.error.issues.length - problems.length
  if (more > 0) problems.push(`… and ${more} more problem${more === 1 ? '' : 's'} in ${file}`)
  throw invalid(problems.join('\n'), file, parsed.error)
}

function invalid(message: string, file: string, cause: unknown): ModelGateError {
  return new ModelGateError('MG_CONFIG_INVALID', message, { cause, location: { file } })
}
