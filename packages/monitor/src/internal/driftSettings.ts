import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { writeFileAtomic } from '@modelgate/core'
import type { Baseline } from '@modelgate/drift'
import type { CalibrateOption, CalibrateThresholdsOptions, Calibration } from '../calibrateThresholds.js'
import { calibratedRules, calibrateThresholds, calibrationKey } from '../calibrateThresholds.js'
import type { CalibrationProgress } from '../MonitorStatus.js'
import type { AlertRule } from '../monitorConfig.js'
import type { CalibrationThread } from './calibrationThread.js'
import { startCalibrationThread } from './calibrationThread.js'

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

/** The monitor's threshold calibration, for the window publisher. */
export interface Calibrator {
  /**
   * Starts the calibration for a window size (once): gives the calibrated settings at once when it ran blocking or
   * was cached, null while a background thread computes them.
   */
  start(windowEvents: number): Recalibrated | null
  /** A background result that has arrived and was not taken yet (then it applies; `onCalibrated` is called). */
  take(): Recalibrated | null
  readonly progress: CalibrationProgress | null
  /** Stops a background calibration in progress. */
  stop(): Promise<void>
}

/**
 * The monitor's calibration: for a window size, calibrates the rules (blocking, or on a worker thread with
 * `background`), caches the result in `cacheDir`, and gives the settings and rules that carry the calibration.
 * Undefined without a baseline or without `calibrate`.
 */
export function calibrationHook({
  baseline,
  rules,
  budget,
  user,
  onProgress,
}: {
  readonly baseline: Baseline | undefined
  readonly rules: readonly AlertRule[]
  /** N, the expected windows between false alarms. */
  readonly budget: number
  readonly user: UserDrift & { readonly calibrate?: CalibrateOption | undefined }
  /** Progress as a share (0–1), e.g. for a gauge. */
  readonly onProgress?: (share: number) => void
}): Calibrator | undefined {
  const option = user.calibrate
  if (baseline === undefined || option === undefined) return undefined
  let progress: CalibrationProgress | null = null
  let thread: CalibrationThread | null = null
  let arrived: Calibration | null = null
  const finished = (calibration: Calibration): void => {
    const { cached = false } = progress ?? {}
    progress = { state: 'done', done: calibration.bootstraps, total: calibration.bootstraps, cached, error: null }
  }
  const recalibrated = (calibration: Calibration): Recalibrated => {
    finished(calibration)
    onProgress?.(1)
    option.onCalibrated?.(calibration)
    return {
      calibration,
      ...driftSettings(calibration.driftAlpha, calibration.qualityAlpha, user),
      rules: calibratedRules(rules, calibration),
    }
  }
  const report = (done: number, total: number): void => {
    progress = { state: 'running', done, total, cached: false, error: null }
    onProgress?.(total === 0 ? 0 : done / total)
    option.onProgress?.(done, total)
  }
  return {
    get progress() {
      return progress
    },
    start(windowEvents) {
      if (progress !== null) return null
      const { reference, bootstraps, seed, cacheDir } = option
      const settings: CalibrateThresholdsOptions = {
        baseline,
        rules,
        windowEvents,
        expectedWindowsBetweenFalseAlarms: budget,
        methods: driftSettings(1 / budget, 1 / budget, user).methods,
        ...(reference === undefined ? {} : { reference }),
        ...(bootstraps === undefined ? {} : { bootstraps }),
        ...(seed === undefined ? {} : { seed }),
      }
      const cachePath =
        cacheDir === undefined ? undefined : join(cacheDir, `calibration-${calibrationKey(settings)}.json`)
      const cached = cachePath === undefined ? null : readCachedCalibration(cachePath, option.onWarning)
      progress = { state: 'running', done: 0, total: cached?.bootstraps ?? 0, cached: cached !== null, error: null }
      if (cached !== null) return recalibrated(cached)
      const store = (calibration: Calibration): void => {
        if (cachePath === undefined || calibration.method !== 'bootstrap') return
        writeFileAtomic(cachePath, JSON.stringify(calibration)).catch((error: unknown) => option.onError?.(error))
      }
      if (option.background !== true) {
        const calibration = calibrateThresholds({ ...settings, onProgress: report })
        store(calibration)
        return recalibrated(calibration)
      }
      thread = startCalibrationThread(settings, report)
      thread.result.then(
        (calibration) => {
          store(calibration)
          finished(calibration)
          arrived = calibration
        },
        (error: unknown) => {
          progress = { ...(progress as CalibrationProgress), state: 'failed', error: String((error as Error).message) }
          option.onError?.(error)
        },
      )
      return null
    },
    take() {
      if (arrived === null) return null
      const calibration = arrived
      arrived = null
      return recalibrated(calibration)
    },
    async stop() {
      await thread?.stop()
    },
  }
}

/**
 * A calibration cached by an earlier run, or null: none, or not readable — then it is computed again, and a file that
 * is there but corrupt (a disk full, an edit) is named in a warning, not ignored silently.
 */
function readCachedCalibration(path: string, warn: ((message: string) => void) | undefined): Calibration | null {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      warn?.(`the cached calibration ${path} cannot be read (${(error as Error).message}); computing it again`)
    }
    return null
  }
  try {
    const value = JSON.parse(text) as Calibration
    if (value.method === 'bootstrap' && Array.isArray(value.rules) && typeof value.driftAlpha === 'number') return value
  } catch {
    // named below
  }
  warn?.(`the cached calibration ${path} is not a calibration result (corrupt?); computing it again`)
  return null
}
