import { stat } from 'node:fs/promises'
import { gzipSync } from 'node:zlib'
import { ModelGateError } from '../errors.js'
import type { Table } from '../Table.js'
import { detectFormat, isGzipPath } from './detectFormat.js'
import { AtomicFile } from './internal/AtomicFile.js'
import { CsvSink } from './internal/CsvSink.js'
import { jsonRows } from './internal/formatText.js'
import type { TableWriter, WriteOptions, WriteSummary } from './WriteOptions.js'

interface Sink {
  write(table: Table): Promise<void>
  finish(empty: Table | null): Promise<void>
  abort?(): void | Promise<void>
}

/**
 * Opens an atomic writer for CSV/TSV, JSON, JSONL, Parquet or Arrow IPC (format from the extension or
 * `options.format`). Every chunk must have the first chunk's column names and order. Output is deterministic: the
 * same tables give byte-identical files.
 */
export async function createTableWriter(file: string, options: WriteOptions = {}): Promise<TableWriter> {
  const format = detectFormat(file, options.format, options.displayName)
  const shown = options.displayName ?? file
  const atomic = await AtomicFile.create(file, shown)
  // text formats ending in .gz are written as a sequence of gzip members, one per chunk (valid gzip; deterministic)
  const gzip = isGzipPath(file)
  const out = {
    write: (text: string): Promise<void> =>
      gzip ? atomic.write(gzipSync(Buffer.from(text, 'utf8'))) : atomic.write(text),
  }
  const delimiter = options.delimiter ?? (format === 'tsv' ? '\t' : ',')
  let names: string[] | null = null
  let first: Table | null = null
  let rows = 0
  let state: 'open' | 'closed' | 'failed' = 'open'
  let sink: Sink

  switch (format) {
    case 'csv':
    case 'tsv':
      sink = new CsvSink(atomic, { delimiter, gzip, threaded: options.transferChunks === true })
      break
    case 'jsonl':
      sink = {
        write: async (t) => {
          const lines = jsonRows(t, shown, rows)
          if (lines.length > 0) await out.write(`${lines.join('\n')}\n`)
        },
        finish: async () => undefined,
      }
      break
    case 'json': {
      let wroteAny = false
      sink = {
        write: async (t) => {
          const lines = jsonRows(t, shown, rows)
          if (lines.length === 0) return
          await out.write(`${wroteAny ? ',\n' : '[\n'}${lines.join(',\n')}`)
          wroteAny = true
        },
        finish: async () => {
          await out.write(wroteAny ? '\n]\n' : '[]\n')
        },
      }
      break
    }
    case 'parquet': {
      await atomic.closeHandle()
      const { ParquetSink } = await import('./internal/parquetSink.js')
      sink = new ParquetSink(atomic.tempPath, options.codec ?? 'snappy', Math.max(1, options.rowGroupSize ?? 65_536))
      break
    }
    case 'arrow': {
      await atomic.closeHandle()
      const { ArrowSink } = await import('./internal/arrowSink.js')
      sink = new ArrowSink(atomic.tempPath)
      break
    }
  }

  const fail = async (error: unknown): Promise<never> => {
    state = 'failed'
    await sink.abort?.()
    await atomic.discard()
    throw error
  }

  return {
    async write(chunk: Table): Promise<void> {
      if (state !== 'open')
        throw new ModelGateError('MG_IO_WRITER_CLOSED', `The writer for ${shown} is already ${state}.`)
      try {
        const chunkNames = chunk.columns.map((c) => c.name)
        if (names === null) {
          names = chunkNames
          first = chunk
        } else if (chunkNames.length !== names.length || chunkNames.some((n, k) => n !== (names as string[])[k])) {
          throw new ModelGateError(
            'MG_IO_WRITE_COLUMNS_CHANGED',
            `${shown}: a chunk has columns [${chunkNames.join(', ')}], expected [${names.join(', ')}] like the first chunk.`,
            { location: { file: shown } },
          )
        }
        await sink.write(chunk)
        rows += chunk.numRows
        options.onProgress?.({ rows, bytes: atomic.bytes })
      } catch (error) {
        await fail(error)
      }
    },
    async close(): Promise<WriteSummary> {
      if (state !== 'open')
        throw new ModelGateError('MG_IO_WRITER_CLOSED', `The writer for ${shown} is already ${state}.`)
      try {
        await sink.finish(first === null ? { numRows: 0, columns: [] } : null)
        await atomic.commit()
      } catch (error) {
        await fail(error)
      }
      state = 'closed'
      return { path: file, format, rows, bytes: (await stat(file)).size }
    },
    async abort(): Promise<void> {
      if (state === 'open') {
        state = 'failed'
        await sink.abort?.()
        await atomic.discard()
      }
    },
  }
}
