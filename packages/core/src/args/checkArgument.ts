import type { ZodIssue, ZodTypeAny } from 'zod'
import { ModelGateError } from '../errors.js'

/** Where an argument is checked: the public function as its caller sees it, and the argument's name there. */
export interface ArgumentSite {
  /** The function and its parameters, e.g. `trainSynthesizer(table, options)`. */
  readonly call: string
  /** The argument's name in `call`, e.g. `options`. */
  readonly name: string
  /** How to fix it, when one hint fits every problem of this argument. */
  readonly hint?: string
}

/**
 * One zod schema per key of an options type, optional keys included: a key added to the type without a schema here
 * fails to compile (`{ … } satisfies ArgumentShape<SkewOptions>`).
 */
export type ArgumentShape<T> = { readonly [K in keyof T]-?: ZodTypeAny }

const MAX_ISSUES = 3
const MAX_ISSUE_LENGTH = 200

/**
 * Checks the argument of a public function at the library boundary, for JavaScript callers and values typed `any`:
 * a wrong argument is a `ModelGateError` `MG_ARGUMENT_INVALID` naming the function, the path inside the argument and
 * what was expected (`trainSynthesizer(table, options): options.seed: expected a number, got a string`), instead of
 * a TypeError from deep inside. Only checks: the argument itself is used afterwards (typed arrays, functions and
 * class instances keep their identity; keys the schema does not know are left alone).
 */
export function checkArgument(schema: ZodTypeAny, value: unknown, site: ArgumentSite): void {
  const result = schema.safeParse(value)
  if (result.success) return
  const issues = result.error.issues
  const shown = issues.slice(0, MAX_ISSUES).map((issue) => describeIssue(issue, site.name))
  const more = issues.length > MAX_ISSUES ? ` (and ${issues.length - MAX_ISSUES} more)` : ''
  throw new ModelGateError('MG_ARGUMENT_INVALID', `${site.call}: ${shown.join('; ')}${more}.`, {
    ...(site.hint === undefined ? {} : { hint: site.hint }),
  })
}

function describeIssue(issue: ZodIssue, name: string): string {
  const path = name + issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('')
  let text: string
  if (issue.code === 'invalid_type') {
    text =
      issue.received === 'undefined'
        ? `is required (${withArticle(issue.expected)})`
        : `expected ${withArticle(issue.expected)}, got ${withArticle(issue.received)}`
  } else {
    text = issue.message.charAt(0).toLowerCase() + issue.message.slice(1)
  }
  const line = `${path}: ${text}`
  return line.length > MAX_ISSUE_LENGTH ? `${line.slice(0, MAX_ISSUE_LENGTH - 1)}…` : line
}

function withArticle(type: string): string {
  if (type === 'undefined' || type === 'null' || type === 'nan' || type.includes('|') || type.includes("'")) return type
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`
}
