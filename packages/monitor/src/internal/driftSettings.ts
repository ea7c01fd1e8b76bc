import type { Baseline } from '@modelgate/drift'
import type { CalibrateOption, Calibration } from '../calibrateThresholds.js'
import { calibratedRules, calibrateThresholds } from '../calibrateThresholds.js'
import type { AlertRule } from '../monitorConfig.js'

/** What the user adds to the monitor's drift settings (`MonitorOptions.methods`, `.driftOptions`). */
interface UserDrift {
  readonly methods?: readonly string[] | undefined
  readonly driftOptions?: Readonly<Record<string, unknown>> | undefined
}

export interface DriftSettings {
  readonly methods: readonly string[]
  readonly driftOptions: Readonly<Record<string, unknown>>
}

/**
 * The monitor's drift settings: p-value methods (`numeric=ks`, `categorical=chisquare`, `binary=z`, whose false-alarm
 * rate does not depend on the window's size as fixed distance thresholds do) at `driftAlpha`, Holm across features,
 * drift's null-rate test at `qualityAlpha`; the user's specs and options after them.
 */
export function driftSettings(driftAlpha: number, qualityAlpha: number, user: UserDrift): DriftSettings {
  const methods = [
    `numeric=ks:${driftAlpha}`,
    `categorical=chisquare:${driftAlpha}`,
    `binary=z:${driftAlpha}`,
    ...(user.methods ?? []),
  ]
  return { methods, driftOptions: { alpha: qualityAlpha, ...user.driftOptions, methods } }
}

export interface Recalibrated extends DriftSettings {
  readonly calibration: Calibration
  readonly rules: readonly AlertRule[]
}

/**
 * The monitor's calibration: for a window size, calibrates the rules and gives the settings and rules that carry the
 * calibration. Undefined without a baseline or without `calibrate`.
 */
export function calibrationHook({
  baseline,
  rules,
  budget,
  user,
}: {
  readonly baseline: Baseline | undefined
  readonly rules: readonly AlertRule[]
  /** N, the expected windows between false alarms. */
  readonly budget: number
  readonly user: UserDrift & { readonly calibrate?: CalibrateOption | undefined }
}): ((windowEvents: number) => Recalibrated) | undefined {
  const option = user.calibrate
  if (baseline === undefined || option === undefined) return undefined
  return (windowEvents) => {
    const { onProgress, reference, bootstraps, seed } = option
    const calibration = calibrateThresholds({
      baseline,
      rules,
      windowEvents,
      expectedWindowsBetweenFalseAlarms: budget,
      methods: driftSettings(1 / budget, 1 / budget, user).methods,
      ...(reference === undefined ? {} : { reference }),
      ...(bootstraps === undefined ? {} : { bootstraps }),
      ...(seed === undefined ? {} : { seed }),
      ...(onProgress === undefined ? {} : { onProgress }),
    })
    return {
      calibration,
      ...driftSettings(calibration.driftAlpha, calibration.qualityAlpha, user),
      rules: calibratedRules(rules, calibration),
    }
  }
}
