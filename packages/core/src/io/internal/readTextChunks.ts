import { createReadStream } from 'node:fs'
import { createGunzip } from 'node:zlib'
import { isGzipPath } from '../detectFormat.js'

/** Decoded UTF-8 text of a file (gunzipped for `.gz`), in pieces of about 1 MiB; a BOM is dropped. */
export async function* readTextChunks(file: string, onBytes?: (bytes: number) => void): AsyncGenerator<string> {
  const raw = createReadStream(file, { highWaterMark: 1 << 20 })
  const decoder = new TextDecoder('utf-8')
  let bytes = 0
  if (onBytes !== undefined)
    raw.on('data', (b) => {
      bytes += b.length
      onBytes(bytes)
    })
  const source = isGzipPath(file) ? raw.pipe(createGunzip()) : raw
  try {
    for await (const buf of source as AsyncIterable<Buffer>) {
      const text = decoder.decode(buf, { stream: true })
      if (text.length > 0) yield text
    }
    const rest = decoder.decode()
    if (rest.length > 0) yield rest
  } finally {
    raw.destroy()
  }
}

/** Raw bytes of a file (gunzipped for `.gz`) in pieces of about 1 MiB. */
export async function* readByteChunks(file: string, onBytes?: (bytes: number) => void): AsyncGenerator<Buffer> {
  const raw = createReadStream(file, { highWaterMark: 1 << 20 })
  let bytes = 0
  if (onBytes !== undefined)
    raw.on('data', (b) => {
      bytes += b.length
      onBytes(bytes)
    })
  const source = isGzipPath(file) ? raw.pipe(createGunzip()) : raw
  try {
    for await (const buf of source as AsyncIterable<Buffer>) if (buf.length > 0) yield buf
  } finally {
    raw.destroy()
  }
}
