import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { createInterface } from 'node:readline'
import { createGunzip } from 'node:zlib'
import { TrafficError } from '../errors.js'

/** Lines of a text file (`.gz` decompressed), numbered from 1; a missing file is `MG_LOAD_FILE_UNREADABLE`. */
export async function* readLines(path: string, name: string): AsyncGenerator<[line: string, number: number]> {
  try {
    const info = await stat(path)
    if (!info.isFile()) throw new Error('not a file')
  } catch (cause) {
    throw new TrafficError('MG_LOAD_FILE_UNREADABLE', `${name} cannot be read: it does not exist or is not a file.`, {
      cause,
    })
  }
  const raw = createReadStream(path)
  const input = path.endsWith('.gz') ? raw.pipe(createGunzip()) : raw
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY })
  let n = 0
  for await (const line of lines) {
    n++
    yield [line, n]
  }
}
