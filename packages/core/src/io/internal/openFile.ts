import { stat } from 'node:fs/promises'
import { ModelGateError } from '../../errors.js'

/** File size, or `MG_IO_NOT_FOUND` / `MG_IO_NOT_A_FILE` when the path cannot be read. */
export async function fileSize(file: string, shown: string): Promise<number> {
  try {
    const s = await stat(file)
    if (!s.isFile())
      throw new ModelGateError('MG_IO_NOT_A_FILE', `${shown} is not a file.`, { location: { file: shown } })
    return s.size
  } catch (error) {
    if (error instanceof ModelGateError) throw error
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT') {
      throw new ModelGateError('MG_IO_NOT_FOUND', `File not found: ${shown}.`, {
        location: { file: shown },
        cause: error,
      })
    }
    throw new ModelGateError('MG_IO_READ_FAILED', `Cannot read ${shown}: ${(error as Error).message}.`, {
      location: { file: shown },
      cause: error,
    })
  }
}

export function emptyFile(shown: string, expected = 'a header row'): ModelGateError {
  return new ModelGateError('MG_IO_EMPTY_FILE', `${shown} is empty; expected ${expected}.`, {
    hint: 'Check that the file was written completely.',
    location: { file: shown },
  })
}
