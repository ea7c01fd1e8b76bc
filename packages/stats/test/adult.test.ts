import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  andersonDarlingKSample,
  chiSquareTest,
  cramersV,
  ksTest,
  mannWhitneyU,
  pearson,
  psi,
  spearman,
  wasserstein,
} from '@modelgate/stats'
import { describe, expect, it } from 'vitest'
import { expectClose, ref } from './fixtures.js'

// UCI Adult (32,561 rows): values carry a leading space; no quoted fields.
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')
const lines = readFileSync(path.resolve(repoRoot, 'test/data/adult.csv'), 'utf8').trim().split('\n')
const header = (lines[0] as string).split(',')
const rows = lines.slice(1).map((l) => l.split(',').map((c) => c.trim()))
const at = (name: string): number => header.indexOf(name)
const numbers = (name: string, keep: (r: string[]) => boolean = () => true): Float64Array =>
  Float64Array.from(rows.filter(keep).map((r) => Number(r[at(name)])))
const isMale = (r: string[]): boolean => r[at('sex')] === 'Male'
const isFemale = (r: string[]): boolean => r[at('sex')] === 'Female'
const isRich = (r: string[]): boolean => r[at('income')] === '>50K'
const isPoor = (r: string[]): boolean => r[at('income')] === '<=50K'
const adult = ref.adult

describe('statistics on the UCI Adult census data agree with scipy', () => {
  it('finds the age distributions of men and women different (KS, Anderson–Darling, W1)', () => {
    const men = numbers('age', isMale)
    const women = numbers('age', isFemale)
    const ks = ksTest(men, women)
    expectClose(ks.statistic, adult.ksAgeBySex.statistic, 1e-12)
    expectClose(ks.pValue, adult.ksAgeBySex.pvalue, 1e-7)
    expect(ks.passed).toBe(false)
    expectClose(andersonDarlingKSample([men, women]).statistic, adult.andersonDarlingAgeBySex, 1e-10)
    expectClose(wasserstein(men, women).details?.raw as number, adult.wassersteinAgeBySex, 1e-10)
  })

  it('flags hours-per-week as shifted between income groups (PSI > 0.2, Mann–Whitney)', () => {
    const poor = numbers('hours-per-week', isPoor)
    const rich = numbers('hours-per-week', isRich)
    const drift = psi(poor, rich)
    expectClose(drift.statistic, adult.psiHoursByIncome, 1e-10)
    expect(drift.passed).toBe(false)
    const mw = mannWhitneyU(rich, poor)
    expect(mw.statistic).toBe(adult.mannWhitneyHoursByIncome.statistic)
    expect(mw.pValue).toBe(adult.mannWhitneyHoursByIncome.pvalue)
  })

  it('tests workclass against income with chi-square, including the "?" category', () => {
    const counts = (keep: (r: string[]) => boolean): number[] =>
      adult.workclass.map((w: string) => rows.filter((r) => keep(r) && r[at('workclass')] === w).length)
    const r = chiSquareTest(counts(isPoor), counts(isRich))
    expectClose(r.statistic, adult.chiSquareWorkclassByIncome.statistic, 1e-12)
    expectClose(r.pValue, adult.chiSquareWorkclassByIncome.pvalue, 1e-9)
    expect(r.details?.dof).toBe(adult.chiSquareWorkclassByIncome.dof)
  })

  it('measures associations: Cramér’s V of education × income, Spearman and Pearson correlations', () => {
    const codes = (name: string): Int32Array => {
      const dict = new Map<string, number>()
      return Int32Array.from(rows, (r) => {
        const v = r[at(name)] as string
        if (!dict.has(v)) dict.set(v, dict.size)
        return dict.get(v) as number
      })
    }
    expectClose(cramersV(codes('education'), codes('income')), adult.cramersVEducationIncome, 1e-12)
    expectClose(spearman(numbers('age'), numbers('hours-per-week')), adult.spearmanAgeHours, 1e-12)
    expectClose(pearson(numbers('age'), numbers('education-num')), adult.pearsonAgeEducationNum, 1e-12)
  })
})
