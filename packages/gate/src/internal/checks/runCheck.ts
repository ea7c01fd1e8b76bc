import type { Report } from '@modelgate/core'
import type { GateCheck, LoadCheckConfig } from '../../gateConfig.js'
import type { CheckContext } from './CheckContext.js'
import { runContractsCheck } from './runContractsCheck.js'
import { runDriftCheck } from './runDriftCheck.js'
import { runExpectationsCheck } from './runExpectationsCheck.js'
import { runLoadCheck } from './runLoadCheck.js'
import { runShadowCheck } from './runShadowCheck.js'
import { runSkewCheck } from './runSkewCheck.js'
import { runSynthCheck } from './runSynthCheck.js'

/** Runs one check of a loaded config. */
export function runCheck(check: GateCheck, context: CheckContext): Promise<Report> {
  switch (check.type) {
    case 'synth':
      return runSynthCheck(check, context)
    case 'contracts':
      return runContractsCheck(check, context)
    case 'expectations':
      return runExpectationsCheck(check, context)
    case 'skew':
      return runSkewCheck(check, context)
    case 'drift':
      return runDriftCheck(check, context)
    case 'load':
      return runLoadCheck(check as LoadCheckConfig, context)
    case 'shadow':
      return runShadowCheck(check, context)
  }
}
