import type { ArgumentShape, Table } from '@modelgate/core'
import { checkArgument } from '@modelgate/core'
import { z } from 'zod'
import { batchFunctionShape } from './internal/arguments.js'
import { attachKey } from './internal/attachKey.js'
import type { FeaturePath } from './types.js'

export interface BatchFunctionOptions {
  /** Shown in reports (default `function:<fn.name>`). */
  readonly name?: string
}

const optionsArgument = z.object(batchFunctionShape satisfies ArgumentShape<BatchFunctionOptions>)

/**
 * A batch path that is a TypeScript function over the whole input table. The output may omit the key
 * column if it keeps the input's row order and count.
 */
export function batchFunction(
  fn: (input: Table) => Table | Promise<Table>,
  options: BatchFunctionOptions = {},
): FeaturePath {
  checkArgument(z.function(), fn, { call: 'batchFunction(fn, options)', name: 'fn' })
  checkArgument(optionsArgument, options, { call: 'batchFunction(fn, options)', name: 'options' })
  const name = options.name ?? `function:${fn.name || 'anonymous'}`
  return {
    kind: 'batch',
    name,
    compute: async (input, context) => {
      const output = await fn(input)
      context.onProgress?.({ phase: context.phase ?? 'batch', path: name, done: input.numRows, total: input.numRows })
      return { table: attachKey(output, input, context.key, name), failures: [] }
    },
  }
}
