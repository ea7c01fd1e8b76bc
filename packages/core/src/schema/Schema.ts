import { z } from 'zod'

/** Semantic types of personally identifying columns. A PII column is never learned, only re-synthesized. */
export const PII_TYPES = [
  'email',
  'person_name',
  'phone',
  'national_id',
  'ip_address',
  'street_address',
  'card_number',
  'device_id',
  'free_text',
] as const
export type PiiType = (typeof PII_TYPES)[number]

export const COLUMN_KINDS = ['numeric', 'integer', 'categorical', 'boolean', 'datetime', 'text', 'id'] as const

/** The schema file format version this build reads and writes. */
export const SCHEMA_VERSION = 1

export const columnSchema = z
  .object({
    name: z.string().min(1),
    kind: z.enum(COLUMN_KINDS),
    nullable: z.boolean().default(true),
    /** Inclusive bounds for numeric/integer (numbers) and datetime (ISO strings). */
    min: z.union([z.number(), z.string()]).optional(),
    max: z.union([z.number(), z.string()]).optional(),
    /** Allowed values of a categorical column. */
    values: z.array(z.string()).optional(),
    /** Datetime text format, e.g. `iso` or `date`. */
    format: z.string().optional(),
    /** Values are unique (always true for `id`). */
    unique: z.boolean().optional(),
    pii: z
      .object({
        type: z.enum(PII_TYPES),
        /** Why the column was flagged, when inferred. */
        reason: z.string().optional(),
      })
      .optional(),
    /**
     * Reviewed: not PII although it may look like it (a column of canned messages read as free text). Silences the
     * warning a PII-looking column without a `pii` tag gets; the entity-memorization rule still applies.
     */
    notPii: z.literal(true).optional(),
    description: z.string().optional(),
  })
  .strict()

export const tableSchema = z
  .object({
    $schema: z.string().optional(),
    version: z.literal(1),
    name: z.string().optional(),
    columns: z.array(columnSchema).min(1),
  })
  .strict()

export type ColumnSchema = z.infer<typeof columnSchema>
export type TableSchema = z.infer<typeof tableSchema>
/** What `defineSchema` accepts: defaults (e.g. `nullable: true`) may be left out. */
export type TableSchemaInput = z.input<typeof tableSchema>
export type ColumnSchemaInput = z.input<typeof columnSchema>
export type SchemaColumnKind = (typeof COLUMN_KINDS)[number]
