import { describe, expect, it } from 'vitest'
import { endToEndHeaders } from '../src/internal/shadowHeaders.js'

describe('endToEndHeaders', () => {
  it('drops hop-by-hop fields and those Connection names, before or after it, keeping order, spelling and duplicates', () => {
    const raw = [
      'X-Trace',
      'a',
      'Host',
      'primary',
      'Content-Type',
      'application/json',
      'Keep-Alive',
      'timeout=5',
      'Connection',
      'keep-alive, X-Trace',
      'x-trace',
      'b',
      'Set-Cookie',
      'c=1',
      'Set-Cookie',
      'd=2',
      'TE',
      'trailers',
      'Upgrade',
      'websocket',
      'Expect',
      '100-continue',
      'X-Other',
      'ok',
    ]
    expect(endToEndHeaders(raw, 'request')).toEqual([
      'Content-Type',
      'application/json',
      'Set-Cookie',
      'c=1',
      'Set-Cookie',
      'd=2',
      'X-Other',
      'ok',
    ])
    // an answer keeps Host and Expect (only a request's are set by the proxy itself)
    expect(endToEndHeaders(['Expect', 'x', 'Connection', 'close', 'Date', 'now'], 'response')).toEqual([
      'Expect',
      'x',
      'Date',
      'now',
    ])
  })

  it('reads undici raw header buffers as latin1, byte for byte', () => {
    const value = Buffer.from([0x63, 0xe9, 0xff])
    expect(endToEndHeaders([Buffer.from('X-Bytes'), value], 'response')).toEqual(['X-Bytes', value.toString('latin1')])
  })

  it('takes out every field a Connection field names, whatever its length and case, wherever Connection comes', () => {
    const raw = ['X-A', '1', 'Connection', 'Keep-Alive', 'x-long-custom-field', '2', 'Date', 'now']
    raw.push('CONNECTION', 'X-Long-Custom-Field, x-a', 'X-B', '3')
    expect(endToEndHeaders(raw, 'response')).toEqual(['Date', 'now', 'X-B', '3'])
    // a Connection field naming only hop-by-hop fields and close leaves the rest alone
    expect(endToEndHeaders(['Connection', 'close, TE', 'X-C', '4'], 'request')).toEqual(['X-C', '4'])
  })
})
