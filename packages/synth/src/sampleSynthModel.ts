import type { Table } from '@modelgate/core'
import { checkArgument } from '@modelgate/core'
import { z } from 'zod'
import { sampleOptions } from './internal/arguments.js'
import { loadSynthModel } from './loadSynthModel.js'
import type { SampleOptions } from './types.js'

const CALL = 'sampleSynthModel(path, rows, options)'

/**
 * Loads a model file, samples `rows` rows and releases the model (CTGAN's native sessions and worker thread) even
 * when sampling fails: the one way a caller that only needs rows (contract examples, skew inputs, load payloads)
 * gets them.
 */
export async function sampleSynthModel(path: string, rows: number, options: SampleOptions = {}): Promise<Table> {
  checkArgument(z.string(), path, { call: CALL, name: 'path', hint: 'pass the path of a model file from synth train' })
  checkArgument(z.number(), rows, { call: CALL, name: 'rows' })
  checkArgument(sampleOptions, options, { call: CALL, name: 'options' })
  const model = await loadSynthModel(path)
  try {
    return model.sample(rows, options)
  } finally {
    model.dispose()
  }
}
