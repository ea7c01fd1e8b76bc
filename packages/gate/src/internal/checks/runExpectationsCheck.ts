import { checkPayloadFile, deriveExpectations, loadExpectations, readPayloads } from '@modelgate/contracts'
import type { Report } from '@modelgate/core'
import { loadSchema } from '@modelgate/core'
import type { Expectations } from '@modelgate/drift'
import type { ExpectationsCheckConfig } from '../../gateConfig.js'
import { displayPath } from '../../gateConfig.js'
import type { CheckContext } from './CheckContext.js'
import { required } from './CheckContext.js'

/**
 * `expectations`: the distribution contract (null rates, categories, quantile bands) on the candidate sample — from
 * an expectations file, or derived on the spot from the request schema and the healthy reference sample.
 */
export async function runExpectationsCheck(check: ExpectationsCheckConfig, context: CheckContext): Promise<Report> {
  const { config } = context
  const sample = required(check.sample ?? config.data?.candidate, check, 'sample', 'data.candidate')
  let expectations: Expectations
  if (check.expectations !== undefined) expectations = await loadExpectations(check.expectations)
  else {
    const schemaFile = required(config.schemas?.request, check, 'expectations', 'schemas.request')
    const reference = required(config.data?.reference, check, 'expectations', 'data.reference')
    context.progress(`deriving expectations from ${displayPath(config, reference)}`)
    const schema = await loadSchema(schemaFile)
    expectations = await deriveExpectations({
      schema,
      sample: await readPayloads(reference, { schema, displayName: displayPath(config, reference) }),
      schemaSource: displayPath(config, schemaFile),
      sampleSource: displayPath(config, reference),
    })
  }
  context.signal.throwIfAborted()
  context.progress(`checking ${displayPath(config, sample)}`)
  return checkPayloadFile(expectations, sample, { displayName: displayPath(config, sample) })
}
