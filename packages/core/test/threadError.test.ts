import { fromThreadError, ModelGateError, toThreadError } from '@modelgate/core'
import { describe, expect, it } from 'vitest'

describe('toThreadError / fromThreadError', () => {
  it('carries a ModelGateError across a structured clone with its code, message and hint', () => {
    const posted = structuredClone(
      toThreadError(new ModelGateError('MG_IO_WRITE_FAILED', 'out.csv: disk full', { hint: 'free space' })),
    )
    const back = fromThreadError(posted)
    expect(back).toBeInstanceOf(ModelGateError)
    expect(back).toMatchObject({ code: 'MG_IO_WRITE_FAILED', message: 'out.csv: disk full', hint: 'free space' })
  })

  it('gives null for an error without a code, whose message the receiver words itself', () => {
    const posted = structuredClone(toThreadError(new TypeError('x is undefined')))
    expect(posted).toEqual({ message: 'x is undefined' })
    expect(fromThreadError(posted)).toBeNull()
    expect(toThreadError('plain')).toEqual({ message: 'plain' })
  })
})
