import { setMaxListeners } from 'node:events'
import { access } from 'node:fs/promises'
import { resolve } from 'node:path'
import type { ArgumentShape, CheckResult, Report, Verdict } from '@modelgate/core'
import { cancelledError, checkArgument, createReport, isModelGateError } from '@modelgate/core'
import { z } from 'zod'
import { GateError } from './errors.js'
import type { CheckType, GateCheck, GateConfig } from './gateConfig.js'
import { displayPath, INPUT_PATH_KEYS, TIMING_CHECKS } from './gateConfig.js'
import { runCheck } from './internal/checks/runCheck.js'

/** Live progress of one check. */
export interface GateProgress {
  readonly id: string
  readonly type: CheckType
  /** `start` when the check begins, `progress` with a detail line while it runs, `done` with its verdict. */
  readonly phase: 'start' | 'progress' | 'done'
  readonly detail?: string
  /** With `done`: the check's verdict as it folds into the gate (non-blocking failures as `warn`). */
  readonly verdict?: Verdict
  readonly durationMs?: number
}

export interface RunGateOptions {
  /** Run only these check ids (in config order). */
  readonly only?: readonly string[]
  /** Stop at the first failed blocking check: checks still running are stopped, the rest skipped. */
  readonly failFast?: boolean
  /** Aborting it (Ctrl-C) stops every check; `runGate` then throws `MG_CANCELLED`. */
  readonly signal?: AbortSignal
  readonly onProgress?: (progress: GateProgress) => void
  /** Overrides the config's `endpoint` (a service started on a free port in CI, say). */
  readonly endpoint?: string
  /** Overrides the config's `data.candidate` (the sample a new release sends). */
  readonly candidate?: string
  /** Overrides the `primary` URL of every shadow check (the release in production the candidate is compared with). */
  readonly shadowPrimary?: string
}

const CALL = 'runGate(config, options)'

/** A loaded config (`loadGateConfig`, `resolveGateConfig`): its checks resolved, its folder and source named. */
const configArgument = z.custom<GateConfig>().superRefine((value, ctx) => {
  const problem = configProblem(value)
  if (problem !== null) ctx.addIssue({ code: 'custom', message: problem })
})

function configProblem(value: unknown): string | null {
  if (typeof value === 'string')
    return 'expected a loaded gate config, got a string (a file? loadGateConfig(path) reads one)'
  if (typeof value !== 'object' || value === null)
    return `expected a loaded gate config, got ${value === null ? 'null' : typeof value}`
  const config = value as { checks?: unknown; baseDir?: unknown }
  if (!Array.isArray(config.checks)) return 'expected a loaded gate config, but checks is not an array'
  if (typeof config.baseDir !== 'string')
    return 'expected a loaded gate config, got one without baseDir (resolveGateConfig(input, { baseDir }) resolves its paths)'
  return null
}

const optionsArgument = z.object({
  only: z.array(z.string()).optional(),
  failFast: z.boolean().optional(),
  signal: z.custom<AbortSignal>((v) => v instanceof AbortSignal, { message: 'expected an AbortSignal' }).optional(),
  onProgress: z.function().optional(),
  endpoint: z.string().optional(),
  candidate: z.string().optional(),
  shadowPrimary: z.string().optional(),
} satisfies ArgumentShape<RunGateOptions>)

/** The file inputs a config names (outputs such as `out` are not inputs). */
function inputFiles(config: GateConfig, checks: readonly GateCheck[]): string[] {
  const files = [
    config.schemas?.request,
    config.schemas?.response,
    config.data?.reference,
    config.data?.candidate,
    config.synth?.model,
    config.baseline,
  ]
  for (const check of checks) {
    const c = check as unknown as Record<string, unknown>
    for (const key of INPUT_PATH_KEYS) if (typeof c[key] === 'string') files.push(c[key] as string)
  }
  return [...new Set(files.filter((f): f is string => f !== undefined))]
}

type Outcome =
  | { readonly kind: 'report'; readonly report: Report }
  | { readonly kind: 'timeout' }
  | { readonly kind: 'error'; readonly error: unknown }
  | { readonly kind: 'skipped'; readonly reason: string }

class Stop {
  constructor(readonly reason: 'timeout' | 'fail-fast' | 'cancelled') {}
}

/** Every check of a report and of its sub-reports, depth first. */
const allChecks = (report: Report): CheckResult[] => [...report.checks, ...(report.reports ?? []).flatMap(allChecks)]

const seconds = (ms: number): string => `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`

/**
 * Runs the checks of a gate config and returns one nested `Report`: a sub-report per check (its own report, titled
 * with its id) and one gate-level check per check (`gate.check.<id>`: its folded verdict, time and headline).
 *
 * Independent checks run concurrently; the timing checks (`load`, `shadow`) run after them, one at a time, so their
 * figures are not measured on a busy machine. Each check has a timeout (past it the check fails). A failing or
 * inconclusive non-blocking check folds as `warn` (its own checks keep their verdicts; the sub-report's verdict
 * is `warn`). A check that throws fails with the error's code and message. The verdict is core's `deriveVerdict`.
 */
export async function runGate(given: GateConfig, options: RunGateOptions = {}): Promise<Report> {
  checkArgument(configArgument, given, { call: CALL, name: 'config' })
  checkArgument(optionsArgument, options, { call: CALL, name: 'options' })
  const started = performance.now()
  const withSample: GateConfig =
    options.candidate === undefined
      ? given
      : { ...given, data: { ...given.data, candidate: resolve(options.candidate) } }
  const shadowPrimary = options.shadowPrimary
  const config: GateConfig =
    shadowPrimary === undefined
      ? withSample
      : {
          ...withSample,
          checks: withSample.checks.map((c) => (c.type === 'shadow' ? { ...c, primary: shadowPrimary } : c)),
        }
  const known = config.checks.map((c) => c.id)
  if (options.only !== undefined) {
    const unknown = options.only.filter((id) => !known.includes(id))
    if (unknown.length > 0)
      throw new GateError(
        'MG_GATE_UNKNOWN_CHECK',
        `${config.source}: no check with the id ${unknown.map((id) => `"${id}"`).join(', ')}; the checks are ${known.join(', ')}.`,
      )
  }
  const selected = config.checks.filter((c) => options.only === undefined || options.only.includes(c.id))
  if (selected.length === 0) throw new GateError('MG_GATE_NO_CHECKS', `${config.source}: no check selected.`)
  for (const file of inputFiles(config, selected)) {
    await access(file).catch(() => {
      throw new GateError(
        'MG_GATE_INPUT_MISSING',
        `${config.source}: the file ${displayPath(config, file)} does not exist (paths are relative to the config's folder).`,
        { location: { file: displayPath(config, file) } },
      )
    })
  }
  const endpoint = options.endpoint ?? config.endpoint
  const stop = new AbortController()
  const onCancel = (): void => stop.abort(new Stop('cancelled'))
  options.signal?.addEventListener('abort', onCancel, { once: true })
  let stoppedBy: string | undefined
  const results = new Map<string, { report: Report; summary: CheckResult }>()

  const runOne = async (check: GateCheck): Promise<void> => {
    const t0 = performance.now()
    let outcome: Outcome
    if (stop.signal.aborted) {
      outcome = {
        kind: 'skipped',
        reason:
          stoppedBy === undefined
            ? 'not run: the gate was cancelled'
            : `not run: blocking check "${stoppedBy}" failed (fail-fast)`,
      }
    } else {
      options.onProgress?.({ id: check.id, type: check.type, phase: 'start' })
      const controller = new AbortController()
      // a check's HTTP calls (skew: one per row in flight) each listen on its signal
      setMaxListeners(0, controller.signal)
      const timer = setTimeout(() => controller.abort(new Stop('timeout')), check.timeoutMs)
      const onStop = (): void => controller.abort(stop.signal.reason)
      stop.signal.addEventListener('abort', onStop, { once: true })
      try {
        const work = runCheck(check, {
          config,
          endpoint,
          signal: controller.signal,
          progress: (detail) => options.onProgress?.({ id: check.id, type: check.type, phase: 'progress', detail }),
        })
        // a check that does not honour the signal keeps running in the background; its late result is dropped
        work.catch(() => undefined)
        const aborted = new Promise<never>((_, reject) => {
          controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true })
        })
        outcome = { kind: 'report', report: await Promise.race([work, aborted]) }
      } catch (error) {
        const reason = controller.signal.aborted ? controller.signal.reason : undefined
        if (reason instanceof Stop && reason.reason === 'timeout') outcome = { kind: 'timeout' }
        else if (reason instanceof Stop)
          outcome = {
            kind: 'skipped',
            reason:
              reason.reason === 'fail-fast'
                ? `stopped: blocking check "${stoppedBy}" failed (fail-fast)`
                : 'stopped: the gate was cancelled',
          }
        else outcome = { kind: 'error', error }
      } finally {
        clearTimeout(timer)
        stop.signal.removeEventListener('abort', onStop)
      }
    }
    const durationMs = performance.now() - t0
    const folded = foldOutcome(check, outcome, durationMs)
    results.set(check.id, folded)
    options.onProgress?.({ id: check.id, type: check.type, phase: 'done', verdict: folded.summary.verdict, durationMs })
    if (options.failFast === true && check.blocking && folded.summary.verdict === 'fail' && !stop.signal.aborted) {
      stoppedBy = check.id
      stop.abort(new Stop('fail-fast'))
    }
  }

  try {
    await Promise.all(selected.filter((c) => !TIMING_CHECKS.includes(c.type)).map(runOne))
    for (const check of selected.filter((c) => TIMING_CHECKS.includes(c.type))) await runOne(check)
  } finally {
    options.signal?.removeEventListener('abort', onCancel)
  }
  if (options.signal?.aborted === true) throw cancelledError('The gate was cancelled; no report was produced.')

  const ordered = selected.map((c) => results.get(c.id)).filter((r) => r !== undefined)
  const count = (v: Verdict): number => ordered.filter((r) => r.summary.verdict === v).length
  return createReport({
    kind: 'gate',
    title: `modelgate gate: ${config.name ?? config.source}`,
    summary: {
      checks: ordered.length,
      passed: count('pass'),
      warned: count('warn'),
      failed: count('fail'),
      inconclusive: count('inconclusive'),
      skipped: count('skip'),
      seconds: Math.round((performance.now() - started) / 100) / 10,
      ...(stoppedBy === undefined ? {} : { stoppedBy }),
    },
    checks: ordered.map((r) => r.summary),
    reports: ordered.map((r) => r.report),
    durationMs: performance.now() - started,
  })
}

/** A check's outcome as the gate folds it: its sub-report and its gate-level summary check. */
function foldOutcome(check: GateCheck, outcome: Outcome, durationMs: number): { report: Report; summary: CheckResult } {
  const blocking = check.blocking ? 'blocking' : 'non-blocking'
  let report: Report
  let headline: string
  if (outcome.kind === 'report') {
    report = { ...outcome.report, title: `${check.id}: ${outcome.report.title}` }
    const checks = allChecks(outcome.report)
    const failing = checks.filter((c) => c.verdict === 'fail' || c.verdict === 'inconclusive')
    headline =
      failing.length === 0
        ? `${checks.filter((c) => c.verdict === 'pass').length} of ${checks.length} checks passed`
        : `${failing.length} of ${checks.length} checks ${failing.every((c) => c.verdict === 'inconclusive') ? 'inconclusive' : 'failed'}: ${failing
            .slice(0, 3)
            .map((c) => c.message)
            .join('; ')}${failing.length > 3 ? ' …' : ''}`
  } else {
    const [verdict, message, details]: [Verdict, string, unknown] =
      outcome.kind === 'timeout'
        ? ['fail', `did not finish within its timeout of ${seconds(check.timeoutMs)}`, undefined]
        : outcome.kind === 'skipped'
          ? ['skip', outcome.reason, undefined]
          : isModelGateError(outcome.error)
            ? [
                'fail',
                `error ${outcome.error.code}: ${outcome.error.message}`,
                outcome.error.hint === undefined ? undefined : { hint: outcome.error.hint },
              ]
            : [
                'fail',
                `internal error: ${outcome.error instanceof Error ? outcome.error.message : String(outcome.error)}`,
                undefined,
              ]
    headline = message
    report = createReport({
      kind: `gate.${check.type}`,
      title: `${check.id}: ${check.type} check`,
      checks: [
        {
          id: `gate.${check.id}.${outcome.kind}`,
          name: check.id,
          group: check.type,
          verdict,
          message,
          ...(details === undefined ? {} : { details }),
        },
      ],
      durationMs,
    })
  }
  // a report whose every check was skipped is a skip (deriveVerdict counts nothing as a pass)
  const everything = allChecks(report)
  if (everything.length > 0 && everything.every((c) => c.verdict === 'skip')) report = { ...report, verdict: 'skip' }
  const own = report.verdict
  const folded: Verdict = !check.blocking && (own === 'fail' || own === 'inconclusive') ? 'warn' : own
  if (folded !== own)
    report = { ...report, verdict: folded, summary: { ...report.summary, 'verdict before folding': own } }
  return {
    report,
    summary: {
      id: `gate.check.${check.id}`,
      name: check.id,
      group: 'checks',
      verdict: folded,
      message: `${check.type} (${blocking}${folded !== own ? `, ${own} folded as warn` : ''}), ${seconds(durationMs)}: ${headline}`,
      metrics: { durationMs: Math.round(durationMs), timeoutMs: check.timeoutMs, blocking: check.blocking ? 1 : 0 },
    },
  }
}
