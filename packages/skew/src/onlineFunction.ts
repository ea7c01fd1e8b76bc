import type { ArgumentShape } from '@modelgate/core'
import { checkArgument, getColumn } from '@modelgate/core'
import { z } from 'zod'
import { onlineFunctionShape } from './internal/arguments.js'
import { buildOnlineOutput, failuresOf } from './internal/buildOnlineOutput.js'
import { keyValues } from './internal/keys.js'
import { bodyColumns, createRowReader } from './internal/rowReader.js'
import { runPool } from './internal/runPool.js'
import type { FeaturePath, FeatureRecord, InputRow } from './types.js'

export interface OnlineFunctionOptions {
  readonly name?: string
  /** Rows in flight at once for async functions (default 16). */
  readonly concurrency?: number
}

const optionsArgument = z.object(onlineFunctionShape satisfies ArgumentShape<OnlineFunctionOptions>)

/**
 * An online path that is a TypeScript function called once per row, as a serving endpoint would be.
 * A row whose call throws is reported as a failed row, not as a crash of the whole comparison.
 */
export function onlineFunction(
  fn: (row: InputRow) => FeatureRecord | Promise<FeatureRecord>,
  options: OnlineFunctionOptions = {},
): FeaturePath {
  checkArgument(z.function(), fn, { call: 'onlineFunction(fn, options)', name: 'fn' })
  checkArgument(optionsArgument, options, { call: 'onlineFunction(fn, options)', name: 'options' })
  const name = options.name ?? `function:${fn.name || 'anonymous'}`
  const concurrency = options.concurrency ?? 16
  return {
    kind: 'online',
    name,
    compute: async (input, context) => {
      const read = createRowReader(input, bodyColumns(input, context))
      const n = input.numRows
      const records: (FeatureRecord | null)[] = new Array<FeatureRecord | null>(n).fill(null)
      const errors: (string | null)[] = new Array<string | null>(n).fill(null)
      const every = Math.max(1, Math.floor(n / 100))
      let done = 0
      await runPool(n, concurrency, async (i) => {
        try {
          const result = await fn(read(i))
          records[i] = typeof result === 'object' && result !== null ? result : { value: result }
        } catch (error) {
          errors[i] = error instanceof Error ? error.message : String(error)
        }
        done++
        if (done % every === 0 || done === n) {
          context.onProgress?.({ phase: context.phase ?? 'online', path: name, done, total: n })
        }
      })
      const keyColumn = getColumn(input, context.key)
      return {
        table: buildOnlineOutput(records, keyColumn, context.key),
        failures: failuresOf(keyValues(keyColumn, 'input'), errors),
      }
    },
  }
}
