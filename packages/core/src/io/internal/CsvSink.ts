import type { Worker } from 'node:worker_threads'
import { gzipSync } from 'node:zlib'
import { ModelGateError } from '../../errors.js'
import type { Column, Table } from '../../Table.js'
import { startWorkerThread } from '../startWorkerThread.js'
import { type AtomicFile, writeFailed } from './AtomicFile.js'
import { ByteBuffer } from './ByteBuffer.js'
import { CsvEncoder } from './CsvEncoder.js'
import { csvHeader } from './formatText.js'

/** Bytes encoded before they are handed to the file (the write runs while the next megabyte is encoded). */
const FLUSH_BYTES = 1 << 20
/**
 * From this many cells in the first chunk on, chunks are encoded and written on a thread of their own, so the caller
 * draws (or reads) the next chunk meanwhile: a chunk this size takes tens of milliseconds to encode, against a few
 * to start the thread and copy the columns to it.
 */
const THREAD_CELLS = 1 << 20

/**
 * Streams CSV/TSV chunks into an atomic file through two reused byte buffers: one is written to the file while the
 * other fills, and a full buffer waits for the previous write (backpressure). Gzip output keeps one gzip member per
 * chunk (the header in the first), so the whole chunk is encoded before it is compressed. A large first chunk moves
 * the encoding and writing to a thread (csvEncodeWorker.ts) that takes one chunk at a time: `write` hands the chunk
 * over once the previous one is written, and `finish` waits for the last.
 */
export class CsvSink {
  private readonly file: AtomicFile
  private readonly delimiter: string
  private readonly gzip: boolean
  private readonly threaded: boolean
  private readonly encoder: CsvEncoder
  private readonly out = new ByteBuffer(FLUSH_BYTES + (FLUSH_BYTES >> 2))
  private spare: Buffer | null = null
  private inflight: Promise<void> | null = null
  private headerWritten = false
  private worker: Worker | null = null
  private answer: ((result: { bytes?: number; error?: string }) => void) | null = null

  /** `threaded`: the chunks are the sink's (transferChunks), so a large first chunk starts the encoding thread. */
  constructor(file: AtomicFile, options: { delimiter: string; gzip: boolean; threaded: boolean }) {
    this.file = file
    this.delimiter = options.delimiter
    this.gzip = options.gzip
    this.threaded = options.threaded && !options.gzip
    this.encoder = new CsvEncoder(options.delimiter)
  }

  async write(table: Table): Promise<void> {
    if (this.threaded && !this.headerWritten && table.numRows * table.columns.length >= THREAD_CELLS) this.startThread()
    if (this.worker !== null) return this.post(table)
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
    await this.stopThread()
  }

  /** Stops the thread and waits for a write in flight (errors dropped: the file is being discarded). */
  async abort(): Promise<void> {
    await this.stopThread()
    await this.settle().catch(() => undefined)
  }

  private startThread(): void {
    const worker = startWorkerThread(new URL('./csvEncodeWorker', import.meta.url), {
      workerData: { fd: this.file.fd, delimiter: this.delimiter },
    })
    const fail = (error: string): void => this.answer?.({ error })
    worker.on('message', (result: { bytes?: number; error?: string }) => this.answer?.(result))
    worker.on('error', (error) => fail(error.message))
    worker.on('exit', (code) => fail(`the CSV writer thread stopped (exit code ${code})`))
    worker.unref()
    this.worker = worker
  }

  private async stopThread(): Promise<void> {
    const worker = this.worker
    this.worker = null
    if (worker === null) return
    await worker.terminate()
    this.answer?.({ error: 'the CSV writer thread was stopped' })
  }

  /** Hands `table` to the thread once it has written the previous chunk (one chunk in the thread at a time). */
  private async post(table: Table): Promise<void> {
    await this.settle()
    const worker = this.worker as Worker
    const done = new Promise<void>((resolve, reject) => {
      this.answer = (result) => {
        this.answer = null
        worker.unref()
        if (result.error === undefined) {
          this.file.bytes += result.bytes ?? 0
          resolve()
        } else reject(writeFailed(this.file.shown, new Error(result.error)))
      }
    })
    done.catch(() => undefined) // observed by the next settle()
    this.inflight = done
    const header = this.headerWritten ? null : csvHeader(table, this.delimiter)
    this.headerWritten = true
    worker.ref() // an answer is awaited: keep the process alive until it comes
    const moved: ArrayBuffer[] = []
    for (const c of table.columns) {
      const length = c.kind === 'categorical' ? c.codes.length : c.values.length
      if (length !== table.numRows)
        throw new ModelGateError(
          'MG_TABLE_LENGTH_MISMATCH',
          `${this.file.shown}: column "${c.name}" has ${length} values in a chunk of ${table.numRows} rows (a chunk handed over with transferChunks cannot be written again).`,
          { location: { file: this.file.shown, column: c.name } },
        )
    }
    const columns = table.columns.map((c) => movedColumn(c, moved))
    worker.postMessage({ header, table: { numRows: table.numRows, columns } }, moved)
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

/**
 * The column's own data for the thread: typed arrays that own their whole ArrayBuffer are moved (listed in `moved`,
 * each buffer once); a view into a larger or shared buffer is copied first, so nothing else is detached.
 */
function movedColumn(column: Column, moved: ArrayBuffer[]): Column {
  const move = <A extends Float64Array | Int32Array | Uint8Array>(array: A): A => {
    const buffer = array.buffer
    const owned = buffer instanceof ArrayBuffer && array.byteOffset === 0 && array.byteLength === buffer.byteLength
    if (owned && moved.includes(buffer)) return array
    const own = owned ? array : (array.slice() as A)
    moved.push(own.buffer as ArrayBuffer)
    return own
  }
  switch (column.kind) {
    case 'categorical':
      return { kind: column.kind, name: column.name, codes: move(column.codes), dictionary: column.dictionary }
    case 'text':
    case 'id':
      return { kind: column.kind, name: column.name, values: column.values }
    case 'boolean':
      return { kind: column.kind, name: column.name, values: move(column.values), valid: maybe(column.valid, move) }
    case 'datetime':
      return {
        kind: column.kind,
        name: column.name,
        values: move(column.values),
        valid: maybe(column.valid, move),
        format: column.format,
      }
    default:
      return { kind: column.kind, name: column.name, values: move(column.values), valid: maybe(column.valid, move) }
  }
}

function maybe<A>(array: A | null, move: (a: A) => A): A | null {
  return array === null ? null : move(array)
}
