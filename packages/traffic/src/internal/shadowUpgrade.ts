import type { IncomingMessage } from 'node:http'
import type { Socket } from 'node:net'
import { connect as connectTcp, isIP } from 'node:net'
import { connect as connectTls } from 'node:tls'

/** The primary as the upgrade tunnel reaches it. */
interface UpgradeTarget {
  readonly origin: string
  readonly basePath: string
}

/**
 * Passes an `Upgrade` request (a WebSocket handshake, say) through to the primary untouched and joins the two
 * connections byte for byte for as long as either stays open. It is never mirrored: a tunnel has no answer to pair,
 * and replaying a stateful session against the candidate would be a side effect. The request goes with its own
 * header fields (Connection and Upgrade included: the upstream needs them to switch protocols), Host set to the
 * primary's and `X-Forwarded-For` added, as on the forwarded path. `onClosed` is called once when the tunnel ends;
 * the function returned ends it.
 */
export function tunnelUpgrade(
  req: IncomingMessage,
  client: Socket,
  head: Buffer,
  target: UpgradeTarget,
  options: { readonly timeoutMs: number; readonly onClosed: () => void },
): () => void {
  const { timeoutMs, onClosed } = options
  const url = new URL(target.origin)
  const secure = url.protocol === 'https:'
  const port = Number(url.port || (secure ? 443 : 80))
  const host = url.hostname.replace(/^\[|\]$/g, '')
  const upstream = secure
    ? connectTls({ host, port, ...(isIP(host) === 0 ? { servername: host } : {}) })
    : connectTcp({ host, port })
  let closed = false
  let tunnelled = false
  /** Ends both sides; before the tunnel is up the client gets `refusal` (a 502 or 504) first. */
  const close = (refusal?: string) => {
    if (closed) return
    closed = true
    if (!tunnelled && refusal !== undefined && client.writable)
      client.end(`HTTP/1.1 ${refusal}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`)
    else client.destroy()
    upstream.destroy()
    onClosed()
  }
  // the primary cannot be reached in time: a 504 (once the tunnel is up, it has no timeout of its own)
  upstream.setTimeout(timeoutMs, () => close('504 Gateway Timeout'))
  upstream.once(secure ? 'secureConnect' : 'connect', () => {
    const lines = [`${req.method ?? 'GET'} ${target.basePath}${req.url ?? '/'} HTTP/1.1`]
    const raw = req.rawHeaders
    for (let i = 0; i + 1 < raw.length; i += 2) {
      if ((raw[i] as string).toLowerCase() === 'host') continue
      lines.push(`${raw[i]}: ${raw[i + 1]}`)
    }
    lines.push(`Host: ${url.host}`)
    if (req.socket.remoteAddress !== undefined) lines.push(`X-Forwarded-For: ${req.socket.remoteAddress}`)
    upstream.write(`${lines.join('\r\n')}\r\n\r\n`)
    if (head.length > 0) upstream.write(head)
    tunnelled = true
    upstream.setTimeout(0)
    upstream.pipe(client)
    client.pipe(upstream)
  })
  upstream.once('error', () => close('502 Bad Gateway'))
  upstream.once('close', () => close())
  client.once('error', () => close())
  client.once('close', () => close())
  return () => close()
}
