// `evaluateSynthetic`'s privacy section on the table of issue #12: 30 customers × 10 rows whose identifying
// columns repeat on every row. A generator that memorized them (here: training rows drawn again) must fail the
// evaluation with the columns named; one that produces other people of the same kind must not. No value of the
// table may reach the report in any format.
import type { CheckResult, Report, Table } from '@modelgate/core'
import { renderHtml, renderJUnit, renderTerminalReport, takeRows } from '@modelgate/core'
import { beforeAll, describe, expect, it } from 'vitest'
import { evaluatePrivacyRisks, evaluateSynthetic, splitHoldout } from '../src/index.js'
import { stringValues } from '../src/internal/evalColumn.js'
import { CUSTOMER_PII, makeCustomers, memorized } from './thirtyCustomers.js'

let train: Table
let control: Table
let strangers: Table
let leaky: Report
let clean: Report
beforeAll(async () => {
  // 40 customers; 10 of them (all their rows) held out as the control set, 30 × 10 rows to train on.
  const all = await makeCustomers({ customers: 40, rows: 10, seed: 12 })
  ;({ train, holdout: control } = splitHoldout(all, { fraction: 0.25, seed: 1, by: 'customer' }))
  // What a generator that learned the population but no person would give: 30 other customers of the same kind.
  strangers = await makeCustomers({ customers: 30, rows: 10, seed: 99, first: 40 })
  leaky = evaluateSynthetic({ real: train, synthetic: memorized(train, 300, 5), holdout: control, seed: 3 }).report
  clean = evaluateSynthetic({ real: train, synthetic: strangers, holdout: control, seed: 3 }).report
})

const privacyChecks = (report: Report): CheckResult[] =>
  report.checks.filter((c) => c.group === 'Privacy' && /singling_out|linkability|inference/.test(c.id))
const check = (report: Report, id: string): CheckResult => {
  const found = report.checks.find((c) => c.id === id)
  if (found === undefined) throw new Error(`no check ${id}`)
  return found
}

describe('the 30-customer table, memorized', () => {
  it('splits by customer: 30 training customers, 10 held out', () => {
    expect([train.numRows, control.numRows]).toEqual([300, 100])
    const names = (t: Table): Set<string | null> =>
      new Set(stringValues(t.columns.find((c) => c.name === 'customer') as Table['columns'][number], t.numRows))
    const held = names(control)
    expect([...names(train)].filter((n) => held.has(n))).toEqual([])
  })

  it('fails the evaluation on every attack that has enough to go on', () => {
    expect(leaky.verdict).toBe('fail')
    expect(privacyChecks(leaky).map((c) => [c.id, c.verdict])).toEqual([
      ['synth.privacy.singling_out.univariate', 'fail'],
      // see the next test
      ['synth.privacy.singling_out.multivariate', 'pass'],
      ['synth.privacy.linkability', 'fail'],
      ['synth.privacy.inference', 'fail'],
      ['synth.privacy.membership_inference', 'fail'],
    ])
  })

  it('leaves the six identifying columns out of singling-out predicates, so three columns are too few to establish a risk', () => {
    // Detected as PII, the identifying columns are not used in predicates (copies of them are the other attacks'
    // to find). Predicates on all three remaining columns rarely fit one synthetic row: the estimate is above the
    // limit but the interval reaches 0, which passes by the stated rule (a risk the data cannot establish).
    const multivariate = check(leaky, 'synth.privacy.singling_out.multivariate')
    expect((multivariate.details as { skipped: string[] }).skipped).toEqual([...CUSTOMER_PII])
    expect(multivariate.metrics?.attacks).toBeLessThan(100)
    expect(multivariate.metrics?.risk).toBeGreaterThan(0.1)
    expect(multivariate.metrics?.ciLow).toBe(0)
  })

  it('names every identifying column as inferable, with its risk and interval', () => {
    const inference = check(leaky, 'synth.privacy.inference')
    for (const column of CUSTOMER_PII)
      expect(inference.message).toMatch(new RegExp(`${column} 0\\.9\\d \\(95% CI 0\\.9`))
    const risks = (inference.details as { columns: { column: string; risk: number; ciLow: number }[] }).columns
    for (const column of CUSTOMER_PII) expect(risks.find((r) => r.column === column)?.ciLow).toBeGreaterThan(0.8)
  })

  it('names the columns of the predicates that single people out and of the closest copies', () => {
    expect(check(leaky, 'synth.privacy.singling_out.univariate').message).toMatch(
      /those singling out a training row and no control row use .*amount/,
    )
    const mia = check(leaky, 'synth.privacy.membership_inference')
    expect(mia.metrics?.auc).toBeGreaterThan(0.95)
    expect(mia.message).toMatch(/agree with training rows more often on .*customer \(100% vs 0%\)/)
  })

  it('reports the risks in the summary', () => {
    expect(leaky.summary.singlingOutRisk).toBeGreaterThan(0.9)
    expect(leaky.summary.inferenceRisk).toBeGreaterThan(0.9)
    expect(leaky.summary.membershipAuc).toBeGreaterThan(0.95)
  })
})

describe('the same evaluation of other people of the same kind', () => {
  it('finds no established risk', () => {
    for (const c of privacyChecks(clean)) expect([c.id, c.verdict]).not.toEqual([c.id, 'fail'])
    expect(clean.summary.inferenceRisk).toBeLessThan(0.2)
    expect(clean.summary.membershipAuc).toBeLessThan(0.65)
  })
})

describe('nothing to attack', () => {
  it('skips every attack when there is no synthetic row, saying so, instead of passing', () => {
    const { checks } = evaluatePrivacyRisks({ train, control, synthetic: takeRows(strangers, []), seed: 3 })
    expect(checks.map((c) => [c.id, c.verdict])).toEqual([
      ['synth.privacy.singling_out.univariate', 'skip'],
      ['synth.privacy.singling_out.multivariate', 'skip'],
      ['synth.privacy.linkability', 'skip'],
      ['synth.privacy.inference', 'skip'],
      ['synth.privacy.membership_inference', 'skip'],
    ])
    expect(checks.slice(2).map((c) => c.message)).toEqual(Array(3).fill('not measured: no synthetic rows'))
  })
})

describe('no raw value in the report', () => {
  const needles = (): string[] => {
    const out = new Set<string>()
    for (const t of [train, control])
      for (const name of CUSTOMER_PII) {
        const column = t.columns.find((c) => c.name === name) as Table['columns'][number]
        for (const v of stringValues(column, t.numRows)) if (v !== null && v !== 'unknown') out.add(v)
      }
    return [...out]
  }

  it('keeps every identifying value out of the terminal, JSON, JUnit and HTML renderings', () => {
    // The identifying columns tagged as PII (by detection or --pii) keep them out of the quality charts too.
    const report = evaluateSynthetic({
      real: train,
      synthetic: memorized(train, 300, 5),
      holdout: control,
      pii: [...CUSTOMER_PII],
      seed: 3,
    }).report
    expect(report.verdict).toBe('fail')
    const bytes = [
      renderTerminalReport(report, { color: false }),
      JSON.stringify(report),
      renderJUnit(report),
      renderHtml(report),
    ].join('\n')
    const values = needles()
    expect(values.length).toBeGreaterThan(150) // names, emails, phones, SSNs, card numbers, memos of 40 customers
    expect(values.filter((v) => bytes.includes(v))).toEqual([])
  })

  it('keeps them out of the privacy section even when nothing is tagged', () => {
    const bytes = JSON.stringify(leaky.checks.filter((c) => c.group === 'Privacy'))
    expect(bytes).toContain('taxpayer') // column names are reported…
    expect(needles().filter((v) => bytes.includes(v))).toEqual([]) // …their values never
  })
})

describe('without a holdout', () => {
  it('warns that the attacks were not run', async () => {
    const { report } = evaluateSynthetic({ real: train, synthetic: memorized(train, 300, 5) })
    const attacks = check(report, 'synth.privacy.attacks')
    expect(attacks.verdict).toBe('warn')
    expect(attacks.message).toMatch(/not measured: .*holdout/)
  })
})

describe('options', () => {
  it('rejects linkability halves that overlap or name unknown columns', () => {
    expect(() =>
      evaluatePrivacyRisks({ train, control, synthetic: strangers, linkability: [['amount'], ['amount', 'cc']] }),
    ).toThrow(/share no column/)
    expect(() =>
      evaluatePrivacyRisks({ train, control, synthetic: strangers, linkability: [['amount'], ['nope']] }),
    ).toThrow(/"nope" is not a column/)
    expect(() => evaluatePrivacyRisks({ train, control, synthetic: strangers, attacks: 0 })).toThrow(/positive integer/)
  })
})

describe('splitHoldout', () => {
  it('gives the same split for the same seed and another for another seed', async () => {
    const a = splitHoldout(train, { fraction: 0.2, seed: 4 })
    const b = splitHoldout(train, { fraction: 0.2, seed: 4 })
    const c = splitHoldout(train, { fraction: 0.2, seed: 5 })
    expect([a.train.numRows, a.holdout.numRows]).toEqual([240, 60])
    expect(JSON.stringify(a.holdout)).toBe(JSON.stringify(b.holdout))
    expect(JSON.stringify(a.holdout)).not.toBe(JSON.stringify(c.holdout))
  })

  it('keeps each group on one side with `by`', () => {
    const { train: t, holdout: h } = splitHoldout(train, { fraction: 0.2, seed: 4, by: 'taxpayer' })
    expect([t.numRows, h.numRows]).toEqual([240, 60]) // 24 and 6 customers of 10 rows
  })

  it('says what is wrong with a bad fraction or column', () => {
    expect(() => splitHoldout(train, { fraction: 1 })).toThrow(/must be in \(0, 1\), got 1/)
    expect(() => splitHoldout(train, { fraction: 0.001, source: 'c.csv' })).toThrow(/leaves no holdout/)
    expect(() => splitHoldout(train, { fraction: 0.2, by: 'nope', source: 'c.csv' })).toThrow(
      /Split column "nope" is not a column of c\.csv/,
    )
  })
})
