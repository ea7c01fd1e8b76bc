import type { Table } from '@modelgate/core'
import { loadSynthModel } from './loadSynthModel.js'
import type { SampleOptions } from './types.js'

/**
 * Loads a model file, samples `rows` rows and releases the model (CTGAN's native sessions and worker thread) even
 * when sampling fails: the one way a caller that only needs rows (contract examples, skew inputs, load payloads)
 * gets them.
 */
export async function sampleSynthModel(path: string, rows: number, options: SampleOptions = {}): Promise<Table> {
  const model = await loadSynthModel(path)
  try {
    return model.sample(rows, options)
  } finally {
    model.dispose()
  }
}
