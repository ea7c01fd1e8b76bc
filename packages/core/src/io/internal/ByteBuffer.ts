/** A growable byte buffer that text writers fill in place (`buf` from 0 to `pos`); grows by copying when asked for room. */
export class ByteBuffer {
  buf: Buffer
  pos = 0

  constructor(size: number) {
    this.buf = Buffer.allocUnsafe(size)
  }

  /** Makes room for `n` more bytes after `pos` (may replace `buf`). */
  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return
    const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n))
    this.buf.copy(bigger, 0, 0, this.pos)
    this.buf = bigger
  }

  /** Appends `text` as UTF-8 (lone surrogates as U+FFFD, as `Buffer.from(text, 'utf8')` does). */
  writeString(text: string): void {
    this.ensure(text.length * 3)
    this.pos += this.buf.write(text, this.pos, 'utf8')
  }

  /** Starts over on `next` (empty), e.g. after handing the filled bytes to a write. */
  reset(next: Buffer): void {
    this.buf = next
    this.pos = 0
  }
}
