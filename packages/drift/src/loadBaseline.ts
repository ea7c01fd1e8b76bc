import { readTextFile } from '@modelgate/core'
import type { Baseline, BaselineFromJSONOptions } from './baseline.js'
import { baselineFromJSON } from './baseline.js'

/**
 * Reads and validates a baseline file (as `buildBaseline` wrote it): core's MG_IO_NOT_FOUND / MG_IO_READ_FAILED when
 * it cannot be read, then everything `baselineFromJSON` refuses. `source` names the file in messages (default: the
 * path).
 */
export async function loadBaseline(path: string, options: BaselineFromJSONOptions = {}): Promise<Baseline> {
  const source = options.source ?? path
  const text = await readTextFile(path, { what: 'Baseline', shown: source })
  return baselineFromJSON(text, { source })
}
