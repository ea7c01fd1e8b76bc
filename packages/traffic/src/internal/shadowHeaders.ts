// Hop-by-hop header handling for the shadow proxy, as RFC 9110 §7.6.1 says an intermediary does: remove the
// Connection field and every field it names, and remove the fields known to be connection-specific whether or not
// Connection names them (Proxy-Connection, Keep-Alive, TE, Transfer-Encoding, Upgrade). Everything else is
// end-to-end and passes unchanged, in its order, with its spelling and its duplicates.
// https://www.rfc-editor.org/rfc/rfc9110#section-7.6.1

/** Connection-specific fields removed whether or not Connection names them (RFC 9110 §7.6.1). */
const HOP_BY_HOP = new Set(['connection', 'proxy-connection', 'keep-alive', 'te', 'transfer-encoding', 'upgrade'])

/**
 * Request fields the proxy sets itself on the way to an upstream: `host` (the upstream's, set by the client pool)
 * and `expect` (Node's server answers `100-continue` to the client; the upstream gets the whole body).
 */
const REQUEST_REPLACED = new Set(['host', 'expect'])

/** The lower-cased names a message's Connection fields list (e.g. `Connection: close, x-trace` → close, x-trace). */
function connectionOptions(raw: readonly (string | Buffer)[]): Set<string> | undefined {
  let named: Set<string> | undefined
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i] as string | Buffer
    if (name.length !== 10 || String(name).toLowerCase() !== 'connection') continue
    named ??= new Set()
    for (const option of String(raw[i + 1]).split(',')) if (option.trim() !== '') named.add(option.trim().toLowerCase())
  }
  return named
}

/**
 * The end-to-end fields of a raw header list (`[name, value, name, value, …]` as Node's `rawHeaders` and undici's
 * `onHeaders` give them) as strings; buffers are read as latin1 so that every byte round-trips.
 */
export function endToEndHeaders(raw: readonly (string | Buffer)[], kind: 'request' | 'response'): string[] {
  const named = connectionOptions(raw)
  const out: string[] = []
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = typeof raw[i] === 'string' ? (raw[i] as string) : (raw[i] as Buffer).toString('latin1')
    const lower = name.toLowerCase()
    if (HOP_BY_HOP.has(lower) || named?.has(lower) === true) continue
    if (kind === 'request' && REQUEST_REPLACED.has(lower)) continue
    const value = raw[i + 1] as string | Buffer
    out.push(name, typeof value === 'string' ? value : value.toString('latin1'))
  }
  return out
}
