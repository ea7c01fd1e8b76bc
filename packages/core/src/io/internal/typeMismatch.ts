import { ModelGateError } from '../../errors.js'
import { datetimePattern, isIsoPattern } from '../parseDatetime.js'
import type { ColumnPlan, ConvertContext } from './ColumnPlan.js'

const EXPECTED: Record<string, string> = {
  integer: 'an integer',
  numeric: 'a number',
  boolean: 'a boolean (true/false)',
  datetime: 'an ISO 8601 date or datetime',
  categorical: 'a category',
  text: 'text',
  id: 'an id',
}

function expected(plan: ColumnPlan): string {
  if (plan.kind !== 'datetime') return EXPECTED[plan.kind] ?? plan.kind
  const pattern = datetimePattern(plan.format)
  return isIsoPattern(pattern) ? 'an ISO 8601 date or datetime' : `a datetime written ${JSON.stringify(pattern)}`
}

export function typeMismatch(plan: ColumnPlan, ctx: ConvertContext, i: number, got: unknown): ModelGateError {
  const row = ctx.rowOffset + i + 1
  const shown =
    typeof got === 'string'
      ? JSON.stringify(got.length > 60 ? `${got.slice(0, 57)}...` : got)
      : (JSON.stringify(got) ?? String(got))
  const hint = plan.fromSchema
    ? `The schema declares "${plan.name}" as ${plan.kind}; fix the value or the schema.`
    : `The kind ${plan.kind} was inferred from the first ${ctx.inferredFromRows.toLocaleString('en-US')} rows; pass a schema declaring the kind of "${plan.name}" (e.g. text or numeric).`
  return new ModelGateError(
    'MG_DATA_TYPE_MISMATCH',
    `Column "${plan.name}" in ${ctx.file} row ${row.toLocaleString('en-US')}: expected ${expected(plan)}, got ${shown}.`,
    { hint, location: { file: ctx.file, row, column: plan.name } },
  )
}

export function notFinite(plan: ColumnPlan, ctx: ConvertContext, i: number, got: string): ModelGateError {
  const row = ctx.rowOffset + i + 1
  return new ModelGateError(
    'MG_DATA_NOT_FINITE',
    `Column "${plan.name}" in ${ctx.file} row ${row.toLocaleString('en-US')}: expected a finite number, got "${got}".`,
    {
      hint: `Add "${got}" to nullValues to read it as missing, or pass allowNonFinite to keep it.`,
      location: { file: ctx.file, row, column: plan.name },
    },
  )
}
