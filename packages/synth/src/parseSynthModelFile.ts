import { CTGAN_SECTION_VERSION, ctganSectionProblem } from './ctgan/internal/ctganSection.js'
import { ModelFileVersionError, SynthError } from './errors.js'
import { checkModelMeaning } from './internal/checkModelMeaning.js'
import type { SynthModelFile } from './modelFile.js'
import { COPULA_SECTION_VERSION, SYNTH_MODEL_FORMAT, SYNTH_MODEL_VERSION, synthModelFileSchema } from './modelFile.js'

/**
 * Validates a parsed model file, once, with the section of its synthesizer: a newer format version (or a newer
 * `ctgan` section version) throws `MG_SYNTH_MODEL_VERSION` before anything else is looked at; anything malformed
 * throws `MG_SYNTH_MODEL_CORRUPT` naming the first bad field, and so does a section that does not fit its columns
 * (a copula naming unknown columns, a CTGAN architecture that does not match its transformer).
 */
export function parseSynthModelFile(value: unknown, displayName = 'the model'): SynthModelFile {
  const location = displayName === 'the model' ? {} : { location: { file: displayName } }
  if (typeof value === 'object' && value !== null) {
    const header = value as { format?: unknown; version?: unknown }
    if (
      header.format === SYNTH_MODEL_FORMAT &&
      typeof header.version === 'number' &&
      header.version > SYNTH_MODEL_VERSION
    ) {
      throw new ModelFileVersionError(
        `${displayName} has format version ${header.version}; this ModelGate reads version ${SYNTH_MODEL_VERSION}.`,
        { hint: 'Upgrade @modelgate/synth, or re-train the model with this version.', ...location },
      )
    }
    const ctgan = (value as { ctgan?: { version?: unknown } }).ctgan
    if (typeof ctgan?.version === 'number' && ctgan.version > CTGAN_SECTION_VERSION) {
      throw new ModelFileVersionError(
        `${displayName} holds a CTGAN section of version ${ctgan.version}; this ModelGate reads version ${CTGAN_SECTION_VERSION}.`,
        { hint: 'Upgrade @modelgate/synth, or re-train the model with this version.', ...location },
      )
    }
    const copula = (value as { copula?: { version?: unknown } }).copula
    if (typeof copula?.version === 'number' && copula.version > COPULA_SECTION_VERSION) {
      throw new ModelFileVersionError(
        `${displayName} holds a copula section of version ${copula.version}; this ModelGate reads version ${COPULA_SECTION_VERSION}.`,
        { hint: 'Upgrade @modelgate/synth, or re-train the model with this version.', ...location },
      )
    }
    if (header.format !== undefined && header.format !== SYNTH_MODEL_FORMAT) {
      throw new SynthError(
        'MG_SYNTH_MODEL_CORRUPT',
        `${displayName} is not a ModelGate synth model (format "${String(header.format)}").`,
        {
          hint: 'Pass a file written by `synth train`.',
          ...location,
        },
      )
    }
  }
  const parsed = synthModelFileSchema.safeParse(value)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const path = issue === undefined ? '' : issue.path.join('.')
    throw new SynthError(
      'MG_SYNTH_MODEL_CORRUPT',
      `${displayName} is not a valid synth model: ${path === '' ? '' : `at "${path}": `}${issue?.message ?? 'invalid'}.`,
      {
        hint: 'The file may be damaged or hand-edited; re-train it with `synth train`.',
        ...location,
      },
    )
  }
  const file = parsed.data
  const names = new Set(file.columns.map((c) => c.name))
  if (file.synthesizer === 'copula') {
    const copula = file.copula
    if (copula === undefined) throw corrupt(displayName, 'it has no "copula" section', location)
    const d = copula.dims.length
    if ('loadings' in copula) {
      if (copula.loadings.length !== d)
        throw corrupt(displayName, `the factor loadings have ${copula.loadings.length} rows, not ${d}`, location)
    } else if (copula.correlation.length !== d || copula.correlation.some((row) => row.length !== d)) {
      throw corrupt(displayName, `the correlation matrix is not ${d} × ${d}`, location)
    }
    for (const dim of copula.dims)
      if (!names.has(dim.column))
        throw corrupt(displayName, `the copula names unknown column "${dim.column}"`, location)
  } else {
    const section = file.ctgan
    if (section === undefined) throw corrupt(displayName, 'it has no "ctgan" section', location)
    const problem = ctganSectionProblem(
      section,
      file.columns.map((c) => c.name),
    )
    if (problem !== undefined) throw corrupt(displayName, problem, location)
  }
  const problem = checkModelMeaning(file)
  if (problem !== undefined) throw corrupt(displayName, problem, location)
  return file
}

function corrupt(displayName: string, why: string, location: object): SynthError {
  return new SynthError('MG_SYNTH_MODEL_CORRUPT', `${displayName} is not a valid synth model: ${why}.`, {
    hint: 'The file may be damaged or hand-edited; re-train it with `synth train`.',
    ...location,
  })
}
