// @modelgate/core — public API.

// errors (owner: lead)
export { ModelGateError, isModelGateError, describeLocation } from './errors.js'
export type { ModelGateErrorOptions, ErrorLocation } from './errors.js'

// table model (owner: lead + core-io)
export type {
  Column,
  ColumnKind,
  NumericColumn,
  DatetimeColumn,
  BooleanColumn,
  CategoricalColumn,
  StringColumn,
  Table,
} from './Table.js'

// --- core-io section: Table utilities and readers/writers ---

// --- end core-io section ---

// --- schema section: annotated schemas, inference, PII detection ---
export { columnSchema, tableSchema, PII_TYPES, COLUMN_KINDS } from './schema/Schema.js'
export type { ColumnSchema, TableSchema, PiiType } from './schema/Schema.js'
// --- end schema section ---

// --- report section: one report model for all checks, and its renderers ---
export type { Report, CheckResult, Verdict, Chart, HistogramChart, HeatmapChart, LineChart } from './report/Report.js'
// --- end report section ---
