import { describe, expect, it } from 'vitest'
import type { AnswerFields } from '../src/internal/shadowAnswer.js'
import { readAnswer, withFieldDiff } from '../src/internal/shadowAnswer.js'

const fields: AnswerFields = { scores: undefined, labels: new Set(['decision']), pii: new Set() }
const read = (body: unknown) =>
  readAnswer({ status: 200, latencyMs: 1, body: Buffer.from(JSON.stringify(body)) }, fields)

describe('withFieldDiff', () => {
  it('finds no difference in the same fields, in the same order or another', () => {
    const primary = read({ score: 0.5, probs: [0.5, 0.5], decision: 'allow' })
    expect(withFieldDiff(read({ score: 0.6, probs: [0.4, 0.6], decision: 'block' }), primary)).not.toHaveProperty(
      'addedFields',
    )
    const reordered = withFieldDiff(read({ decision: 'allow', probs: [0.4, 0.6], score: 0.6 }), primary)
    expect(reordered).not.toHaveProperty('addedFields')
    expect(reordered).not.toHaveProperty('missingFields')
  })

  it('names the fields a candidate added and lost, by dotted path', () => {
    const primary = read({ score: 0.5, probs: [0.5, 0.5], decision: 'allow' })
    const candidate = withFieldDiff(read({ score: 0.5, probs: [0.5], decision: 'allow', extra: { why: 'x' } }), primary)
    expect(candidate.addedFields).toEqual(['extra.why'])
    expect(candidate.missingFields).toEqual(['probs.1'])
    expect(candidate.scores).toEqual({ score: 0.5, 'probs.0': 0.5 })
    expect(candidate.labels).toEqual({ decision: 'allow' })
  })
})
