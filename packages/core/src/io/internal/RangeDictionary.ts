export const FNV_OFFSET = 0x811c9dc5 | 0
export const FNV_PRIME = 0x01000193

/** FNV-1a over the bytes `buf[start, end)`. */
export function hashBytes(buf: Uint8Array, start: number, end: number): number {
  let h = FNV_OFFSET
  for (let i = start; i < end; i++) h = Math.imul(h ^ (buf[i] as number), FNV_PRIME)
  return h
}

/**
 * Open-addressing hash table from the UTF-8 bytes of a category to its dictionary code, probed with a byte range of
 * the input buffer, so the CSV parser finds a category's code without decoding a string.
 */
export class RangeDictionary {
  private slots = new Int32Array(64).fill(-1)
  private hashes: number[] = []
  private bytes: Uint8Array[] = []
  private size = 0

  /** Code of `buf[start, end)` whose `hashBytes` is `h`, or -1. */
  find(h: number, buf: Uint8Array, start: number, end: number): number {
    const len = end - start
    const mask = this.slots.length - 1
    let i = h & mask
    for (;;) {
      const code = this.slots[i] as number
      if (code === -1) return -1
      if (this.hashes[code] === h) {
        const b = this.bytes[code] as Uint8Array
        if (b.length === len) {
          let j = 0
          while (j < len && b[j] === buf[start + j]) j++
          if (j === len) return code
        }
      }
      i = (i + 1) & mask
    }
  }

  insert(value: string, code: number): void {
    const b = Buffer.from(value, 'utf8')
    const h = hashBytes(b, 0, b.length)
    this.hashes[code] = h
    this.bytes[code] = b
    this.size++
    if (this.size * 2 > this.slots.length) this.rehash()
    else this.place(code, h)
  }

  private place(code: number, h: number): void {
    const mask = this.slots.length - 1
    let i = h & mask
    while (this.slots[i] !== -1) i = (i + 1) & mask
    this.slots[i] = code
  }

  private rehash(): void {
    this.slots = new Int32Array(this.slots.length * 2).fill(-1)
    for (let code = 0; code < this.hashes.length; code++) {
      const h = this.hashes[code]
      if (h !== undefined) this.place(code, h)
    }
  }
}
