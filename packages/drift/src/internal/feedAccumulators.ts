import type { Table } from '@modelgate/core'
import type { PayloadRow, PayloadSource } from '../PayloadSource.js'
import type { FeatureAccumulator } from './featureAccumulator.js'

const isTable = (x: unknown): x is Table =>
  typeof x === 'object' && x !== null && typeof (x as Table).numRows === 'number' && Array.isArray((x as Table).columns)

/** Feeds every payload of `source` to the accumulators; returns the number of payloads seen. */
export async function feedAccumulators(
  source: PayloadSource,
  accumulators: readonly FeatureAccumulator[],
): Promise<number> {
  let n = 0
  const take = (item: PayloadRow | Table): void => {
    if (isTable(item)) {
      for (const acc of accumulators) acc.addTable(item)
      n += item.numRows
    } else {
      for (const acc of accumulators) acc.addValue(item[acc.name])
      n++
    }
  }
  if (isTable(source)) take(source)
  else if (Symbol.asyncIterator in source)
    for await (const item of source as AsyncIterable<PayloadRow | Table>) take(item)
  else for (const item of source as Iterable<PayloadRow>) take(item)
  return n
}
