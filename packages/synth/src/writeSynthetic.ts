import type { ArgumentShape, ParquetCodec } from '@modelgate/core'
import { checkArgument, writeTable } from '@modelgate/core'
import { z } from 'zod'
import { synthModel, writeShape } from './internal/arguments.js'
import type { StreamOptions, SynthModel } from './types.js'

export interface WriteSyntheticOptions extends StreamOptions {
  readonly rows: number
  /** Output file; the format (csv, tsv, json, jsonl, parquet, arrow) comes from the extension. */
  readonly out: string
  readonly codec?: ParquetCodec
  /** Stops between chunks once aborted (MG_CANCELLED, exit 1); the temp file is removed. */
  readonly signal?: AbortSignal
  /** Name of `out` in messages (default: the path as given). */
  readonly displayName?: string
}

const optionsArgument = z.object(writeShape satisfies ArgumentShape<WriteSyntheticOptions>)

export interface WriteSyntheticResult {
  readonly file: string
  readonly rows: number
  readonly bytes: number
}

/**
 * Streams `rows` synthetic rows (or one shard of them) to a file chunk by chunk through core's atomic writer
 * (temp file + rename; nothing partial is left on error or cancellation). Chunk c is drawn from a generator derived from
 * (seed, c), so the same seed gives byte-identical files, and `shard i/n` writes the contiguous chunk range
 * [⌊i·C/n⌋, ⌊(i+1)·C/n⌋) of the C chunks: shards read in order and appended equal the single-run output.
 */
export async function writeSynthetic(model: SynthModel, options: WriteSyntheticOptions): Promise<WriteSyntheticResult> {
  checkArgument(synthModel, model, { call: 'writeSynthetic(model, options)', name: 'model' })
  checkArgument(optionsArgument, options, { call: 'writeSynthetic(model, options)', name: 'options' })
  const { rows: n, out, codec, signal, displayName, ...stream } = options
  // stream() yields fresh chunks that nothing reads again: the writer may take their arrays (no copy to its thread)
  const summary = await writeTable(out, model.stream(n, stream), {
    transferChunks: true,
    ...(codec === undefined ? {} : { codec }),
    ...(signal === undefined ? {} : { signal }),
    ...(displayName === undefined ? {} : { displayName }),
  })
  return { file: summary.path, rows: summary.rows, bytes: summary.bytes }
}
