import { startWorkerThread } from '@modelgate/core'
import type { CalibrateThresholdsOptions, Calibration } from '../calibrateThresholds.js'

/** Messages from the calibration thread. */
export type CalibrationReply =
  | { readonly type: 'progress'; readonly done: number; readonly total: number }
  | { readonly type: 'done'; readonly calibration: Calibration }
  | { readonly type: 'failed'; readonly error: string }

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
      } else fail(new Error(`the threshold calibration failed: ${reply.error}`))
    })
    worker.on('error', fail)
    worker.on('exit', () => fail(new Error('the threshold calibration thread ended before its result')))
  })
  result.catch(() => undefined)
  return {
    result,
    async stop() {
      await worker.terminate()
    },
  }
}
