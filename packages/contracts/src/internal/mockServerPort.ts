import net from 'node:net'
import { ContractsError } from '../errors.js'

/** Ports this process has already handed to a Pact mock server. */
const used = new Set<number>()

/**
 * A free loopback port never used before by a Pact mock server of this process. The Pact core looks mock
 * servers up by port; when the OS hands a new mock server the port of an earlier one, the lookup can find the
 * earlier server and report the request as "expected but not received" (seen about once in 200 interactions).
 */
export async function mockServerPort(): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const server = net.createServer()
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(0, '127.0.0.1', resolve)
    })
    const address = server.address()
    const port = typeof address === 'object' && address !== null ? address.port : 0
    await new Promise<void>((resolve) => server.close(() => resolve()))
    if (port !== 0 && !used.has(port)) {
      used.add(port)
      return port
    }
  }
  throw new ContractsError(
    'MG_CONTRACTS_NO_MOCK_PORT',
    'No loopback port that no earlier Pact mock server of this process used was free after 100 tries; nothing was written.',
    { hint: 'Run the generation in a new process, or free loopback ports.' },
  )
}
