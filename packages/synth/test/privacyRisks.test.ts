// The privacy attacks of `synth evaluate` (Anonymeter's singling out, linkability and attribute inference, and a
// distance-based membership inference), checked against small tables worked out by hand — the arithmetic is
// written next to each expectation — and on the 30-customer table of issue #12.
import type { Table } from '@modelgate/core'
import { createRandom, tableFromRows, takeRows } from '@modelgate/core'
import { proportionInterval } from '@modelgate/stats'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { AttackInput } from '../src/evaluate/attackInput.js'
import { encodeAttackTables } from '../src/evaluate/encodeAttackTables.js'
import { inferenceRisk } from '../src/evaluate/inferenceRisk.js'
import { linkabilityRisk } from '../src/evaluate/linkabilityRisk.js'
import { membershipInference } from '../src/evaluate/membershipInference.js'
import type { NeighborMatrix } from '../src/evaluate/nearestNeighbors.js'
import { nearestLeavingOneOut, nearestNeighbors, TIE, toNeighborMatrix } from '../src/evaluate/nearestNeighbors.js'
import { privacyRisk, successRate } from '../src/evaluate/privacyRisk.js'
import { verdictFor } from '../src/evaluate/privacyRiskChecks.js'
import { expectedSinglingOut } from '../src/evaluate/singlingOut.js'
import { singlingOutRisk } from '../src/evaluate/singlingOutRisk.js'

// Φ⁻¹(0.975), the z of a 95% interval, and its square.
const z = 1.959963984540054
const z2 = z * z // 3.841458820694124

function attackInput(tables: { train: Table; control: Table; synthetic: Table }, attacks: number): AttackInput {
  const names = tables.train.columns.map((c) => c.name)
  const { columns, tables: encoded } = encodeAttackTables(names, [tables.train, tables.control, tables.synthetic])
  return {
    columns,
    train: encoded[0] as AttackInput['train'],
    control: encoded[1] as AttackInput['control'],
    synthetic: encoded[2] as AttackInput['synthetic'],
    attacks,
    confidence: 0.95,
    random: createRandom(7),
  }
}

describe('success rates and risk (Wilson 1927; the Anonymeter paper)', () => {
  it('gives the Wilson centre and half-width of 8 successes in 10', () => {
    const r = successRate(8, 10)
    // centre (8 + z²/2) / (10 + z²) = 9.920729410347063 / 13.841458820694124 = 0.7167401600411332
    expect(r.value).toBeCloseTo(9.920729410347063 / 13.841458820694124, 14)
    expect(r.value).toBeCloseTo(0.7167401600411332, 14)
    // half-width z / (10 + z²) · √(8·2/10 + z²/4) = 0.14160… · √2.5603647… = 0.22657768850449148
    expect(r.error).toBeCloseTo((z / (10 + z2)) * Math.sqrt(1.6 + z2 / 4), 14)
    expect(r.error).toBeCloseTo(0.22657768850449148, 14)
  })

  it('is the centre and half-width of the Wilson interval of @modelgate/stats (checked there against scipy)', () => {
    for (const [k, n] of [
      [0, 1],
      [0, 500],
      [3, 7],
      [250, 500],
      [499, 500],
      [100, 100],
    ] as const) {
      const { lower, upper } = proportionInterval(k, n, { confidence: 0.9 })
      const r = successRate(k, n, 0.9)
      expect(r.value).toBeCloseTo((lower + upper) / 2, 12)
      expect(r.error).toBeCloseTo((upper - lower) / 2, 12)
    }
  })

  it('forms R = (r_train − r_control) / (1 − r_control) with a first-order error, clipped to [0, 1]', () => {
    // control: 2 of 10 → (2 + z²/2) / (10 + z²) = 0.2832598399588667, the same half-width 0.2265776885044915
    const risk = privacyRisk(successRate(8, 10), successRate(2, 10))
    // R = (0.71674016 − 0.28325984) / 0.71674016 = 0.43348032 / 0.71674016 = 0.6047942395991726
    expect(risk.value).toBeCloseTo(0.6047942395991726, 12)
    // ∂R/∂r_t = 1/0.71674016 = 1.39520…, ∂R/∂r_c = (0.71674016 − 1)/0.71674016² = −0.55139…
    // e = √((0.22657769 · 1.39520)² + (0.22657769 · 0.55139)²) = √(0.099933 + 0.015609) = 0.3399143934771375
    expect(risk.low).toBeCloseTo(0.6047942395991726 - 0.3399143934771375, 12) // 0.2648798461220351
    expect(risk.high).toBeCloseTo(0.6047942395991726 + 0.3399143934771375, 12) // 0.94470863307631
    // no advantage: 2 of 3 on both sides gives R = 0 and an interval clipped to [0, 1]
    const none = privacyRisk(successRate(2, 3), successRate(2, 3))
    expect([none.value, none.low, none.high]).toEqual([0, 0, 1])
  })

  it('fails only when the whole interval is above the limit, warns when a leak is measured above it', () => {
    expect(verdictFor(0.6, 0.26, 0.1)).toBe('fail')
    expect(verdictFor(0.25, 0.05, 0.1)).toBe('warn')
    expect(verdictFor(0.25, 0, 0.1)).toBe('pass') // the interval reaches 0: no leak measured
    expect(verdictFor(0.05, 0.01, 0.1)).toBe('pass')
    expect(verdictFor(0.65, 0.52, 0.6, 0.5)).toBe('warn') // membership AUC: no leak is 0.5
  })
})

// A 4-column table with no ties anywhere, used by the distance, inference, linkability and membership tests.
//   synthetic s0 (z1, 30, 2, flu)   s1 (z2, 50, 6, cold)   s2 (z3, 70, 9, flu)
//   training  t0 (z1, 31, 3, flu)   t1 (z2, 52, 6, cold)   t2 (z3, 90, 8, cold)
//   control   c0 (z1, 45, 5, cold)  c1 (z2, 60, 1, cold)   c2 (z9, 80, 3, cold)
// Ranges over all three tables: age 30…90 → 60, visits 1…9 → 8. A category mismatch costs 1.
const row = (zip: string, age: number, visits: number, disease: string): Record<string, unknown> => ({
  zip,
  age,
  visits,
  disease,
})
const clinic = {
  synthetic: tableFromRows([row('z1', 30, 2, 'flu'), row('z2', 50, 6, 'cold'), row('z3', 70, 9, 'flu')]),
  train: tableFromRows([row('z1', 31, 3, 'flu'), row('z2', 52, 6, 'cold'), row('z3', 90, 8, 'cold')]),
  control: tableFromRows([row('z1', 45, 5, 'cold'), row('z2', 60, 1, 'cold'), row('z9', 80, 3, 'cold')]),
}

describe('mixed-type distance and nearest neighbours', () => {
  const input = attackInput(clinic, 3)
  const all = [0, 1, 2, 3]
  const synth = toNeighborMatrix(input.synthetic, input.columns, all, Uint32Array.of(0, 1, 2))

  it('sums category mismatches and range-scaled numeric gaps', () => {
    const t0 = toNeighborMatrix(input.train, input.columns, all, Uint32Array.of(0))
    const { index, distance } = nearestNeighbors(t0, synth, 3)
    // t0 = (z1, 31, 3, flu) → s0: 0 + 1/60 + 1/8 + 0 = 0.141667; → s2: 1 + 39/60 + 6/8 + 0 = 2.4;
    //                         → s1: 1 + 19/60 + 3/8 + 1 = 2.691667
    expect([...index]).toEqual([0, 2, 1])
    expect(distance[0]).toBeCloseTo(1 / 60 + 1 / 8, 12)
    expect(distance[1]).toBeCloseTo(1 + 39 / 60 + 6 / 8, 12)
    expect(distance[2]).toBeCloseTo(2 + 19 / 60 + 3 / 8, 12)
  })

  it('counts a null against a value as 1 and two nulls as 0', () => {
    const withNull = attackInput(
      {
        train: tableFromRows([{ a: 'x', n: null }]),
        control: tableFromRows([{ a: 'x', n: 1 }]),
        synthetic: tableFromRows([
          { a: 'x', n: 0 },
          { a: 'y', n: null },
        ]),
      },
      1,
    )
    const q = toNeighborMatrix(withNull.train, withNull.columns, [0, 1], Uint32Array.of(0))
    const c = toNeighborMatrix(withNull.synthetic, withNull.columns, [0, 1], Uint32Array.of(0, 1))
    // to (x, 0): 0 + 1 (null vs value); to (y, null): 1 + 0 (both null) — a tie, the earlier candidate kept
    const { index, distance } = nearestNeighbors(q, c, 2)
    expect([...distance]).toEqual([1, 1])
    expect([...index]).toEqual([0, 1])
  })

  it('finds the nearest row on all columns but each secret in one pass', () => {
    const t2 = toNeighborMatrix(input.train, input.columns, all, Uint32Array.of(2))
    const best = nearestLeavingOneOut(t2, synth)
    // Positions are categories first: zip, disease, then age, visits. Terms of t2 = (z3, 90, 8, cold) (zip, disease,
    // age, visits): to s0 (1, 1, 60/60, 6/8), to s1 (1, 0, 40/60, 2/8), to s2 (0, 1, 20/60, 1/8). Without
    //  zip:     s0 1 + 1 + 0.75 = 2.75   s1 0 + 0.6667 + 0.25 = 0.9167   s2 1 + 0.3333 + 0.125 = 1.4583 → s1
    //  disease: s0 1 + 1 + 0.75 = 2.75   s1 1 + 0.6667 + 0.25 = 1.9167   s2 0 + 0.3333 + 0.125 = 0.4583 → s2
    //  age:     s0 1 + 1 + 0.75 = 2.75   s1 1 + 0 + 0.25 = 1.25          s2 0 + 1 + 0.125 = 1.125       → s2
    //  visits:  s0 1 + 1 + 1 = 3         s1 1 + 0 + 0.6667 = 1.6667      s2 0 + 1 + 0.3333 = 1.3333     → s2
    expect([...t2.columns]).toEqual([0, 3, 1, 2])
    expect([...best]).toEqual([1, 2, 2, 2])
  })
})

/** Every distance computed, no pruning: the reference the pruned searches must agree with. */
function plainDistance(q: NeighborMatrix, qi: number, c: NeighborMatrix, ci: number, skip = -1): number {
  let sum = 0
  for (let j = 0; j < c.width; j++) {
    if (j === skip) continue
    const a = q.data[qi * q.width + j] as number
    const b = c.data[ci * c.width + j] as number
    if (j < c.categorical) sum += a === b ? 0 : 1
    else if (Number.isNaN(a) || Number.isNaN(b)) sum += Number.isNaN(a) && Number.isNaN(b) ? 0 : 1
    else sum += Math.abs(a - b)
  }
  return sum
}

function plainNearest(q: NeighborMatrix, qi: number, c: NeighborMatrix, skip = -1): number {
  let best = 0
  let bestD = plainDistance(q, qi, c, 0, skip)
  for (let ci = 1; ci < c.count; ci++) {
    const d = plainDistance(q, qi, c, ci, skip)
    if (d < bestD - TIE) {
      best = ci
      bestD = d
    }
  }
  return c.rows[best] as number
}

describe('the pruned searches', () => {
  // Small random mixed tables (few distinct values, so ties and nulls are common).
  const cell = fc.record({
    a: fc.constantFrom('x', 'y', 'z', null),
    b: fc.constantFrom('p', 'q'),
    n: fc.option(fc.integer({ min: 0, max: 6 }), { nil: null }),
    m: fc.oneof(fc.double({ min: -3, max: 3, noNaN: true }), fc.double({ noNaN: true, noDefaultInfinity: true })),
  })
  const tables = fc.record({
    queries: fc.array(cell, { minLength: 1, maxLength: 6 }),
    candidates: fc.array(cell, { minLength: 1, maxLength: 25 }),
  })

  it('find the same nearest rows as a plain scan, for all columns and leaving each one out', () => {
    fc.assert(
      fc.property(tables, ({ queries, candidates }) => {
        const q = tableFromRows(queries, { kinds: { a: 'categorical', b: 'categorical', n: 'integer', m: 'numeric' } })
        const c = tableFromRows(candidates, {
          kinds: { a: 'categorical', b: 'categorical', n: 'integer', m: 'numeric' },
        })
        const {
          columns,
          tables: [eq, ec],
        } = encodeAttackTables(['a', 'n', 'b', 'm'], [q, c])
        const all = [0, 1, 2, 3]
        const qm = toNeighborMatrix(
          eq as AttackInput['train'],
          columns,
          all,
          Uint32Array.from(queries, (_, i) => i),
        )
        const order = Uint32Array.from(candidates, (_, i) => candidates.length - 1 - i)
        const cm = toNeighborMatrix(ec as AttackInput['train'], columns, all, order)
        const nearest = nearestNeighbors(qm, cm, 1).index
        const leaving = nearestLeavingOneOut(qm, cm)
        for (let qi = 0; qi < qm.count; qi++) {
          expect(nearest[qi]).toBe(plainNearest(qm, qi, cm))
          for (let p = 0; p < cm.width; p++) expect(leaving[qi * cm.width + p]).toBe(plainNearest(qm, qi, cm, p))
        }
      }),
      { numRuns: 300 },
    )
  })
})

describe('attribute inference (each column the secret, the others known)', () => {
  // Guesses (nearest synthetic row on the other three columns; numbers right within 5% of the true value):
  //  zip      t0 → s0 z1 ✓  t1 → s1 z2 ✓  t2 → s1 z2 ✗  = 2/3;  c0 → s1 z2 ✗  c1 → s1 z2 ✓  c2 → s1 z2 ✗ = 1/3
  //  age      t0 → s0 30 vs 31 ✓ (≤ 1.55)  t1 → s1 50 vs 52 ✓ (≤ 2.6)  t2 → s2 70 vs 90 ✗  = 2/3;
  //           control: s1 50 vs 45, 60, 80 ✗ = 0/3
  //  visits   t0 → s0 2 vs 3 ✗  t1 → s1 6 vs 6 ✓  t2 → s2 9 vs 8 ✗ (> 0.4)  = 1/3;  control: 6 vs 5, 1, 3 ✗ = 0/3
  //  disease  t0 → s0 flu ✓  t1 → s1 cold ✓  t2 → s2 flu ✗  = 2/3;  c0 → s0 flu ✗  c1 → s1 cold ✓  c2 → s1 cold ✓ = 2/3
  const result = inferenceRisk(attackInput(clinic, 3))
  const byName = new Map(result.columns.map((c) => [c.column, c.risk]))

  it('counts right guesses on training and control rows', () => {
    expect(result.targets).toBe(3)
    const counts = ['zip', 'age', 'visits', 'disease'].map((name) => [
      byName.get(name)?.attack.successes,
      byName.get(name)?.control.successes,
    ])
    expect(counts).toEqual([
      [2, 1],
      [2, 0],
      [1, 0],
      [2, 2],
    ])
  })

  it('turns them into risks', () => {
    // zip: r_t = (2 + z²/2)/(3 + z²) = 0.5730838280408258, r_c = (1 + z²/2)/(3 + z²) = 0.42691617195917425
    //      R = 0.14616765608165/0.57308382804083 = 0.25505458177270146
    expect(byName.get('zip')?.value).toBeCloseTo(0.25505458177270146, 12)
    // age: r_c = (0 + z²/2)/(3 + z²) = 0.2807485158775227, R = 0.29233531216330/0.71925148412248 = 0.40644380806522323
    expect(byName.get('age')?.value).toBeCloseTo(0.40644380806522323, 12)
    // visits: r_t = 0.42691617195917425, R = 0.14616765608165/0.71925148412248 = 0.20322190403261162
    expect(byName.get('visits')?.value).toBeCloseTo(0.20322190403261162, 12)
    // disease: the same 2 of 3 on both sides → no risk
    expect(byName.get('disease')?.value).toBe(0)
  })
})

describe('linkability', () => {
  it('links the halves {zip, visits} and {age, disease} through a shared nearest synthetic row', () => {
    const input = attackInput(clinic, 3)
    const result = linkabilityRisk(input, {
      split: [
        [0, 2],
        [1, 3],
      ],
    })
    // nearest on {zip, visits} / on {age, disease}:
    //  t0 s0 (0.125) / s0 (0.0167) linked   t1 s1 (0) / s1 (0.0333) linked   t2 s2 (0.125) / s1 (0.6667) not → 2/3
    //  c0 s0 (0.375) / s1 (0.0833) not      c1 s1 (0.625) / s1 (0.1667) linked  c2 s0 (1.125) / s1 (0.5) not → 1/3
    expect(result.columns).toEqual([
      ['zip', 'visits'],
      ['age', 'disease'],
    ])
    expect([result.risk.attack.successes, result.risk.control.successes]).toEqual([2, 1])
    expect(result.risk.value).toBeCloseTo(0.25505458177270146, 12) // as zip above: 2 of 3 vs 1 of 3
  })
})

describe('membership inference', () => {
  const result = membershipInference(attackInput(clinic, 3))

  it('scores training rows against control rows by the distance to their closest synthetic row', () => {
    // members t0 0.1417 (s0), t1 0.0333 (s1), t2 1.4583 (s2); non-members c0 1.2083, c1 0.7917, c2 1.8750 (all s1)
    // pairs where the member is closer: t0 3, t1 3, t2 1 (only c2) → AUC = 7/9
    expect(result.auc).toBeCloseTo(7 / 9, 12)
    // Hanley & McNeil: Q1 = A/(2 − A) = 7/11, Q2 = 2A²/(1 + A) = 98/144;
    // SE² = (A(1 − A) + 2(Q1 − A²) + 2(Q2 − A²)) / 9 = (0.172840 + 0.062851 + 0.151235) / 9 = 0.042992, SE = 0.207344
    const se = Math.sqrt((14 / 81 + 2 * (7 / 11 - 49 / 81) + 2 * (98 / 144 - 49 / 81)) / 9)
    expect(se).toBeCloseTo(0.207344, 6)
    expect(result.low).toBeCloseTo(7 / 9 - z * se, 12) // 0.3714
    expect(result.high).toBe(1) // 7/9 + 0.4064, clipped
    // threshold: the lowest control distance (5% of 3 rows rounds down to none allowed below it) = 0.7917;
    // training rows below it: t0, t1 → 2/3 at 0/3 false positives
    expect(result.threshold).toBeCloseTo(10 / 60 + 5 / 8, 12) // c1 → s1: 0 + 10/60 + 5/8 + 0
    expect(result.truePositiveRate).toBeCloseTo(2 / 3, 12)
    expect(result.falsePositiveRate).toBe(0)
    expect([result.exactTrain, result.exactControl]).toEqual([0, 0])
  })

  it('attacks no row when there is no synthetic row to be close to', () => {
    // Without synthetic rows every distance would be infinite: no AUC, no threshold and no rows to report.
    const none = membershipInference(attackInput({ ...clinic, synthetic: takeRows(clinic.synthetic, []) }, 3))
    expect([none.rows, none.auc, none.threshold, none.truePositiveRate, none.columns]).toEqual([0, 0.5, 0, 0, []])
  })

  it('names the columns on which training rows agree with their closest synthetic row more often', () => {
    // agreement with the closest synthetic row — members: zip 3/3, age 0, visits 1/3 (t1), disease 2/3;
    // non-members: zip 1/3 (c1), age 0, visits 0, disease 3/3 → excess > 0.1: zip 2/3, visits 1/3
    expect(result.columns.map((c) => c.name)).toEqual(['zip', 'visits'])
    expect(result.columns[0]?.train).toBeCloseTo(1, 12)
    expect(result.columns[0]?.control).toBeCloseTo(1 / 3, 12)
  })
})

describe('singling out', () => {
  // synthetic (A,30) (A,40) (B,50) (C,20) (B,50) — the duplicate (B,50) is dropped first, as Anonymeter does.
  // Univariate predicates singling out one synthetic row: city = B, city = C (A is seen twice), age ≤ 20 (min),
  // age ≥ 50 (max), and age = 30, 40, 50, 20 (each value seen once): 8 predicates.
  const cityAge = (rows: [string, number][]): Table => tableFromRows(rows.map(([city, age]) => ({ city, age })))
  const tables = {
    synthetic: cityAge([
      ['A', 30],
      ['A', 40],
      ['B', 50],
      ['C', 20],
      ['B', 50],
    ]),
    train: cityAge([
      ['A', 30],
      ['B', 50],
      ['B', 55],
      ['C', 20],
      ['D', 35],
      ['A', 45],
    ]),
    control: cityAge([
      ['A', 31],
      ['B', 50],
      ['C', 25],
      ['C', 26],
      ['D', 20],
      ['E', 60],
    ]),
  }

  it('counts predicates that single out one training row against one control row of the same size', () => {
    const result = singlingOutRisk(attackInput(tables, 100), { mode: 'univariate' })
    // on training rows: city=B 2 ✗, city=C 1 ✓, age≤20 1 ✓, age≥50 2 ✗, age=30 1 ✓, age=40 0 ✗, age=50 1 ✓,
    // age=20 1 ✓ → 5 of 8; on control rows: city=B 1 ✓, city=C 2 ✗, age≤20 1 ✓, age≥50 2 ✗, age=30 0, age=40 0,
    // age=50 1 ✓, age=20 1 ✓ → 4 of 8 (sets of the same size: compared as they are)
    expect(result.risk.attack.trials).toBe(8)
    expect([result.trainSuccesses, result.controlSuccesses, result.risk.control.successes]).toEqual([5, 4, 4])
    // r_t = (5 + z²/2)/(8 + z²) = 0.584449054389515, r_c = (4 + z²/2)/(8 + z²) = 0.5 → R = 0.084449/0.5
    expect(result.risk.value).toBeCloseTo(0.16889810877903, 12)
    // predicates that single out a training row but no control row: city = C (control 2), age = 30 (control 0)
    expect(result.columns).toEqual([
      { name: 'city', predicates: 1 },
      { name: 'age', predicates: 1 },
    ])
  })

  it('expects, for a subset of the rows, the exact share of predicates that single one out (hypergeometric)', () => {
    // 4 rows; predicates matching 1, 2, 0 and 3 of them; subsets of 2 rows (C(4,2) = 6 of them):
    // P(one match) = c·C(4−c, 1)/6 → 1·3/6 + 2·2/6 + 0 + 3·1/6 = 0.5 + 0.6667 + 0.5 = 5/3
    expect(expectedSinglingOut([1, 2, 0, 3], 4, 2)).toBeCloseTo(5 / 3, 12)
    expect(expectedSinglingOut([1, 2, 0, 3], 4, 4)).toBe(1) // all rows: the predicates matching exactly one
  })

  it('judges a larger training set at the control size and undoes the dilution', () => {
    // synthetic k = v1, v2, v3, v4 (each once: 4 predicates); training k = v1, v2, v3, x; control k = v4, y.
    // Full training set: v1, v2, v3 single out (3 of 4); control: v4 (1 of 4).
    // At the control's size (2 of 4 training rows), each of v1, v2, v3 singles out with 1·C(3,1)/C(4,2) = 1/2:
    // 1.5 expected of 4. r_t = (1.5 + z²/2)/(4 + z²) = 3.4207294/7.8414588 = 0.4362363545568247,
    // r_c = (1 + z²/2)/(4 + z²) = 0.3724727091136493, R at size 2 = 0.0637636/0.6275273 = 0.10161095201630581,
    // and a predicate fitting one training row holds it in a subset half the time: R = 2 × 0.10161 = 0.2032219
    const k = (values: string[]): Table => tableFromRows(values.map((v) => ({ k: v })))
    const result = singlingOutRisk(
      attackInput(
        { synthetic: k(['v1', 'v2', 'v3', 'v4']), train: k(['v1', 'v2', 'v3', 'x']), control: k(['v4', 'y']) },
        10,
      ),
      { mode: 'univariate' },
    )
    expect([result.trainSuccesses, result.controlSuccesses, result.size, result.scale]).toEqual([3, 1, 2, 2])
    expect(result.risk.attack.successes).toBeCloseTo(1.5, 12)
    expect(result.risk.value).toBeCloseTo(0.20322190403261162, 12)
  })
})
