import { readFile } from 'node:fs/promises'
import type { CoreErrorCode } from '../errors.js'
import { ModelGateError } from '../errors.js'

export interface ReadTextFileOptions {
  /** What the file is, for the message: "Schema file", "Config file". */
  readonly what: string
  /** The error code when it cannot be read (default: MG_IO_NOT_FOUND when missing, else MG_IO_READ_FAILED). */
  readonly code?: CoreErrorCode
  /** The name shown in messages (default: the path). */
  readonly shown?: string
  readonly hint?: string
}

/** A whole UTF-8 file, or one error naming it: "Schema file x.json does not exist." / "… cannot be read (EACCES)." */
export async function readTextFile(path: string, options: ReadTextFileOptions): Promise<string> {
  const shown = options.shown ?? path
  try {
    return await readFile(path, 'utf8')
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code
    throw new ModelGateError(
      options.code ?? (code === 'ENOENT' ? 'MG_IO_NOT_FOUND' : 'MG_IO_READ_FAILED'),
      code === 'ENOENT'
        ? `${options.what} ${shown} does not exist.`
        : `${options.what} ${shown} cannot be read (${String(code ?? cause)}).`,
      { cause, location: { file: shown }, ...(options.hint === undefined ? {} : { hint: options.hint }) },
    )
  }
}
