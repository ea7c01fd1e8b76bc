import type { Report } from '@modelgate/core'
import { createReport } from '@modelgate/core'
import type { ShadowCheckConfig } from '../../gateConfig.js'
import type { CheckContext } from './CheckContext.js'

/**
 * `shadow`: a short shadow run of the candidate beside the primary, judged by the canary judge. The shadow proxy
 * and the judge (issue #17) are not in @modelgate/traffic yet, so the check is validated with the config and
 * reported as `skip` with the reason — never as a pass.
 */
export async function runShadowCheck(check: ShadowCheckConfig, context: CheckContext): Promise<Report> {
  const primary = check.primary ?? context.endpoint
  return createReport({
    kind: 'gate.shadow',
    title: 'Shadow run of the candidate',
    checks: [
      {
        id: 'shadow.run',
        name: 'shadow run',
        group: 'shadow',
        verdict: 'skip',
        message: `not run: this build has no shadow proxy or canary judge yet (planned in @modelgate/traffic); the candidate ${new URL(check.candidate).origin} was not compared with ${primary === undefined ? 'the primary' : new URL(primary).origin}`,
      },
    ],
  })
}
