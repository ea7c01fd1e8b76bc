import type { ShadowProxy } from '@modelgate/traffic'
import { createShadowProxy } from '@modelgate/traffic'
import { afterEach } from 'vitest'
import type { HandlerServer } from './startHandlerServer.js'
import { startHandlerServer } from './startHandlerServer.js'

/**
 * The shadow proxy tests' servers and proxies, closed after each test (last started, first closed): `serve` starts a
 * handler server, `proxy` a proxy with `defaults` under the test's options, `afterTest` adds any other clean-up.
 * Call once per test file.
 */
export function shadowTestKit(defaults: Partial<Parameters<typeof createShadowProxy>[0]> = {}): {
  serve(handler: Parameters<typeof startHandlerServer>[0]): Promise<HandlerServer>
  proxy(options: Parameters<typeof createShadowProxy>[0]): Promise<ShadowProxy>
  /** Runs `close` after the test, with the servers and proxies. */
  afterTest(close: () => Promise<void>): void
} {
  const cleanup: (() => Promise<void>)[] = []
  afterEach(async () => {
    for (const close of cleanup.splice(0).reverse()) await close()
  })
  return {
    async serve(handler) {
      const server = await startHandlerServer(handler)
      cleanup.push(() => server.close())
      return server
    },
    async proxy(options) {
      const p = await createShadowProxy({ processMetrics: false, ...defaults, ...options })
      cleanup.push(() => p.close(500))
      return p
    },
    afterTest(close) {
      cleanup.push(close)
    },
  }
}

/** Resolves once `condition()` holds (polled every 10 ms); rejects after `timeoutMs`. */
export async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > end) throw new Error('timed out waiting')
    await new Promise((r) => setTimeout(r, 10))
  }
}
