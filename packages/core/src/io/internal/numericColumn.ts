import type { Column } from '../../Table.js'
import { ISO_DATETIME_FORMAT } from '../parseDatetime.js'
import type { ColumnPlan, ConvertContext } from './ColumnPlan.js'
import { notFinite, typeMismatch } from './typeMismatch.js'

/**
 * A numeric/integer/datetime column from decoded doubles, enforcing the reading rules: non-finite values need
 * `allowNonFinite`, fractions in an integer column widen it (readTable) or fail (streams, schemas).
 */
export function numericColumn(
  values: Float64Array,
  valid: Uint8Array | null,
  plan: ColumnPlan,
  ctx: ConvertContext,
): Column {
  const name = plan.name
  if (plan.kind === 'datetime') {
    for (let r = 0; r < values.length; r++) {
      if ((valid === null || valid[r] !== 0) && !Number.isFinite(values[r] as number))
        throw typeMismatch(plan, ctx, r, String(values[r]))
    }
    return { kind: 'datetime', name, values, valid, format: plan.format || ISO_DATETIME_FORMAT }
  }
  for (let r = 0; r < values.length; r++) {
    if (valid !== null && valid[r] === 0) continue
    const v = values[r] as number
    if (!Number.isFinite(v)) {
      if (!ctx.allowNonFinite) throw notFinite(plan, ctx, r, String(v))
    } else if (plan.kind === 'integer' && !Number.isInteger(v)) {
      if (ctx.widen && !plan.fromSchema) plan.kind = 'numeric'
      else throw typeMismatch(plan, ctx, r, v)
    }
  }
  return { kind: plan.kind as 'numeric' | 'integer', name, values, valid }
}
