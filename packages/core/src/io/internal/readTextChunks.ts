import { createReadStream } from 'node:fs'
import { TextDecoder } from 'node:util'
import { createGunzip } from 'node:zlib'
import { ModelGateError } from '../../errors.js'
import { isGzipPath } from '../detectFormat.js'

/**
 * The bytes of a text file as UTF-8: a UTF-16 file (little or big endian, told by its byte-order mark, as Excel and
 * PowerShell write them) is transcoded on the fly, its BOM dropped; UTF-16 without a BOM (NUL bytes between ASCII
 * characters) is refused with MG_IO_ENCODING rather than misread. Everything else passes through unchanged.
 */
async function* asUtf8(source: AsyncIterable<Buffer>, shown: string): AsyncGenerator<Buffer> {
  let decoder: TextDecoder | undefined
  let first = true
  for await (const buf of source) {
    if (first && buf.length > 0) {
      first = false
      if (buf[0] === 0xff && buf[1] === 0xfe) decoder = new TextDecoder('utf-16le')
      else if (buf[0] === 0xfe && buf[1] === 0xff) decoder = new TextDecoder('utf-16be')
      else if (looksLikeUtf16(buf))
        throw new ModelGateError(
          'MG_IO_ENCODING',
          `${shown} looks like UTF-16 text without a byte-order mark (NUL bytes between the characters); ModelGate reads UTF-8, and UTF-16 with a BOM.`,
          { location: { file: shown }, hint: 'Convert it to UTF-8, e.g. iconv -f UTF-16LE -t UTF-8 in > out.' },
        )
    }
    if (decoder === undefined) yield buf
    else {
      const text = decoder.decode(buf, { stream: true })
      if (text.length > 0) yield Buffer.from(text, 'utf8')
    }
  }
  const rest = decoder?.decode() ?? ''
  if (rest.length > 0) yield Buffer.from(rest, 'utf8')
}

/** A quarter or more of the first 4 KiB are NUL bytes at alternating positions: UTF-16 text, not UTF-8. */
function looksLikeUtf16(buf: Buffer): boolean {
  const n = Math.min(buf.length, 4096)
  if (n < 8) return false
  let even = 0
  let odd = 0
  for (let i = 0; i < n; i++) if (buf[i] === 0) i % 2 === 0 ? even++ : odd++
  return Math.max(even, odd) >= n / 4 && Math.min(even, odd) < n / 64
}

/** Decoded UTF-8 text of a file (gunzipped for `.gz`; UTF-16 with a BOM transcoded), in pieces of about 1 MiB; a BOM is dropped. */
export async function* readTextChunks(
  file: string,
  onBytes?: (bytes: number) => void,
  shown = file,
): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8')
  for await (const buf of readByteChunks(file, onBytes, shown)) {
    const text = decoder.decode(buf, { stream: true })
    if (text.length > 0) yield text
  }
  const rest = decoder.decode()
  if (rest.length > 0) yield rest
}

/** Bytes of a text file as UTF-8 (gunzipped for `.gz`; UTF-16 with a BOM transcoded) in pieces of about 1 MiB. */
export async function* readByteChunks(
  file: string,
  onBytes?: (bytes: number) => void,
  shown = file,
): AsyncGenerator<Buffer> {
  const raw = createReadStream(file, { highWaterMark: 1 << 20 })
  let bytes = 0
  if (onBytes !== undefined)
    raw.on('data', (b) => {
      bytes += b.length
      onBytes(bytes)
    })
  const source = isGzipPath(file) ? raw.pipe(createGunzip()) : raw
  try {
    for await (const buf of asUtf8(source as AsyncIterable<Buffer>, shown)) if (buf.length > 0) yield buf
  } finally {
    raw.destroy()
  }
}
