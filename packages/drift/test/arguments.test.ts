import { ModelGateError, tableFromRows } from '@modelgate/core'
import { describe, expect, it } from 'vitest'
import { buildBaseline, checkDrift, createDriftState, driftStateFromJSON } from '../src/index.js'
import { sampleTable } from './support/tables.js'

const baseline = buildBaseline(sampleTable({ rows: 2000, seed: 1 }), { name: 'train' })

/** The argument error a call throws (the test fails when it throws none or another error). */
function refusal(call: () => unknown): ModelGateError {
  try {
    call()
  } catch (error) {
    expect(error).toBeInstanceOf(ModelGateError)
    expect((error as ModelGateError).code).toBe('MG_ARGUMENT_INVALID')
    return error as ModelGateError
  }
  throw new Error('expected MG_ARGUMENT_INVALID, got none')
}

describe("drift's public functions check their arguments", () => {
  it('buildBaseline: a file name or rows instead of a Table, an option of the wrong type, an unknown option', () => {
    const noTable = refusal(() => buildBaseline('train.csv' as never))
    expect(noTable.code).toBe('MG_ARGUMENT_INVALID')
    expect(noTable.message).toBe(
      'buildBaseline(table, options): table: expected a Table, got a string (a file? readTable(path) reads one).',
    )
    expect(refusal(() => buildBaseline([{ a: 1 }] as never)).message).toMatch(/table: expected a Table, got an array/)
    const table = tableFromRows([{ a: 1 }, { a: 2 }])
    expect(refusal(() => buildBaseline(table, { bins: '10' } as never)).message).toBe(
      'buildBaseline(table, options): options.bins: expected a number, got a string.',
    )
    expect(refusal(() => buildBaseline(table, { bin: 10 } as never)).message).toBe(
      "buildBaseline(table, options): options: unrecognized key(s) in object: 'bin'.",
    )
  })

  it('createDriftState and driftStateFromJSON: a baseline that is not one, methods that are not a list', () => {
    expect(refusal(() => createDriftState({ columns: [] } as never)).message).toBe(
      'createDriftState(baseline, options): baseline: expected a Baseline (buildBaseline or baselineFromJSON returns one).',
    )
    expect(refusal(() => createDriftState(baseline, { methods: 'amount=ks' } as never)).message).toBe(
      'createDriftState(baseline, options): options.methods: expected an array, got a string.',
    )
    expect(refusal(() => driftStateFromJSON('baseline.json' as never, '{}')).message).toMatch(
      /^driftStateFromJSON\(baseline, json\): baseline: expected a Baseline/,
    )
  })

  it('DriftState.evaluate: a misspelt option and values out of range', () => {
    const state = createDriftState(baseline).addTable(sampleTable({ rows: 500, seed: 2 }))
    expect(refusal(() => state.evaluate({ alhpa: 0.01 } as never)).message).toBe(
      "DriftState.evaluate(options): options: unrecognized key(s) in object: 'alhpa'.",
    )
    expect(refusal(() => state.evaluate({ alpha: 5 })).message).toBe(
      'DriftState.evaluate(options): options.alpha: number must be less than or equal to 1.',
    )
    expect(refusal(() => state.evaluate({ correction: 'bonferroni' as never })).message).toMatch(
      /options\.correction: invalid enum value\. Expected 'holm' \| 'bh' \| 'none'/i,
    )
  })

  it('checkDrift: rows instead of a Table for the current sample, an options object of the wrong shape', () => {
    const rows = refusal(() => checkDrift(baseline, [{ amount: 1 }] as never))
    expect(rows.message).toMatch(/^checkDrift\(reference, current, options\): current: /)
    expect(rows.hint).toBe('The reference is a Baseline or a Table; the current sample a Table or a DriftState.')
    const current = sampleTable({ rows: 200, seed: 3 })
    expect(refusal(() => checkDrift(baseline, current, { labels: { join: 'id' } } as never)).message).toMatch(
      /options\.labels\.table: /,
    )
    expect(refusal(() => checkDrift(baseline, current, { domainClassifier: 'yes' } as never)).message).toMatch(
      /options\.domainClassifier: /,
    )
  })
})
