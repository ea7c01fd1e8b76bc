import type { CheckResult, Table } from '@modelgate/core'
import { LOST_NULL_RATE_GAP } from '../internal/findLostColumns.js'
import { nullMask } from '../internal/profileColumn.js'

/**
 * One `warn` check per column the synthetic data leaves null far more often than the real data (all-null: the column
 * was not learned), so a lost column never passes unnoticed. Columns missing from `synthetic` are the caller's error.
 */
export function nullRateChecks(
  real: Table,
  synthetic: Table,
  names: { real: string; synthetic: string },
): CheckResult[] {
  const checks: CheckResult[] = []
  const synthByName = new Map(synthetic.columns.map((c) => [c.name, c]))
  for (const column of real.columns) {
    const other = synthByName.get(column.name)
    if (other === undefined || real.numRows === 0 || synthetic.numRows === 0) continue
    const realRate = nullRate(nullMask(column, real.numRows))
    const synthRate = nullRate(nullMask(other, synthetic.numRows))
    const lost = synthRate === 1 && realRate < 1
    if (!lost && !(synthRate - realRate >= LOST_NULL_RATE_GAP)) continue
    checks.push({
      id: `synth.nulls.${column.name}`,
      name: column.name,
      group: 'Null rates',
      verdict: 'warn',
      message: `${percent(synthRate)} null in ${names.synthetic} against ${percent(realRate)} in ${names.real}${lost ? ': the column was not learned' : ''}`,
      metrics: { syntheticNullRate: synthRate, realNullRate: realRate },
    })
  }
  return checks
}

function nullRate(mask: Uint8Array): number {
  let nulls = 0
  for (let i = 0; i < mask.length; i++) nulls += mask[i] as number
  return nulls / mask.length
}

function percent(share: number): string {
  return `${Math.round(share * 1000) / 10}%`
}
