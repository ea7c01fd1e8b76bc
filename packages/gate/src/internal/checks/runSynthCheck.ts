import type { Report } from '@modelgate/core'
import { readTable } from '@modelgate/core'
import { evaluateSynthetic, sampleSynthModel } from '@modelgate/synth'
import type { SynthCheckConfig } from '../../gateConfig.js'
import { displayPath } from '../../gateConfig.js'
import type { CheckContext } from './CheckContext.js'
import { required } from './CheckContext.js'

/** `synth`: rows sampled from the synth model scored against the real table (quality, and privacy: copies, PII). */
export async function runSynthCheck(check: SynthCheckConfig, context: CheckContext): Promise<Report> {
  const { config } = context
  const model = required(check.model ?? config.synth?.model, check, 'model', 'synth.model')
  const realFile = required(check.real ?? config.data?.reference, check, 'real', 'data.reference')
  const real = await readTable(realFile, { displayName: displayPath(config, realFile) })
  const holdout =
    check.holdout === undefined
      ? undefined
      : await readTable(check.holdout, { displayName: displayPath(config, check.holdout) })
  context.progress(`sampling ${check.rows.toLocaleString('en-US')} rows`)
  const synthetic = await sampleSynthModel(model, check.rows, { seed: check.seed })
  context.signal.throwIfAborted()
  context.progress('evaluating quality and privacy')
  const { report } = evaluateSynthetic({
    real,
    synthetic,
    failUnder: check.failUnder,
    seed: check.seed,
    names: {
      real: displayPath(config, realFile),
      synthetic: `${check.rows} rows of ${displayPath(config, model)}`,
      ...(check.holdout === undefined ? {} : { holdout: displayPath(config, check.holdout) }),
    },
    ...(check.target === undefined ? {} : { target: check.target }),
    ...(holdout === undefined ? {} : { holdout }),
  })
  return report
}
