import { z } from 'zod'
import { isModelGateError } from '../../errors.js'

/**
 * A zod schema for a config-file field written in the grammar: a string (or a bare YAML number, so that the parser
 * can say which unit to add) parsed by `parse`; its error becomes the field's issue.
 */
export function grammarSchema<T>(parse: (text: string) => T, description: string): z.ZodType<T, z.ZodTypeDef, string> {
  return z
    .preprocess(
      (value) => (typeof value === 'number' ? String(value) : value),
      z.string().transform((text, ctx): T => {
        try {
          return parse(text)
        } catch (error) {
          if (!isModelGateError(error)) throw error
          ctx.addIssue({ code: z.ZodIssueCode.custom, message: error.message })
          return z.NEVER
        }
      }),
    )
    .describe(description) as unknown as z.ZodType<T, z.ZodTypeDef, string>
}
