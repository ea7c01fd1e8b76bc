/**
 * The drift gate as a vitest assertion. Importing this entry registers `toMatchBaseline` with vitest's `expect` (the
 * one deliberate import side effect of @modelgate/drift); add it to `setupFiles` or import it in a test file:
 *
 *   import '@modelgate/drift/vitest'
 *   expect(await readTable('today.parquet')).toMatchBaseline(baseline)
 */
import { expect } from 'vitest'
import { type DriftMatchers, driftMatchers } from './toMatchBaseline.js'

/** Registers the matcher on the given `expect` (vitest's by default). Safe to call more than once. */
export function installDriftMatchers(target: { extend(matchers: object): void } = expect): void {
  target.extend(driftMatchers)
}

installDriftMatchers()

export type { DriftMatchers } from './toMatchBaseline.js'
export { driftMatchers }

declare module 'vitest' {
  // biome-ignore lint/suspicious/noExplicitAny: mirrors vitest's own Assertion<T = any>
  interface Assertion<T = any> extends DriftMatchers<T> {}
  interface AsymmetricMatchersContaining extends DriftMatchers {}
}
