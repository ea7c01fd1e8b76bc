import { describe, expect, it } from 'vitest'
import { decodeEventBody, parseEventBody } from '../src/parseEventBody.js'

describe('decodeEventBody', () => {
  it('reads a body as UTF-8, whether it is all ASCII (the Latin-1 fast path) or not', () => {
    const bodies = [
      '{"request_id":"a","features":{"city":"Paris"}}\n{"request_id":"b"}',
      '{"request_id":"ü","features":{"city":"Zürich","note":"日本 🚀"}}',
      '',
    ]
    for (const text of bodies) {
      const bytes = Buffer.from(text, 'utf8')
      expect(decodeEventBody(bytes)).toBe(text)
      // a Uint8Array view into a larger buffer reads only its own bytes
      const padded = new Uint8Array(bytes.length + 8)
      padded.set(bytes, 4)
      expect(decodeEventBody(padded.subarray(4, 4 + bytes.length))).toBe(text)
    }
  })

  it('replaces bytes that are not UTF-8 as Buffer#toString does (never as Latin-1 letters)', () => {
    const bytes = Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xe9, 0xff, 0x22, 0x7d]) // {"a":"<e9><ff>"}
    expect(decodeEventBody(bytes)).toBe(bytes.toString('utf8'))
    expect(decodeEventBody(bytes)).toContain('\ufffd')
  })
})

describe('parseEventBody', () => {
  it('reads JSONL, naming the lines that are not JSON, and JSON arrays', () => {
    expect(parseEventBody('{"a":1}\n\nnot json\n{"a":2}\n')).toEqual({
      values: [{ a: 1 }, { a: 2 }],
      invalidLines: [3],
      invalidArray: false,
    })
    expect(parseEventBody(' [{"a":1},{"a":2}]')).toEqual({
      values: [{ a: 1 }, { a: 2 }],
      invalidLines: [],
      invalidArray: false,
    })
    expect(parseEventBody('[{"a":1},')).toEqual({ values: [], invalidLines: [], invalidArray: true })
  })
})
