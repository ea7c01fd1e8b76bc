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

/** Adds the options a Connection field lists (`close, x-trace`) to `named`, lower-cased. */
function addConnectionOptions(value: string, named: Set<string>): void {
  for (const option of value.split(',')) {
    const name = option.trim().toLowerCase()
    if (name !== '') named.add(name)
  }
}

/**
 * The end-to-end fields of a raw header list (`[name, value, name, value, …]` as Node's `rawHeaders` and undici's
 * `onHeaders` give them) as strings; buffers are read as latin1 so that every byte round-trips. One pass; a field
 * that a later Connection field names is taken out afterwards (rare: Connection usually lists only close or
 * keep-alive, both hop-by-hop anyway).
 */
export function endToEndHeaders(raw: readonly (string | Buffer)[], kind: 'request' | 'response'): string[] {
  let named: Set<string> | undefined
  const out: string[] = []
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const rawName = raw[i] as string | Buffer
    const name = typeof rawName === 'string' ? rawName : rawName.toString('latin1')
    const lower = name.toLowerCase()
    const rawValue = raw[i + 1] as string | Buffer
    const value = typeof rawValue === 'string' ? rawValue : rawValue.toString('latin1')
    if (lower === 'connection') {
      named ??= new Set()
      addConnectionOptions(value, named)
      continue
    }
    if (HOP_BY_HOP.has(lower) || named?.has(lower) === true) continue
    if (kind === 'request' && REQUEST_REPLACED.has(lower)) continue
    out.push(name, value)
  }
  if (named === undefined || [...named].every((n) => n === 'close' || HOP_BY_HOP.has(n))) return out
  const kept: string[] = []
  for (let i = 0; i < out.length; i += 2)
    if (!named.has((out[i] as string).toLowerCase())) kept.push(out[i] as string, out[i + 1] as string)
  return kept
}
