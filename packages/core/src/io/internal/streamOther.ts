import { ModelGateError } from '../../errors.js'
import type { Table } from '../../Table.js'
import type { FileFormat, ReadOptions } from '../ReadOptions.js'

export async function* streamOther(file: string, format: FileFormat, _options: ReadOptions, _widen: boolean): AsyncGenerator<Table> {
  throw new ModelGateError('MG_IO_UNKNOWN_FORMAT', `Reading ${format} (${file}) is not available yet.`)
}
