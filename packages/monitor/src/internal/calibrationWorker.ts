import { parentPort, workerData } from 'node:worker_threads'
import { toThreadError } from '@modelgate/core'
import type { CalibrateThresholdsOptions } from '../calibrateThresholds.js'
import { calibrateThresholds } from '../calibrateThresholds.js'
import type { CalibrationReply } from './calibrationThread.js'

// The calibration thread's entry (started by calibrationThread.ts): one calibration, progress every 100 windows.
const port = parentPort
if (port !== null) {
  const post = (reply: CalibrationReply): void => port.postMessage(reply)
  try {
    const calibration = calibrateThresholds({
      ...(workerData as CalibrateThresholdsOptions),
      onProgress: (done, total) => post({ type: 'progress', done, total }),
    })
    post({ type: 'done', calibration })
  } catch (error) {
    post({ type: 'failed', error: toThreadError(error) })
  }
}
