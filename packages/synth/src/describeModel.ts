import { checkArgument, datetimePattern, isIsoPattern } from '@modelgate/core'
import { z } from 'zod'
import type { DpAccount, LostColumn, SynthModelFile } from './modelFile.js'
import { SYNTH_MODEL_FORMAT } from './modelFile.js'

/** One column of a model file, as `synth inspect` lists it. */
export interface ColumnDescription {
  readonly name: string
  /** `numeric`, `categorical`, `pii:email` … */
  readonly kind: string
  readonly nullRate: number
  /** What the model holds for it, in one line (never a value of a PII column; only categories kept by k). */
  readonly detail: string
}

/** What a CTGAN section holds: the training record, the architecture and what sampling uses. */
export interface CtganDescription {
  readonly epochs: number
  readonly backend: string
  readonly seconds: number
  readonly lastLosses: { readonly lossG: number; readonly lossD: number } | null
  readonly embeddingDim: number
  readonly condDim: number
  readonly dataDim: number
  readonly pac: number
  readonly generatorDims: readonly number[]
  readonly discriminatorDims: readonly number[]
  /** Gaussian modes per numeric column, and how many exact values (point masses) it keeps. */
  readonly modes: readonly { readonly column: string; readonly modes: number; readonly exact: number }[]
  /** Discrete columns derived from another, not learned. */
  readonly derived: readonly { readonly column: string; readonly from: string }[]
  /** Decay of the averaged generator weights sampling uses (null: the last weights). */
  readonly averageDecay: number | null
  /** Mean span gap of generated shares before and after the output calibration (absent: not calibrated). */
  readonly calibration?: {
    readonly gapBefore: number
    readonly gapAfter: number
    readonly conditional?: {
      readonly conditions: number
      readonly of: number
      readonly gapBefore: number
      readonly gapAfter: number
    }
  }
  readonly weightsFile: string
  /** float32 values in the generator's weight file. */
  readonly parameters: number
}

/** What a synth model file holds, for people: `synth inspect` prints it, `--json` gives it as is. */
export interface ModelDescription {
  readonly header: {
    readonly format: string
    readonly version: number
    readonly synthesizer: 'copula' | 'ctgan'
    readonly trainingRows: number
    readonly k: number
    readonly epsilon: number | null
    /** Written by versions before the DP rework (their ε was no guarantee); null otherwise. */
    readonly budget: NonNullable<SynthModelFile['privacy']['budget']> | null
    /** A differentially private model's account, with a one-line summary; absent without DP. */
    readonly dp?: DpAccount & { readonly summary: string }
    readonly latentDimensions: number
  }
  readonly columns: readonly ColumnDescription[]
  /** The copula's strongest latent correlations (at most 8), strongest first. */
  readonly strongestCorrelations: readonly { readonly a: string; readonly b: string; readonly rho: number }[]
  readonly ctgan?: CtganDescription
}

/**
 * A parsed model file's outline (what describeModel reads first), not the whole file: `parseSynthModelFile` or
 * `model.toJSON()` already validated it.
 */
const modelFileArgument = z.custom<SynthModelFile>().superRefine((value, ctx) => {
  const problem = modelFileProblem(value)
  if (problem !== null) ctx.addIssue({ code: 'custom', message: problem })
})

function modelFileProblem(value: unknown): string | null {
  if (typeof value === 'string') return 'expected a parsed model file, got a string (a path? read and parse it first)'
  if (typeof value !== 'object' || value === null)
    return `expected a parsed model file, got ${value === null ? 'null' : typeof value}`
  const file = value as { format?: unknown; columns?: unknown; privacy?: unknown; toJSON?: unknown }
  if (typeof file.toJSON === 'function') return 'expected a parsed model file, got a model (pass model.toJSON())'
  if (file.format !== SYNTH_MODEL_FORMAT)
    return `expected a parsed model file (format "${SYNTH_MODEL_FORMAT}"), got format ${JSON.stringify(file.format)}`
  if (!Array.isArray(file.columns)) return 'expected a parsed model file, but columns is not an array'
  if (typeof file.privacy !== 'object' || file.privacy === null)
    return 'expected a parsed model file, but privacy is missing'
  return null
}

/** Describes a model file: per-column models, the copula's strongest correlations, the CTGAN section. */
export function describeModel(file: SynthModelFile): ModelDescription {
  checkArgument(modelFileArgument, file, {
    call: 'describeModel(file)',
    name: 'file',
    hint: 'pass parseSynthModelFile(JSON.parse(text)) for a file on disk, or model.toJSON() for a trained model',
  })
  const copula = file.copula
  const strongest: { a: string; b: string; rho: number }[] = []
  if (copula !== undefined) {
    const label = (i: number): string => {
      const d = copula.dims[i]
      return d === undefined ? '?' : d.part === 'null' ? `${d.column} (is null)` : d.column
    }
    // The strongest 8 pairs, kept as we go (a wide factor copula has millions of pairs).
    const rho =
      'loadings' in copula
        ? (i: number, j: number): number => {
            const a = copula.loadings[i] ?? []
            const b = copula.loadings[j] ?? []
            let s = 0
            for (let x = 0; x < a.length; x++) s += (a[x] as number) * (b[x] as number)
            return Math.round(s * 1e6) / 1e6
          }
        : (i: number, j: number): number => copula.correlation[i]?.[j] ?? 0
    for (let i = 0; i < copula.dims.length; i++) {
      for (let j = i + 1; j < copula.dims.length; j++) {
        const r = rho(i, j)
        if (strongest.length === 8 && Math.abs(r) <= Math.abs((strongest[7] as { rho: number }).rho)) continue
        strongest.push({ a: label(i), b: label(j), rho: r })
        strongest.sort((x, y) => Math.abs(y.rho) - Math.abs(x.rho))
        if (strongest.length > 8) strongest.pop()
      }
    }
  }
  const ctgan = describeCtgan(file)
  return {
    header: {
      format: file.format,
      version: file.version,
      synthesizer: file.synthesizer,
      trainingRows: file.trainingRows,
      k: file.privacy.k,
      epsilon: file.privacy.epsilon,
      budget: file.privacy.budget ?? null,
      ...(file.privacy.dp === undefined || file.privacy.dp === null
        ? {}
        : { dp: { ...file.privacy.dp, summary: summarizeDp(file.privacy.dp) } }),
      latentDimensions: copula?.dims.length ?? 0,
    },
    columns: file.columns.map((c) => {
      const described = describeColumn(c)
      const lost = file.lostColumns?.find((l) => l.column === c.name)
      return lost === undefined
        ? described
        : { ...described, detail: `NOT LEARNED (${LOST_REASON[lost.reason]}); ${described.detail}` }
    }),
    strongestCorrelations: strongest.slice(0, 8),
    ...(ctgan === undefined ? {} : { ctgan }),
  }
}

const LOST_REASON: Record<LostColumn['reason'], string> = {
  'rare-categories': 'every value a rare category',
  'quasi-identifier': 'values mark repeated entities',
  'too-few-values': 'too few values',
}

function describeColumn(c: SynthModelFile['columns'][number]): ColumnDescription {
  switch (c.kind) {
    case 'pii':
      return {
        name: c.name,
        kind: `pii:${c.pii}`,
        nullRate: c.nullRate,
        detail: `regenerated fresh${c.unique ? ', unique' : ''}; no values stored`,
      }
    case 'text':
      return {
        name: c.name,
        kind: c.outputKind,
        nullRate: c.nullRate,
        detail:
          c.shape.mode === 'patterns'
            ? `regenerated from ${c.shape.patterns.length} shape${c.shape.patterns.length === 1 ? '' : 's'}${c.unique ? ', unique' : ''}; no values stored`
            : 'regenerated as free text (length and character classes); no values stored',
      }
    case 'categorical': {
      const top = [...c.categories]
        .sort((a, b) => b.p - a.p)
        .slice(0, 3)
        .map((x) => `${x.value} ${percent(x.p)}`)
        .join(', ')
      const rare = c.rare.mode === 'drop' ? 'dropped' : `→ ${c.rare.label} ${percent(c.rare.p)}`
      return {
        name: c.name,
        kind: 'categorical',
        nullRate: c.nullRate,
        detail: `${c.categories.length} categories (top: ${top}); rare ${rare}`,
      }
    }
    case 'boolean':
      return { name: c.name, kind: 'boolean', nullRate: c.nullRate, detail: `P(true) ${percent(c.pTrue)}` }
    default: {
      const mass = c.spikes.reduce((s, x) => s + x.p, 0)
      const spikes =
        c.spikes.length === 0
          ? ''
          : `${c.spikes.length} point mass${c.spikes.length === 1 ? '' : 'es'} (${percent(mass)}) + `
      const continuous =
        c.continuous === null
          ? 'no continuous part'
          : `${c.continuous.family} (KS ${c.continuous.ks.toFixed(3)}, ${percent(c.continuous.weight)})`
      const bound = (x: number): string => (c.kind === 'datetime' ? new Date(x).toISOString() : String(x))
      const range = c.min === null || c.max === null ? '' : `, range [${bound(c.min)}, ${bound(c.max)}]`
      // A datetime written another way than ISO 8601 says how (`written MMM d yyyy`).
      const written =
        c.kind === 'datetime' && c.format !== undefined && !isIsoPattern(datetimePattern(c.format))
          ? `, written ${c.format}`
          : ''
      return {
        name: c.name,
        kind: c.kind,
        nullRate: c.nullRate,
        detail: `${spikes}${continuous}${range}${c.decimals === null ? '' : `, ${c.decimals} decimals`}${written}`,
      }
    }
  }
}

function describeCtgan(file: SynthModelFile): CtganDescription | undefined {
  const section = file.ctgan
  if (section === undefined) return undefined
  const { training, architecture, transformer, hyperparameters } = section
  const manifest = section.weightsManifest[0]
  const average = hyperparameters.generatorAverage
  const calibration = training.calibration
  return {
    epochs: training.epochs,
    backend: training.backend,
    seconds: training.seconds,
    lastLosses: training.losses.at(-1) ?? null,
    embeddingDim: architecture.embeddingDim,
    condDim: architecture.condDim,
    dataDim: architecture.dataDim,
    pac: architecture.pac,
    generatorDims: architecture.generatorDims,
    discriminatorDims: architecture.discriminatorDims,
    modes: transformer.columns.flatMap((c) =>
      c.type === 'continuous' ? [{ column: c.name, modes: c.weights.length, exact: c.pointMasses }] : [],
    ),
    derived: transformer.columns.flatMap((c) =>
      c.type === 'derived' ? [{ column: c.name, from: transformer.columns[c.from]?.name ?? '?' }] : [],
    ),
    averageDecay: typeof average === 'number' && average > 0 ? average : null,
    ...(calibration === undefined
      ? {}
      : {
          calibration: {
            gapBefore: calibration.gapBefore,
            gapAfter: calibration.gapAfter,
            ...(calibration.conditional === undefined ? {} : { conditional: calibration.conditional }),
          },
        }),
    weightsFile: manifest?.paths[0] ?? '?',
    parameters: manifest?.weights.reduce((s, w) => s + w.shape.reduce((x, y) => x * y, 1), 0) ?? 0,
  }
}

/** `(ε = 4, δ = 1e-6) spent by 21 mechanisms, neighbours: add or remove one row, basic composition; noise from the OS`. */
function summarizeDp(dp: DpAccount): string {
  const epsilon = Number(dp.epsilon.toPrecision(6))
  return (
    `${dp.delta > 0 ? `(ε = ${epsilon}, δ = ${small(dp.delta)})` : `ε = ${epsilon} (pure)`} spent by ${dp.mechanisms.length} mechanisms, ` +
    `neighbours: ${dp.neighbours}, ${dp.accountant}; noise ${dp.noise === 'os-entropy' ? 'from the OS' : 'seeded (keep the seed secret)'}`
  )
}

/** A probability such as δ: `1e-6`, `2.5e-7`, `0.01`. */
export function small(x: number): string {
  const rounded = Number(x.toPrecision(3))
  return rounded < 1e-3 ? rounded.toExponential() : String(rounded)
}

function percent(p: number): string {
  return `${(p * 100).toFixed(1)}%`
}
