import http from 'node:http'
import https from 'node:https'

/** Whether anything answers HTTP at `url` (any status counts); the socket error code when not. */
export function probeHttp(url: string, timeoutMs = 3000): Promise<{ ok: true } | { ok: false; reason: string }> {
  return new Promise((resolve) => {
    let target: URL
    try {
      target = new URL(url)
    } catch {
      resolve({ ok: false, reason: 'not a valid URL' })
      return
    }
    const client = target.protocol === 'https:' ? https : http
    const req = client.request(target, { method: 'GET', timeout: timeoutMs }, (res) => {
      res.resume()
      resolve({ ok: true })
    })
    req.on('timeout', () => {
      req.destroy()
      resolve({ ok: false, reason: `no answer within ${timeoutMs} ms` })
    })
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ ok: false, reason: error.code ?? error.message }))
    req.end()
  })
}
