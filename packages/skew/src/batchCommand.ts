import { spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ArgumentShape, Table } from '@modelgate/core'
import { cancelledError, checkArgument, readTable, redactText, writeTable } from '@modelgate/core'
import { z } from 'zod'
import { SkewError } from './errors.js'
import { batchCommandShape } from './internal/arguments.js'
import { attachKey } from './internal/attachKey.js'
import type { FeaturePath } from './types.js'

export type BatchFileFormat = 'csv' | 'jsonl' | 'parquet'

export interface BatchCommandOptions {
  /** Format of `{input}` (default csv). */
  readonly format?: BatchFileFormat
  /** Format of `{output}`; the file is read by this extension (default: same as input). */
  readonly outputFormat?: BatchFileFormat
  readonly cwd?: string
  readonly env?: Readonly<Record<string, string>>
  /** Kill the command after this long (default 10 minutes). */
  readonly timeoutMs?: number
  readonly name?: string
}

function shellQuote(s: string): string {
  return `'${s.replaceAll("'", `'\\''`)}'`
}

const optionsArgument = z.object(batchCommandShape satisfies ArgumentShape<BatchCommandOptions>)

/**
 * A batch path that is an external command — a pandas, PySpark, dbt or DuckDB job run unchanged.
 * `{input}` is replaced by a file holding the input rows and `{output}` by the file the command must
 * write its features to (with the key column). Runs through `/bin/sh -c`.
 */
export function batchCommand(command: string, options: BatchCommandOptions = {}): FeaturePath {
  checkArgument(z.string(), command, { call: 'batchCommand(command, options)', name: 'command' })
  checkArgument(optionsArgument, options, { call: 'batchCommand(command, options)', name: 'options' })
  if (!command.includes('{input}') || !command.includes('{output}')) {
    throw new SkewError(
      'MG_SKEW_COMMAND_PLACEHOLDERS',
      `The batch command "${command}" must contain both {input} and {output}.`,
      {
        hint: 'Example: python3 features.py {input} {output}',
      },
    )
  }
  const format = options.format ?? 'csv'
  const outputFormat = options.outputFormat ?? format
  const name = options.name ?? `cmd:${command}`
  const timeoutMs = options.timeoutMs ?? 600_000
  return {
    kind: 'batch',
    name,
    compute: async (input, context) => {
      // The input file holds real rows: it lives in a private temporary folder removed whatever happens (the command
      // fails, times out, or the run is cancelled: then its whole process group is killed first).
      const dir = await mkdtemp(join(tmpdir(), 'modelgate-skew-'))
      try {
        const inputPath = join(dir, `input.${format}`)
        const outputPath = join(dir, `output.${outputFormat}`)
        await writeTable(inputPath, input)
        const line = command.replaceAll('{input}', shellQuote(inputPath)).replaceAll('{output}', shellQuote(outputPath))
        await runShell(line, command, { cwd: options.cwd, env: options.env, timeoutMs, signal: context.signal })
        let output: Table
        try {
          output = await readTable(outputPath)
        } catch (cause) {
          throw new SkewError(
            'MG_SKEW_COMMAND_OUTPUT',
            `The batch command "${command}" exited 0 but its output could not be read: ${cause instanceof Error ? cause.message : String(cause)}`,
            { cause, hint: `Write ${outputFormat.toUpperCase()} to the path given as {output}.` },
          )
        }
        context.onProgress?.({ phase: context.phase ?? 'batch', path: name, done: input.numRows, total: input.numRows })
        return { table: attachKey(output, input, context.key, name), failures: [] }
      } finally {
        await rm(dir, { recursive: true, force: true })
      }
    },
  }
}

function runShell(
  line: string,
  command: string,
  options: {
    readonly cwd: string | undefined
    readonly env: Readonly<Record<string, string>> | undefined
    readonly timeoutMs: number
    readonly signal: AbortSignal | undefined
  },
): Promise<void> {
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted === true)
      return reject(cancelledError(`Stopped before the batch command "${command}" ran.`))
    // Its own process group (detached), so that a timeout or Ctrl-C kills the shell and everything it started.
    const child = spawn('/bin/sh', ['-c', line], {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'ignore', 'pipe'],
      detached: true,
    })
    let stderr = ''
    let stopped: 'timeout' | 'cancelled' | undefined
    child.stderr.setEncoding('utf8')
    child.stderr.on('data', (d: string) => {
      stderr = (stderr + d).slice(-4000)
    })
    const killGroup = (): void => {
      if (child.pid === undefined) return
      try {
        process.kill(-child.pid, 'SIGKILL')
      } catch {
        // Already gone.
      }
    }
    const timer = setTimeout(() => {
      stopped = 'timeout'
      killGroup()
    }, options.timeoutMs)
    const onAbort = (): void => {
      stopped ??= 'cancelled'
      killGroup()
    }
    options.signal?.addEventListener('abort', onAbort, { once: true })
    const done = (): void => {
      clearTimeout(timer)
      options.signal?.removeEventListener('abort', onAbort)
    }
    child.on('error', (cause) => {
      done()
      reject(
        new SkewError('MG_SKEW_COMMAND_FAILED', `Could not start the batch command "${command}": ${cause.message}`, {
          cause,
        }),
      )
    })
    // The shell may exit while what it started still runs (`job &`): the whole group goes with it.
    child.on('exit', killGroup)
    child.on('close', (code, signal) => {
      done()
      if (stopped === 'cancelled')
        return reject(cancelledError(`Stopped the batch command "${command}" and removed its input.`))
      if (code === 0 && stopped === undefined) return resolve()
      const why =
        stopped === 'timeout'
          ? `was killed (with every process it started) after ${options.timeoutMs.toLocaleString('en-US')} ms`
          : signal === null
            ? `exited with code ${code ?? '?'}`
            : `was killed by ${signal}`
      // A tool's stderr may quote the rows it read: only a redacted excerpt of its last lines.
      const tail = stderr
        .trim()
        .split('\n')
        .slice(-8)
        .map((l) => redactText(l, { maxLength: 200 }))
        .join('\n')
      reject(
        new SkewError(
          'MG_SKEW_COMMAND_FAILED',
          `The batch command "${command}" ${why}.${tail === '' ? '' : `\nIts last stderr lines:\n${tail}`}`,
          {
            hint: 'Run the command by hand on a small file to debug it; {input} and {output} are file paths.',
          },
        ),
      )
    })
  })
}
