import { gzipSync } from 'node:zlib'
import type { Table } from '../../Table.js'
import type { AtomicFile } from './AtomicFile.js'
import { ByteBuffer } from './ByteBuffer.js'
import { CsvEncoder } from './CsvEncoder.js'
import { csvHeader } from './formatText.js'

/** Bytes encoded before they are handed to the file (the write runs while the next megabyte is encoded). */
const FLUSH_BYTES = 1 << 20

/**
 * Streams CSV/TSV chunks into an atomic file through two reused byte buffers: one is written to the file while the
 * other fills, and a full buffer waits for the previous write (backpressure). Gzip output keeps one gzip member per
 * chunk (the header in the first), so the whole chunk is encoded before it is compressed.
 */
export class CsvSink {
  private readonly file: AtomicFile
  private readonly delimiter: string
  private readonly gzip: boolean
  private readonly encoder: CsvEncoder
  private readonly out = new ByteBuffer(FLUSH_BYTES + (FLUSH_BYTES >> 2))
  private spare: Buffer | null = null
  private inflight: Promise<void> | null = null
  private headerWritten = false

  constructor(file: AtomicFile, delimiter: string, gzip: boolean) {
    this.file = file
    this.delimiter = delimiter
    this.gzip = gzip
    this.encoder = new CsvEncoder(delimiter)
  }

  async write(table: Table): Promise<void> {
    if (!this.headerWritten) {
      this.out.writeString(csvHeader(table, this.delimiter))
      this.headerWritten = true
    }
    const chunk = this.encoder.prepare(table)
    if (this.gzip) {
      this.encoder.encodeRows(chunk, 0, this.out, Number.POSITIVE_INFINITY)
      const member = gzipSync(this.out.buf.subarray(0, this.out.pos))
      this.out.pos = 0
      await this.file.write(member)
      return
    }
    let row = 0
    while (row < chunk.numRows) {
      row = this.encoder.encodeRows(chunk, row, this.out, FLUSH_BYTES)
      if (this.out.pos >= FLUSH_BYTES) await this.flush()
    }
  }

  async finish(): Promise<void> {
    if (this.out.pos > 0) await this.flush()
    await this.settle()
  }

  /** Waits for a write in flight (its error, if any, is dropped: the file is being discarded). */
  async abort(): Promise<void> {
    await this.settle().catch(() => undefined)
  }

  /** Hands the filled bytes to the file and continues on the buffer of the previous write, once that one is done. */
  private async flush(): Promise<void> {
    await this.settle()
    const data = this.out.buf.subarray(0, this.out.pos)
    const next = this.spare ?? Buffer.allocUnsafe(this.out.buf.length)
    this.spare = this.out.buf
    this.out.reset(next)
    const writing = this.file.write(data)
    writing.catch(() => undefined) // observed by the next settle(); this only keeps it from being "unhandled"
    this.inflight = writing
  }

  private async settle(): Promise<void> {
    const writing = this.inflight
    this.inflight = null
    if (writing !== null) await writing
  }
}
