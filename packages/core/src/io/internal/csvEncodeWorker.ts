import { writeSync } from 'node:fs'
import { parentPort, workerData } from 'node:worker_threads'
import type { Table } from '../../Table.js'
import { ByteBuffer } from './ByteBuffer.js'
import { CsvEncoder } from './CsvEncoder.js'

// The CSV sink's thread (CsvSink): encodes each chunk it is sent and writes the bytes to the temp file's descriptor,
// so the caller's thread draws the next chunk meanwhile. Answers every chunk with the bytes written or the error.

const FLUSH_BYTES = 1 << 20
const { fd, delimiter } = workerData as { fd: number; delimiter: string }
const encoder = new CsvEncoder(delimiter)
const out = new ByteBuffer(FLUSH_BYTES + (FLUSH_BYTES >> 2))
const port = parentPort

function flush(): number {
  let off = 0
  while (off < out.pos) off += writeSync(fd, out.buf, off, out.pos - off)
  const written = out.pos
  out.pos = 0
  return written
}

port?.on('message', (message: { header: string | null; table: Table }) => {
  try {
    let bytes = 0
    if (message.header !== null) out.writeString(message.header)
    const chunk = encoder.prepare(message.table)
    let row = 0
    while (row < chunk.numRows) {
      row = encoder.encodeRows(chunk, row, out, FLUSH_BYTES)
      if (out.pos >= FLUSH_BYTES) bytes += flush()
    }
    bytes += flush()
    port.postMessage({ bytes })
  } catch (error) {
    out.pos = 0
    port.postMessage({ error: error instanceof Error ? error.message : String(error) })
  }
})
