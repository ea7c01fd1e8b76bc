import type { ThreadError } from '@modelgate/core'
import { fromThreadError, startWorkerThread } from '@modelgate/core'
import type { CalibrateThresholdsOptions, Calibration } from '../calibrateThresholds.js'
import { MonitorError } from '../errors.js'

/** Messages from the calibration thread. */
export type CalibrationReply =
  | { readonly type: 'progress'; readonly done: number; readonly total: number }
  | { readonly type: 'done'; readonly calibration: Calibration }
  /** With `code` and `hint` when the thread's error had them (calibrateThresholds' own errors). */
  | { readonly type: 'failed'; readonly error: ThreadError }

export interface CalibrationThread {
  /** The calibration; rejects when the thread fails or is stopped. */
  readonly result: Promise<Calibration>
  stop(): Promise<void>
}

/**
 * Runs `calibrateThresholds` on a worker thread (the monitor's event loop keeps serving): the options are cloned to
 * it (baseline, rules, reference rows), progress comes back every 100 windows. The thread does not keep the process
 * alive.
 */
export function startCalibrationThread(
  options: Omit<CalibrateThresholdsOptions, 'onProgress'>,
  onProgress: (done: number, total: number) => void,
): CalibrationThread {
  const worker = startWorkerThread(new URL('./calibrationWorker', import.meta.url), { workerData: options })
  worker.unref()
  let settled = false
  const result = new Promise<Calibration>((resolve, reject) => {
    const fail = (error: Error): void => {
      if (settled) return
      settled = true
      reject(error)
    }
    worker.on('message', (reply: CalibrationReply) => {
      if (reply.type === 'progress') onProgress(reply.done, reply.total)
      else if (reply.type === 'done') {
        settled = true
        resolve(reply.calibration)
        void worker.terminate()
      }
      // the error calibrateThresholds throws on the calling thread, with its code
      else fail(fromThreadError(reply.error) ?? lost(`failed (${reply.error.message})`))
    })
    worker.on('error', (error) => fail(lost(`failed (${error.name}${describeCode(error)})`, error)))
    worker.on('exit', () => fail(lost('ended before its result')))
  })
  result.catch(() => undefined)
  return {
    result,
    async stop() {
      await worker.terminate()
    },
  }
}

function lost(what: string, cause?: unknown): MonitorError {
  return new MonitorError(
    'MG_MONITOR_CALIBRATION_FAILED',
    `The threshold calibration thread ${what}; the rules keep the analytic thresholds.`,
    { cause, hint: 'Restart the monitor to calibrate again.' },
  )
}

function describeCode(error: Error): string {
  const code = (error as { code?: unknown }).code
  return typeof code === 'string' ? `: ${code}` : ''
}
