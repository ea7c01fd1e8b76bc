import type { OptionalDependency } from '@modelgate/core'
import { importOptional } from '@modelgate/core'

type Pact = typeof import('@pact-foundation/pact')

const PACT = { name: '@pact-foundation/pact', version: '16.4.0', peerOf: '@modelgate/contracts' } as const

/** pact-js and the Pact core (an optional peer dependency), loaded when a call needs them; `neededFor` names the call. */
export function loadPact(neededFor: string): Promise<Pact> {
  const dependency: OptionalDependency = { ...PACT, neededFor }
  return importOptional(() => import('@pact-foundation/pact'), dependency)
}
