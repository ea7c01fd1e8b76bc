export const FNV_OFFSET = 0x811c9dc5 | 0
export const FNV_PRIME = 0x01000193

/** FNV-1a over the UTF-16 code units of `text[start, end)`. */
export function hashRange(text: string, start: number, end: number): number {
  let h = FNV_OFFSET
  for (let i = start; i < end; i++) h = Math.imul(h ^ text.charCodeAt(i), FNV_PRIME)
  return h
}

/**
 * Open-addressing hash table from category text to dictionary code that can be probed with a range of a larger
 * string (`text[start, end)`), so the CSV parser finds a category's code without allocating a substring.
 */
export class RangeDictionary {
  private slots = new Int32Array(64).fill(-1)
  private hashes: number[] = []
  private size = 0

  /** Code of `text[start, end)` whose `hashRange` is `h`, or -1. */
  findHashed(h: number, text: string, start: number, end: number, dictionary: readonly string[]): number {
    const len = end - start
    const mask = this.slots.length - 1
    let i = h & mask
    for (;;) {
      const code = this.slots[i] as number
      if (code === -1) return -1
      if (this.hashes[code] === h) {
        const s = dictionary[code] as string
        if (s.length === len) {
          let j = 0
          while (j < len && s.charCodeAt(j) === text.charCodeAt(start + j)) j++
          if (j === len) return code
        }
      }
      i = (i + 1) & mask
    }
  }

  insert(value: string, code: number): void {
    const h = hashRange(value, 0, value.length)
    this.hashes[code] = h
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
