import type { PiiType } from '@modelgate/core'

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/
const SSN = /^\d{3}-?\d{2}-?\d{4}$/
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/
const IPV6 = /^[0-9a-f:]+$/i
const DEVICE = /^[0-9A-Za-z][0-9A-Za-z_:.-]{5,}$/

/** Whether a value has a valid format for its PII type (the only thing a baseline learns of a PII column). */
export function isValidPiiFormat(type: PiiType, value: unknown): boolean {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : ''
  if (text === '') return false
  switch (type) {
    case 'email':
      return EMAIL.test(text)
    case 'phone': {
      if (/[^\d\s().+-]/.test(text)) return false
      const digits = text.replace(/\D/g, '').length
      return digits >= 7 && digits <= 15
    }
    case 'national_id':
      return SSN.test(text)
    case 'ip_address':
      return IPV4.test(text) || (text.includes(':') && IPV6.test(text))
    case 'card_number':
      return luhn(text.replace(/[\s-]/g, ''))
    case 'device_id':
      return DEVICE.test(text)
    default:
      // names, addresses, free text: any non-blank text
      return true
  }
}

/** The Luhn checksum of a 12–19 digit card number (ISO/IEC 7812-1). */
function luhn(digits: string): boolean {
  if (!/^\d{12,19}$/.test(digits)) return false
  let sum = 0
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48
    if (i % 2 === 1) {
      d *= 2
      if (d > 9) d -= 9
    }
    sum += d
  }
  return sum % 10 === 0
}
