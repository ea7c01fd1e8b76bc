import { tableSchemaFromZod } from '@modelgate/contracts'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'

describe('tableSchemaFromZod', () => {
  it('turns a zod payload schema into an annotated table schema', () => {
    const payload = z.object({
      transaction_id: z.string().uuid(),
      amount: z.number().min(0).max(10000),
      hour_of_day: z.number().int().min(0).max(23),
      merchant_category: z.enum(['grocery', 'travel']),
      is_international: z.boolean(),
      customer_email: z.string().email(),
      device_fingerprint: z.string().nullable(),
      event_time: z.string().datetime(),
    })
    expect(tableSchemaFromZod(payload, 'payload').columns).toEqual([
      { name: 'transaction_id', nullable: false, kind: 'id', unique: true },
      { name: 'amount', nullable: false, kind: 'numeric', min: 0, max: 10000 },
      { name: 'hour_of_day', nullable: false, kind: 'integer', min: 0, max: 23 },
      { name: 'merchant_category', nullable: false, kind: 'categorical', values: ['grocery', 'travel'] },
      { name: 'is_international', nullable: false, kind: 'boolean' },
      { name: 'customer_email', nullable: false, kind: 'text', pii: { type: 'email', reason: 'z.string().email()' } },
      { name: 'device_fingerprint', nullable: true, kind: 'text' },
      { name: 'event_time', nullable: false, kind: 'datetime', format: 'iso' },
    ])
  })

  it('refuses nested objects with the field name', () => {
    expect(() => tableSchemaFromZod(z.object({ device: z.object({ id: z.string() }) }))).toThrow(
      'Field "device" has zod type ZodObject, which has no column kind',
    )
  })
})
