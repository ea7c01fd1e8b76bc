import { z } from 'zod'

/** What a zod issue means for the person editing the file: `expected a number, got "x"`. */
export function describeIssue(issue: z.ZodIssue, root: unknown): string {
  const got = (): string => describeValue(valueAt(root, issue.path))
  switch (issue.code) {
    case z.ZodIssueCode.invalid_type:
      return issue.received === 'undefined'
        ? `missing (expected ${typeWord(issue.expected)})`
        : `expected ${typeWord(issue.expected)}, got ${got()}`
    case z.ZodIssueCode.invalid_literal:
      return `expected ${JSON.stringify(issue.expected)}, got ${got()}`
    case z.ZodIssueCode.invalid_enum_value:
      return `expected one of ${issue.options.map((o) => JSON.stringify(o)).join(', ')}, got ${got()}`
    case z.ZodIssueCode.invalid_union_discriminator:
      return `expected one of ${issue.options.map((o) => JSON.stringify(o)).join(', ')}, got ${got()}`
    case z.ZodIssueCode.unrecognized_keys:
      return `unknown key${issue.keys.length === 1 ? '' : 's'} ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}`
    case z.ZodIssueCode.invalid_union: {
      // The branch that got furthest says most; when every branch failed on the type, list the types.
      const branches = issue.unionErrors.map((e) => e.issues[0]).filter((i) => i !== undefined)
      if (branches.every((i) => i.code === 'invalid_type' && i.path.length === issue.path.length)) {
        const types = [...new Set(branches.map((i) => (i.code === 'invalid_type' ? typeWord(i.expected) : '')))]
        return `expected ${types.join(' or ')}, got ${got()}`
      }
      const deepest = branches.reduce((a, b) => (b.path.length > a.path.length ? b : a))
      return describeIssue(deepest, root)
    }
    case z.ZodIssueCode.too_small:
      return `expected ${bound(issue.type, issue.minimum, issue.inclusive, 'least')}, got ${got()}`
    case z.ZodIssueCode.too_big:
      return `expected ${bound(issue.type, issue.maximum, issue.inclusive, 'most')}, got ${got()}`
    case z.ZodIssueCode.not_multiple_of:
      return `expected a multiple of ${String(issue.multipleOf)}, got ${got()}`
    case z.ZodIssueCode.not_finite:
      return `expected a finite number, got ${got()}`
    case z.ZodIssueCode.invalid_string:
      return `expected ${typeof issue.validation === 'string' ? `a valid ${issue.validation}` : 'a string of the right form'}, got ${got()}`
    default:
      return issue.message
  }
}

function bound(type: string, limit: number | bigint, inclusive: boolean, side: 'least' | 'most'): string {
  const n = Number(limit)
  switch (type) {
    case 'string':
      return `at ${side} ${n} character${n === 1 ? '' : 's'}`
    case 'array':
    case 'set':
      return `at ${side} ${n} item${n === 1 ? '' : 's'}`
    default:
      return `a number ${side === 'least' ? (inclusive ? '≥' : '>') : inclusive ? '≤' : '<'} ${n}`
  }
}

function typeWord(type: string): string {
  switch (type) {
    case 'boolean':
      return 'true or false'
    case 'array':
      return 'a list'
    case 'object':
      return 'an object (key: value pairs)'
    case 'integer':
      return 'an integer'
    case 'null':
    case 'undefined':
      return type
    default:
      return `a ${type}`
  }
}

function valueAt(root: unknown, path: readonly (string | number)[]): unknown {
  let value = root
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined
    value = (value as Record<string | number, unknown>)[key]
  }
  return value
}

/** A short description of a config value: strings quoted and cut at 40 characters, lists and objects by kind. */
function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing'
  if (Array.isArray(value)) return `a list of ${value.length}`
  if (typeof value === 'object' && value !== null) return 'an object'
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 39)}…` : value)
  return String(value)
}
