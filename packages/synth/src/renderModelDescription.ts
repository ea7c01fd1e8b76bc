import { formatBytes } from '@modelgate/core'
import type { ModelDescription } from './describeModel.js'
import { small } from './describeModel.js'

export interface RenderModelDescriptionOptions {
  /** The model file's name, as the user gave it. */
  readonly name: string
  /** The model file's size. */
  readonly bytes: number
}

/** `synth inspect`'s text: header, privacy, one line per column, the copula's correlations, the CTGAN section. */
export function renderModelDescription(d: ModelDescription, options: RenderModelDescriptionOptions): string {
  const h = d.header
  const lines = [
    `${options.name}: ${h.format} v${h.version}, ${h.synthesizer} synthesizer, ${formatBytes(options.bytes)}`,
    privacyLine(h),
    '',
  ]
  const dp = h.dp
  if (dp !== undefined) {
    lines.push(`differential privacy: ${dp.summary}`)
    for (const p of dp.public) lines.push(`  public: ${p}`)
    for (const m of dp.mechanisms)
      lines.push(
        `  ε ${m.epsilon.toPrecision(3)}${m.delta > 0 ? `, δ ${small(m.delta)}` : ''}  ${m.column ?? '(pairs)'}: ${m.quantity} — ${m.mechanism}, scale ${Number(m.scale.toPrecision(4))}${m.threshold === undefined ? '' : `, threshold ${m.threshold}`}`,
      )
    lines.push('')
  }
  const w = Math.max(6, ...d.columns.map((c) => c.name.length))
  const kw = Math.max(4, ...d.columns.map((c) => c.kind.length))
  lines.push(`  ${'column'.padEnd(w)}  ${'kind'.padEnd(kw)}  nulls   model`)
  for (const c of d.columns)
    lines.push(
      `  ${c.name.padEnd(w)}  ${c.kind.padEnd(kw)}  ${`${(c.nullRate * 100).toFixed(1)}%`.padStart(6)}  ${c.detail}`,
    )
  if (d.strongestCorrelations.length > 0) {
    lines.push('', `Gaussian copula: ${h.latentDimensions} latent dimensions; strongest correlations:`)
    for (const s of d.strongestCorrelations)
      lines.push(`  ${s.rho >= 0 ? ' ' : ''}${s.rho.toFixed(3)}  ${s.a} ↔ ${s.b}`)
  }
  const g = d.ctgan
  if (g !== undefined) {
    const modes = g.modes.map((m) => `${m.column} ${m.modes}${m.exact > 0 ? ` (${m.exact} exact)` : ''}`)
    const derived = g.derived.map((x) => `${x.column} from ${x.from}`)
    const cal = g.calibration
    const from = [
      g.averageDecay === null ? 'last weights' : `weights averaged (decay ${g.averageDecay})`,
      cal === undefined
        ? 'no calibration'
        : `calibrated (mean span gap ${(100 * cal.gapBefore).toFixed(1)}% → ${(100 * cal.gapAfter).toFixed(2)}%)`,
    ]
    const conditional = cal?.conditional
    if (conditional !== undefined && conditional.conditions > 0) {
      from.push(
        `per condition for ${conditional.conditions} of ${conditional.of} conditions (mean gap ${(100 * conditional.gapBefore).toFixed(1)}% → ${(100 * conditional.gapAfter).toFixed(2)}%)`,
      )
    }
    const losses = g.lastLosses
    lines.push(
      '',
      `  CTGAN: ${g.epochs} epochs on ${g.backend} in ${g.seconds.toFixed(0)} s${losses === null ? '' : `, last losses G ${losses.lossG.toFixed(3)} D ${losses.lossD.toFixed(3)}`}`,
      `  generator (${g.generatorDims.join(', ')}) from noise ${g.embeddingDim} + condition ${g.condDim}; discriminator (${g.discriminatorDims.join(', ')}), pac ${g.pac}; row width ${g.dataDim}`,
      `  modes per numeric column: ${modes.join(', ') || 'none'}${derived.length > 0 ? `; derived: ${derived.join(', ')}` : ''}`,
      `  sampling from: ${from.join(', ')}`,
      `  generator weights: ${g.weightsFile} (${g.parameters.toLocaleString('en-US')} float32 values)`,
    )
  }
  return lines.join('\n')
}

function privacyLine(h: ModelDescription['header']): string {
  if (h.dp !== undefined)
    return `trained on about ${h.trainingRows.toLocaleString('en-US')} rows (a noisy count); categories chosen by noisy counts`
  const head = `trained on ${h.trainingRows.toLocaleString('en-US')} rows; categories seen < ${h.k} times never stored; `
  if (h.epsilon === null) return `${head}no differential privacy`
  // Written before the DP rework: its ε was not a guarantee.
  return `${head}ε = ${h.epsilon} claimed by an older version (not a differential privacy guarantee; retrain)`
}
