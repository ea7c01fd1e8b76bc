import { randomUUID } from 'node:crypto'
import http from 'node:http'
import type { FeatureLogEvent, FeaturePayload } from './model.js'
import { buildFeatureLogEvent, MODEL_VERSION, payloadProblem, scorePayload } from './model.js'

export interface FraudServerOptions {
  /** Failure mode: answer `fraud_score` instead of `score` (a renamed response field). */
  readonly renameField?: boolean
  /** Failure mode: answer the score in percent (0–100) instead of a probability. */
  readonly scoreOutOfRange?: boolean
  /**
   * A degraded candidate release: its feature code reads `amount` in cents (×100) before the model sees it, so it
   * answers the same contract with wrong scores — what a shadow run against the primary catches.
   */
  readonly degraded?: boolean
  /** Called with the feature-log event of every scored payload. */
  readonly onFeatureLog?: (event: FeatureLogEvent, latencyMs: number) => void
  /** The online feature path, served under `/features` (the example's `features/server.ts` handler). */
  readonly features?: (req: http.IncomingMessage, res: http.ServerResponse) => void
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body)
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) })
  res.end(text)
}

/**
 * An HTTP fraud-scoring service: `POST /predict` with a feature payload (scored by the trained model of
 * `model.ts`), `GET /health`, and with `features` the online feature path under `POST /features`.
 */
export function createFraudServer(options: FraudServerOptions = {}): http.Server {
  return http.createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/health') return send(res, 200, { status: 'ok' })
    if (options.features !== undefined && req.url?.startsWith('/features') === true) return options.features(req, res)
    if (req.method !== 'POST' || req.url !== '/predict')
      return send(res, 404, { error: `no route ${req.method} ${req.url}` })
    const started = performance.now()
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      let body: unknown
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'))
      } catch {
        return send(res, 400, { error: 'body is not valid JSON' })
      }
      const problem = payloadProblem(body)
      if (problem !== undefined) return send(res, 400, { error: problem })
      const features = body as FeaturePayload
      const prediction =
        options.degraded === true
          ? { ...scorePayload({ ...features, amount: features.amount * 100 }), model_version: `${MODEL_VERSION}-rc` }
          : scorePayload(features)
      options.onFeatureLog?.(
        buildFeatureLogEvent(features, prediction, randomUUID(), new Date()),
        performance.now() - started,
      )
      const score = options.scoreOutOfRange === true ? Math.round(prediction.score * 100 * 100) / 100 : prediction.score
      const { score: _omit, ...rest } = prediction
      send(res, 200, options.renameField === true ? { fraud_score: score, ...rest } : { score, ...rest })
    })
  })
}
