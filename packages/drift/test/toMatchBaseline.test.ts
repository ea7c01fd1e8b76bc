import '../src/vitest.js'
import { describe, expect, it } from 'vitest'
import { buildBaseline } from '../src/index.js'
import { sampleTable } from './support/tables.js'

describe('expect(table).toMatchBaseline(baseline)', () => {
  const schema = {
    version: 1 as const,
    columns: [
      { name: 'device_fingerprint', kind: 'text' as const, nullable: true, pii: { type: 'device_id' as const } },
      { name: 'email', kind: 'text' as const, nullable: true, pii: { type: 'email' as const } },
    ],
  }
  const baseline = buildBaseline(sampleTable({ rows: 10_000, seed: 1 }), { schema })

  it('passes an undrifted sample and fails a drifted one with the failed checks in the message', () => {
    expect(sampleTable({ rows: 5000, seed: 2 })).toMatchBaseline(baseline)
    const drifted = sampleTable({ rows: 5000, seed: 3, shift: 0.5, nullShare: 0.4 })
    expect(drifted).not.toMatchBaseline(baseline)
    expect(() => expect(drifted).toMatchBaseline(baseline)).toThrow(
      /expected the sample to match the baseline, but 3 checks did not:\n {2}FAIL 1 of 5 columns drifted .*\n {2}FAIL amount: wasserstein .*— drift\n {2}FAIL device_fingerprint: null rate/,
    )
  })
})
