// Issue #12: error text echoed response bodies (with a row's email) and URLs with credentials. One set of helpers in
// core makes untrusted text, URLs and single values fit for errors, logs and reports.
import { redactText, redactUrl, redactValue } from '@modelgate/core'
import { describe, expect, it } from 'vitest'

describe('redactUrl', () => {
  it('drops user:password@ and the values of credential-like query keys, keeping the rest', () => {
    expect(redactUrl('https://bob:pa55w0rd@api.example.com:8443/v1/score?model=a&token=xyz123&api_key=K&x=1')).toBe(
      'https://api.example.com:8443/v1/score?model=a&token=[redacted]&api_key=[redacted]&x=1',
    )
    expect(redactUrl('http://user@host/p')).toBe('http://host/p')
    expect(redactUrl('see http://a:b@h1/x and redis://:secret@h2:6379/0')).toBe('see http://h1/x and redis://h2:6379/0')
    expect(redactUrl('http://h/p?Password=p&SIG=s&page=2#frag')).toBe(
      'http://h/p?Password=[redacted]&SIG=[redacted]&page=2#frag',
    )
    expect(redactUrl('not a url at all')).toBe('not a url at all')
  })
})

describe('redactText', () => {
  it('replaces emails, long digit runs, IPs, tokens, bearer credentials and person names by their kind', () => {
    const body =
      '{"error":"no score for Alice Zorblax <alice.zorblax@example.org>, phone (202) 555-0143, ssn 123-45-6789,' +
      ' card 4111 1111 1111 1111, from 10.1.2.3","auth":"Bearer eyJhbGciOiJIUzI1NiJ9.abc","id":"a1b2c3d4e5f6a7b8c9d0e1f2"}'
    const out = redactText(body, { maxLength: 400 })
    for (const secret of [
      'Alice',
      'Zorblax',
      'alice.zorblax',
      '555-0143',
      '123-45-6789',
      '4111',
      '10.1.2.3',
      'eyJ',
      'a1b2c3d4',
    ])
      expect(out).not.toContain(secret)
    expect(out).toContain('[email]')
    expect(out).toContain('[number]')
    expect(out).toContain('[name]')
    expect(out).toContain('no score for')
  })

  it('removes given secrets whatever they look like, also in their JSON spelling', () => {
    const out = redactText('{"note":"Quindle said \\"hi\\" to Farrowby"}', {
      secrets: ['Quindle said "hi"', 'Farrowby', 7, null],
    })
    expect(out).toBe('{"note":"[redacted] to [redacted]"}')
  })

  it('keeps dates, strips control characters and ANSI escapes, and cuts long text saying how long it was', () => {
    expect(redactText('on 2026-01-05 \u001b[31mfailed\u001b[0m\r\n')).toBe('on 2026-01-05 failed')
    const long = `${'x'.repeat(2_000_000)} tail@example.org`
    const out = redactText(long, { maxLength: 50 })
    expect(out.length).toBeLessThan(80)
    expect(out).toMatch(/… \(2,000,017 characters\)$/)
    expect(out).not.toContain('tail@')
  })
})

describe('redactValue', () => {
  it('shows a plain value quoted and cut, a PII value only by what it looks like', () => {
    expect(redactValue('gold')).toBe('"gold"')
    expect(redactValue(42)).toBe('42')
    expect(redactValue('y'.repeat(100), { maxLength: 10 })).toBe(`"${'y'.repeat(9)}…"`)
    expect(redactValue('gold', { pii: true })).toBe('a value (redacted: PII column)')
    expect(redactValue('gold', { column: 'customer_email' })).toMatch(/^a value \(redacted: the column looks like/)
    expect(redactValue('carol@example.org')).toBe('a value (redacted: looks like an email address)')
  })
})
