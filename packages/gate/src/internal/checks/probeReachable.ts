import { connect } from 'node:net'
import { GateError } from '../../errors.js'

/** How long the probe's TCP connection may take. */
const PROBE_TIMEOUT_MS = 5000

/**
 * Resolves when a TCP connection to the URL's host and port opens; else throws `MG_GATE_UNREACHABLE` naming the
 * check's key. A shadow run in front of a primary that is down would mirror nothing and end "inconclusive: no pair
 * where both answered" after the whole run — this says what is wrong before the traffic starts.
 */
export async function probeReachable(
  url: URL,
  options: { readonly check: string; readonly key: string },
): Promise<void> {
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80))
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1')
  await new Promise<void>((resolve, reject) => {
    const socket = connect({ host, port, timeout: PROBE_TIMEOUT_MS })
    const fail = (reason: string): void => {
      socket.destroy()
      reject(
        new GateError(
          'MG_GATE_UNREACHABLE',
          `check "${options.check}": its ${options.key} ${url.origin} is unreachable (${reason}), so nothing was sent.`,
          { hint: `Check the ${options.key} URL and that the service is running where the gate runs.` },
        ),
      )
    }
    socket.once('connect', () => {
      socket.end()
      resolve()
    })
    socket.once('timeout', () => fail(`no connection within ${PROBE_TIMEOUT_MS / 1000} s`))
    socket.once('error', (error: NodeJS.ErrnoException) => fail(error.code ?? error.message))
  })
}
