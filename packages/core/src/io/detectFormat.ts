import path from 'node:path'
import { ModelGateError } from '../errors.js'
import type { FileFormat } from './ReadOptions.js'

const BY_EXTENSION: Readonly<Record<string, FileFormat>> = {
  '.csv': 'csv',
  '.tsv': 'tsv',
  '.tab': 'tsv',
  '.json': 'json',
  '.jsonl': 'jsonl',
  '.ndjson': 'jsonl',
  '.parquet': 'parquet',
  '.pq': 'parquet',
  '.arrow': 'arrow',
  '.feather': 'arrow',
  '.ipc': 'arrow',
}

/** Extensions `detectFormat` knows (text formats may also end in `.gz`). */
export const SUPPORTED_EXTENSIONS: readonly string[] = Object.keys(BY_EXTENSION)

export const FILE_FORMATS: readonly FileFormat[] = ['csv', 'tsv', 'json', 'jsonl', 'parquet', 'arrow']

/** Whether the file is gzip-compressed text (`data.csv.gz`). */
export function isGzipPath(file: string): boolean {
  return file.toLowerCase().endsWith('.gz')
}

/**
 * The format of `file` from its extension, or `override`. Throws `MG_IO_UNKNOWN_FORMAT` (exit 2) listing the
 * supported extensions.
 */
export function detectFormat(file: string, override?: FileFormat | string, displayName: string = file): FileFormat {
  if (override !== undefined) {
    if ((FILE_FORMATS as readonly string[]).includes(override)) return override as FileFormat
    throw new ModelGateError(
      'MG_IO_UNKNOWN_FORMAT',
      `Unknown format "${override}". Supported formats: ${FILE_FORMATS.join(', ')}.`,
      {
        location: { file: displayName },
      },
    )
  }
  let name = file.toLowerCase()
  if (name.endsWith('.gz')) name = name.slice(0, -3)
  const ext = path.extname(name)
  const format = BY_EXTENSION[ext]
  if (format === undefined) {
    throw new ModelGateError(
      'MG_IO_UNKNOWN_FORMAT',
      `Cannot tell the format of ${displayName}${ext === '' ? ' (no extension)' : ` from its extension "${ext}"`}. Supported extensions: ${SUPPORTED_EXTENSIONS.join(' ')} (text formats also as .gz).`,
      {
        hint: 'Rename the file to a supported extension (library callers can pass the `format` option).',
        location: { file: displayName },
      },
    )
  }
  if (isGzipPath(file) && (format === 'parquet' || format === 'arrow')) {
    throw new ModelGateError(
      'MG_IO_UNKNOWN_FORMAT',
      `${displayName}: gzip is supported for text formats only (csv, tsv, json, jsonl).`,
      {
        location: { file: displayName },
      },
    )
  }
  return format
}
