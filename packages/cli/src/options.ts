import { realpathSync } from 'node:fs'
import { resolve } from 'node:path'
import type { Slo } from '@modelgate/core'
import { isModelGateError, parseDuration, parsePercent, parseRate, parseSlo } from '@modelgate/core'
import type { CommandContext } from './Command.js'
import { CliError } from './errors.js'

/** A file named on the command line: the absolute path to open, and the name as typed, for messages. */
export interface FileArg {
  readonly path: string
  readonly name: string
}

interface Required {
  readonly required: true
}

/**
 * Typed readers of a command's options, all with one usage-error style: `modelgate <command>: --<flag> expects
 * <what>, got "<text>".` with the usage line as hint (`MG_CLI_USAGE`, exit 2). Each reader returns `undefined` when
 * the flag is absent, unless `{ required: true }`.
 */
export interface OptionReader {
  /** The usage error of this command (for checks between options). */
  usage(problem: string): CliError
  flag(name: string): boolean
  string(name: string, options: Required): string
  string(name: string): string | undefined
  /** Repeatable and comma-separated (`--pii a,b --pii c`); empty items dropped. */
  list(name: string): string[] | undefined
  /** Every value of a repeatable option as given, not split at commas (`--slo "p99<100ms" --slo "errors<1%"`). */
  all(name: string): string[]
  /** A whole number ≥ 0 (`_` separators allowed: `100_000`). */
  int(name: string, options: Required): number
  int(name: string): number | undefined
  /** A whole number ≥ 1: 0 is refused. */
  positiveInt(name: string, options: Required): number
  positiveInt(name: string): number | undefined
  /** A finite number, optionally bounded (`{ min: 0 }`, `{ above: 0 }`). */
  number(name: string, bounds?: NumberBounds): number | undefined
  /** A number in [0, 1]. */
  probability(name: string): number | undefined
  /** core's grammar: `250ms`, `60s`, `1m30s` → milliseconds. */
  duration(name: string): number | undefined
  /** core's grammar: `500/s`, `3000/m` → per second. */
  rate(name: string): number | undefined
  /** core's grammar: `5%` → 0.05. */
  percent(name: string): number | undefined
  /** core's grammar, repeatable: `--slo "p99<100ms" --slo "errors<1%"`. */
  slos(name: string): Slo[]
  /** Another grammar: `parse` throws a ModelGateError for bad text, which becomes this command's usage error. */
  parse<T>(name: string, parse: (text: string) => T): T | undefined
  /** `i/n` with 1 ≤ i ≤ n: this process's share of the work. */
  shard(name: string): { readonly index: number; readonly count: number } | undefined
  /** Repeatable `"Name: value"` HTTP headers. */
  headers(name: string): Record<string, string> | undefined
  enum<T extends string>(name: string, values: readonly T[], options: Required): T
  enum<T extends string>(name: string, values: readonly T[]): T | undefined
  file(name: string, options: Required): FileArg
  file(name: string): FileArg | undefined
  /** A repeatable file option (`--pact a.json --pact b.json`); names are not split at commas. */
  files(name: string): FileArg[]
  /** The one positional argument, named `what` in errors (`<data>`). */
  positional(what: string): FileArg
}

interface NumberBounds {
  readonly min?: number
  /** Exclusive lower bound. */
  readonly above?: number
  readonly max?: number
}

/** The option readers of one command run (`ctx.command` names the command and its usage line). */
export function readOptions(ctx: CommandContext): OptionReader {
  const usage = (problem: string, cause?: unknown): CliError =>
    new CliError('MG_CLI_USAGE', `modelgate ${ctx.command.name}: ${problem}`, {
      hint: `Usage: ${ctx.command.usage}`,
      ...(cause === undefined ? {} : { cause }),
    })
  const raw = (name: string): string | undefined => {
    const value = ctx.values[name]
    if (Array.isArray(value)) return value.at(-1)
    return typeof value === 'string' ? value : undefined
  }
  const expect = (name: string, what: string, text: string): CliError =>
    usage(`--${name} expects ${what}, got ${JSON.stringify(text)}.`)
  /** Reads `--name` with `parse`; `undefined` when absent unless required. */
  const read = <T>(name: string, required: boolean, parse: (text: string) => T): T | undefined => {
    const text = raw(name)
    if (text === undefined || (required && text.trim() === '')) {
      if (required) throw usage(`--${name} is required.`)
      return undefined
    }
    return parse(text)
  }
  const inGrammar =
    <T>(name: string, parse: (text: string) => T) =>
    (text: string): T => {
      try {
        return parse(text)
      } catch (error) {
        if (!isModelGateError(error)) throw error
        throw usage(`--${name}: ${error.message.replace(/\.$/, '')}.`, error)
      }
    }
  const grammar = <T>(name: string, parse: (text: string) => T): T | undefined =>
    read(name, false, inGrammar(name, parse))
  const all = (name: string): string[] => {
    const value = ctx.values[name]
    return Array.isArray(value) ? [...value] : typeof value === 'string' ? [value] : []
  }
  const whole = (name: string, min: number, what: string) => (text: string) => {
    const n = /^\+?\d[\d_]*$/.test(text.trim()) ? Number(text.trim().replaceAll('_', '')) : Number.NaN
    if (!Number.isSafeInteger(n) || n < min) throw expect(name, what, text)
    return n
  }
  const reader = {
    usage: (problem: string) => usage(problem),
    flag: (name: string) => ctx.values[name] === true,
    string: (name: string, options?: Required) => read(name, options?.required === true, (text) => text),
    list: (name: string) => {
      const value = ctx.values[name]
      if (value === undefined || typeof value === 'boolean') return undefined
      return (typeof value === 'string' ? [value] : [...value])
        .flatMap((s) => s.split(','))
        .map((s) => s.trim())
        .filter((s) => s !== '')
    },
    int: (name: string, options?: Required) =>
      read(name, options?.required === true, whole(name, 0, 'a whole number ≥ 0')),
    positiveInt: (name: string, options?: Required) =>
      read(name, options?.required === true, whole(name, 1, 'a positive integer')),
    number: (name: string, bounds: NumberBounds = {}) =>
      read(name, false, (text) => {
        const n = Number(text)
        const inRange =
          Number.isFinite(n) &&
          (bounds.min === undefined || n >= bounds.min) &&
          (bounds.above === undefined || n > bounds.above) &&
          (bounds.max === undefined || n <= bounds.max)
        if (text.trim() === '' || !inRange) throw expect(name, describeBounds(bounds), text)
        return n
      }),
    probability: (name: string) =>
      read(name, false, (text) => {
        const n = Number(text)
        if (text.trim() === '' || !(n >= 0 && n <= 1)) throw expect(name, 'a number between 0 and 1', text)
        return n
      }),
    all,
    slos: (name: string) => all(name).map(inGrammar(name, parseSlo)),
    parse: grammar,
    shard: (name: string) =>
      read(name, false, (text) => {
        const m = /^(\d+)\/(\d+)$/.exec(text.trim())
        const index = Number(m?.[1])
        const count = Number(m?.[2])
        if (m === null || !(count >= 1 && index >= 1 && index <= count))
          throw expect(name, 'i/n with 1 ≤ i ≤ n (e.g. 2/4)', text)
        return { index, count }
      }),
    headers: (name: string) => {
      const items = all(name)
      if (items.length === 0) return undefined
      const out: Record<string, string> = {}
      for (const h of items) {
        const i = h.indexOf(':')
        if (i <= 0) throw expect(name, '"Name: value"', h)
        out[h.slice(0, i).trim()] = h.slice(i + 1).trim()
      }
      return out
    },
    duration: (name: string) => grammar(name, parseDuration),
    rate: (name: string) => grammar(name, parseRate),
    percent: (name: string) => grammar(name, parsePercent),
    enum: <T extends string>(name: string, values: readonly T[], options?: Required) =>
      read(name, options?.required === true, (text) => {
        if (!(values as readonly string[]).includes(text)) throw expect(name, `one of ${values.join(', ')}`, text)
        return text as T
      }),
    file: (name: string, options?: Required) =>
      read(name, options?.required === true, (text) => {
        const path = resolve(ctx.cwd, text)
        if (OUTPUT_FLAGS.has(name)) refuseInputAsOutput(ctx, name, text, path)
        return { path, name: text }
      }),
    files: (name: string) => all(name).map((text) => ({ path: resolve(ctx.cwd, text), name: text })),
    positional: (what: string) => {
      const [first, ...rest] = ctx.positionals
      if (first === undefined) throw usage(`missing ${what}.`)
      if (rest.length > 0) throw usage(`expected one ${what}, got ${ctx.positionals.length} arguments.`)
      return { path: resolve(ctx.cwd, first), name: first }
    },
  }
  return reader as OptionReader
}

/** Options that name a file or folder a command writes. */
const OUTPUT_FLAGS = new Set(['out', 'json-out', 'junit', 'html', 'test-file', 'pairs-out'])

/** `--out data.csv` with `--data data.csv` would overwrite the input (the training data): refused, exit 2. */
function refuseInputAsOutput(ctx: CommandContext, flag: string, text: string, path: string): void {
  const real = (p: string): string => {
    try {
      return realpathSync(p)
    } catch {
      return p
    }
  }
  const target = real(path)
  const inputs: [string, string][] = ctx.positionals.map((p) => ['the input file', p])
  for (const [name, value] of Object.entries(ctx.values)) {
    if (OUTPUT_FLAGS.has(name) || typeof value === 'boolean' || value === undefined) continue
    for (const v of Array.isArray(value) ? value : [value]) inputs.push([`the --${name} file`, v])
  }
  const same = inputs.find(([, v]) => typeof v === 'string' && real(resolve(ctx.cwd, v)) === target)
  if (same !== undefined)
    throw new CliError(
      'MG_CLI_OUT_IS_INPUT',
      `modelgate ${ctx.command.name}: --${flag} ${JSON.stringify(text)} is also ${same[0]}; writing it would overwrite that input.`,
      { hint: `Write to another path, e.g. --${flag} ${JSON.stringify(`out-${text.split('/').at(-1) ?? text}`)}.` },
    )
}

function describeBounds(bounds: NumberBounds): string {
  const parts = [
    ...(bounds.min === undefined ? [] : [`≥ ${bounds.min}`]),
    ...(bounds.above === undefined ? [] : [`> ${bounds.above}`]),
    ...(bounds.max === undefined ? [] : [`≤ ${bounds.max}`]),
  ]
  return parts.length === 0 ? 'a number' : `a number ${parts.join(' and ')}`
}
