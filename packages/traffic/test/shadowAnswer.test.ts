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

describe('readAnswer', () => {
  const outcome = (body: unknown, status = 200) => ({
    status,
    latencyMs: 2,
    body: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)),
  })

  it("reads an answer byte for byte the primary's as the primary's, and any other answer for itself", () => {
    const primaryOutcome = outcome({ score: 0.5, decision: 'allow' })
    const primary = readAnswer(primaryOutcome, fields)
    const like = { outcome: primaryOutcome, read: primary }
    const same = readAnswer({ ...outcome({ score: 0.5, decision: 'allow' }), latencyMs: 7 }, fields, like)
    expect(same.answer).toEqual({ status: 200, latencyMs: 7, scores: { score: 0.5 }, labels: { decision: 'allow' } })
    expect(same.answer.scores).toBe(primary.answer.scores)
    // the same fields with other values, other bytes for the same values, a failed status: each read for itself
    expect(readAnswer(outcome({ score: 0.6, decision: 'block' }), fields, like).answer).toMatchObject({
      scores: { score: 0.6 },
      labels: { decision: 'block' },
    })
    expect(readAnswer(outcome('{"score": 0.5, "decision": "allow"}'), fields, like).answer.scores).not.toBe(
      primary.answer.scores,
    )
    expect(readAnswer(outcome({ score: 0.5, decision: 'allow' }, 503), fields, like).answer).toEqual({
      status: 503,
      latencyMs: 2,
      error: 'status',
      scores: {},
      labels: {},
    })
    // a primary answer that is not JSON is no model for the candidate's
    const garbage = outcome('not json')
    const unread = { outcome: garbage, read: readAnswer(garbage, fields) }
    expect(readAnswer(outcome('not json'), fields, unread).answer.error).toBe('parse')
  })
})
