// The proxy's mirror thread (started by shadowMirrorThread.ts with the proxy): takes the proxy thread's batches of
// mirrored requests and primary outcomes, mirrors and pairs them (ShadowPairing), answers the proxy thread's
// synchronous queries on their own port (then bumps a shared word the proxy thread waits on), and its verdict,
// metrics and close requests on the thread's port.
import type { MessagePort } from 'node:worker_threads'
import { parentPort, workerData } from 'node:worker_threads'
import { toThreadError } from '@modelgate/core'
import type { MirrorReply, MirrorRequest, QueryReply } from './shadowMirrorThread.js'
import type { MirrorSettings } from './shadowPairing.js'
import { ShadowPairing } from './shadowPairing.js'

const { settings, replies, signal } = workerData as {
  settings: MirrorSettings
  replies: MessagePort
  signal: Int32Array
}
const post = (reply: MirrorReply): void => parentPort?.postMessage(reply)

const pairing = new ShadowPairing(settings, {
  onError: (error) => post({ type: 'problem', error: toThreadError(error) }),
  onDrift: (reports) => post({ type: 'drift', reports }),
})

const answerCall = (id: number, work: () => Promise<unknown>): void => {
  work().then(
    (value) => post({ type: 'answer', id, value }),
    (error: unknown) => post({ type: 'answer', id, error: toThreadError(error) }),
  )
}

parentPort?.on('message', (message: MirrorRequest) => {
  switch (message.type) {
    case 'batch': {
      const bytes = Buffer.from(message.bytes)
      const slice = (offset: number, length: number) => (length < 0 ? null : bytes.subarray(offset, offset + length))
      for (const job of message.jobs) pairing.mirror(job.id, { ...job, body: slice(job.offset, job.length) })
      for (const p of message.primaries)
        pairing.primaryDone(p.id, {
          status: p.status,
          latencyMs: p.latencyMs,
          body: slice(p.offset, p.length),
          ...(p.error === undefined ? {} : { error: p.error }),
        })
      return
    }
    case 'query': {
      let reply: QueryReply
      try {
        reply = { seq: message.seq, value: pairing.answer(message.query) }
      } catch (error) {
        reply = { seq: message.seq, error: toThreadError(error) }
      }
      replies.postMessage(reply)
      Atomics.add(signal, 0, 1)
      Atomics.notify(signal, 0)
      return
    }
    case 'verdict':
      answerCall(message.id, () => pairing.verdict(message.counts))
      return
    case 'metrics':
      answerCall(message.id, () => pairing.metricsJson())
      return
    case 'close':
      answerCall(message.id, () => pairing.close())
  }
})
