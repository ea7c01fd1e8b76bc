import {
  createEventValidator,
  inferenceEventJsonSchema,
  inferenceEventSchema,
  parseEventBody,
} from '@modelgate/monitor'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'

const validate = createEventValidator()
const good = {
  request_id: 'r-1',
  timestamp: '2026-12-06T10:00:00.123Z',
  model_version: 'v3',
  features: { amount: 12.5, country: 'FR', device_fingerprint: null, geo: { city: 'Lyon' } },
  prediction: { score: 0.91, label: 'fraud' },
  latency_ms: 12.4,
}

describe('createEventValidator', () => {
  it('accepts an inference event and parses its timestamp (ISO with offset or epoch ms)', () => {
    const v = validate(good)
    expect(v).toMatchObject({ kind: 'inference', time: Date.parse('2026-12-06T10:00:00.123Z') })
    expect(validate({ ...good, timestamp: 1_765_000_000_000 })).toMatchObject({
      kind: 'inference',
      time: 1_765_000_000_000,
    })
    expect(validate({ ...good, timestamp: '2026-12-06T11:00:00+01:00' })).toMatchObject({
      time: Date.parse('2026-12-06T10:00:00Z'),
    })
  })

  it('recognizes a late label event', () => {
    expect(validate({ request_id: 'r-1', label: 'fraud' })).toMatchObject({ kind: 'label' })
  })

  it('names the reason and the field of a refusal, never the value', () => {
    const cases: [unknown, string][] = [
      [42, 'not_an_object'],
      [[good], 'not_an_object'],
      [{ ...good, request_id: undefined }, 'missing_request_id'],
      [{ ...good, features: undefined }, 'missing_features'],
      [{ ...good, timestamp: 'yesterday' }, 'bad_timestamp'],
      [{ ...good, timestamp: '2026-12-06 10:00:00' }, 'bad_timestamp'],
      [{ ...good, timestamp: -5 }, 'bad_timestamp'],
      [{ ...good, latency_ms: '12' }, 'bad_latency_ms'],
      [{ ...good, features: { amount: [1, 2] } }, 'bad_features'],
      [{ ...good, prediction: { score: 'high' } }, 'bad_prediction'],
    ]
    for (const [event, reason] of cases) {
      const v = validate(JSON.parse(JSON.stringify(event ?? null)))
      expect(v, JSON.stringify(event)).toMatchObject({ kind: 'bad', reason })
    }
    const secret = validate({ ...good, latency_ms: 'jane.doe@example.com' })
    expect(JSON.stringify(secret)).not.toContain('jane.doe')
  })

  it('accepts exactly what the zod schema accepts (the compiled path is the same schema)', () => {
    const scalar = fc.oneof(
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.string(),
      fc.boolean(),
      fc.constant(null),
    )
    const anyValue = fc.oneof(scalar, fc.array(scalar, { maxLength: 2 }), fc.dictionary(fc.string(), scalar))
    const event = fc.record(
      {
        request_id: fc.oneof(fc.string({ maxLength: 8 }), fc.integer()),
        timestamp: fc.oneof(
          fc.integer({ min: -10, max: 2e12 }),
          fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
          fc.string(),
        ),
        model_version: fc.oneof(fc.string(), fc.integer()),
        features: fc.oneof(fc.dictionary(fc.string({ maxLength: 5 }), anyValue), scalar),
        prediction: fc.oneof(
          fc.record({ score: fc.oneof(fc.double({ noNaN: true }), fc.string()) }, { requiredKeys: [] }),
          scalar,
        ),
        latency_ms: fc.oneof(fc.double({ min: -1, max: 1e4, noNaN: true }), fc.string()),
      },
      { requiredKeys: [] },
    )
    fc.assert(
      fc.property(event, (e) => {
        const value = JSON.parse(JSON.stringify(e)) as unknown
        const zodOk = inferenceEventSchema.safeParse(value).success
        const fastOk = validate(value).kind === 'inference'
        expect(fastOk).toBe(zodOk)
      }),
      { numRuns: 500, seed: 42 },
    )
  })

  it('publishes the event JSON Schema generated from the zod schema', () => {
    const schema = inferenceEventJsonSchema()
    expect(schema).toMatchObject({ type: 'object', required: ['request_id', 'timestamp', 'features'] })
  })
})

describe('parseEventBody', () => {
  it('reads a JSON array, one object, or JSONL with bad lines named by number', () => {
    expect(parseEventBody('[{"a":1},{"a":2}]').values).toHaveLength(2)
    expect(parseEventBody(' {"a":1}').values).toEqual([{ a: 1 }])
    const jsonl = parseEventBody('{"a":1}\n{oops\n\n{"a":3}\n')
    expect(jsonl.values).toEqual([{ a: 1 }, { a: 3 }])
    expect(jsonl.invalidLines).toEqual([2])
    expect(parseEventBody('[{"a":1},').invalidArray).toBe(true)
    expect(parseEventBody('   ').values).toEqual([])
  })
})
