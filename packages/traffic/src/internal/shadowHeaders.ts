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

/**
 * Lengths of the names the first pass must lower-case and look at (te, host, expect, upgrade, connection and
 * keep-alive, proxy-connection, transfer-encoding): any other name is end-to-end unless a Connection field names it,
 * and those are taken out afterwards. Most fields are thus kept without a lower-cased copy of their name — this runs
 * on every request and every answer.
 */
const LOOKED_AT = new Set([2, 4, 6, 7, 10, 16, 17])

/**
 * The options a Connection field lists (`close, x-trace`), lower-cased, added to `named` — except `close` and the
 * hop-by-hop names removed anyway; the set is created only when one is left (`keep-alive` alone needs none).
 */
function addConnectionOptions(value: string, named: Set<string> | undefined): Set<string> | undefined {
  const lower = value.toLowerCase()
  if (lower === 'keep-alive' || lower === 'close') return named
  let out = named
  for (const option of lower.split(',')) {
    const name = option.trim()
    if (name === '' || name === 'close' || HOP_BY_HOP.has(name)) continue
    out ??= new Set()
    out.add(name)
  }
  return out
}

/**
 * The end-to-end fields of a raw header list (`[name, value, name, value, …]` as Node's `rawHeaders` and undici's
 * `onHeaders` give them) as strings; buffers are read as latin1 so that every byte round-trips. One pass; the fields
 * a Connection field names (other than hop-by-hop ones) are taken out afterwards (rare: Connection usually lists
 * only close or keep-alive).
 */
export function endToEndHeaders(raw: readonly (string | Buffer)[], kind: 'request' | 'response'): string[] {
  let named: Set<string> | undefined
  const out: string[] = []
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const rawName = raw[i] as string | Buffer
    const name = typeof rawName === 'string' ? rawName : rawName.toString('latin1')
    const rawValue = raw[i + 1] as string | Buffer
    const value = typeof rawValue === 'string' ? rawValue : rawValue.toString('latin1')
    if (LOOKED_AT.has(name.length)) {
      const lower = name.toLowerCase()
      if (lower === 'connection') {
        named = addConnectionOptions(value, named)
        continue
      }
      if (HOP_BY_HOP.has(lower)) continue
      if (kind === 'request' && REQUEST_REPLACED.has(lower)) continue
    }
    out.push(name, value)
  }
  if (named === undefined) return out
  const kept: string[] = []
  for (let i = 0; i < out.length; i += 2)
    if (!named.has((out[i] as string).toLowerCase())) kept.push(out[i] as string, out[i + 1] as string)
  return kept
}
