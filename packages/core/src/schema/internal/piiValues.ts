import { isIPv6 } from 'node:net'
import { luhnValid } from '../luhnValid.js'
import type { PiiType } from '../Schema.js'
import { GIVEN_NAMES, NON_NAME_WORDS } from './nameWords.js'

// PII by value: the shape of one value (email, phone, card number …, or a date or number that rules PII out), its
// labels, and the placeholders that say nothing.

/** What one value looks like. `date` and `number` are shapes that rule PII out. */
export type ValueShape =
  | 'email'
  | 'ipv4'
  | 'ipv6'
  | 'ssn'
  | 'ssn_digits'
  | 'uuid'
  | 'hex_id'
  | 'card'
  | 'long_digits'
  | 'short_ssn'
  | 'date'
  | 'number'
  | 'phone'
  | 'phone_digits'
  | 'street'
  | 'person'
  | 'free_text'

/** The PII type a shape suggests; `long_digits` (13–19 digits failing Luhn) only counts under a card-like name. */
export const SHAPE_TYPE: Readonly<Record<ValueShape, PiiType | undefined>> = {
  email: 'email',
  ipv4: 'ip_address',
  ipv6: 'ip_address',
  ssn: 'national_id',
  ssn_digits: 'national_id',
  uuid: 'device_id',
  hex_id: 'device_id',
  card: 'card_number',
  long_digits: undefined,
  short_ssn: undefined,
  date: undefined,
  number: undefined,
  phone: 'phone',
  phone_digits: 'phone',
  street: 'street_address',
  person: 'person_name',
  free_text: 'free_text',
}

export const SHAPE_LABEL: Readonly<Record<ValueShape, string>> = {
  email: 'email addresses',
  ipv4: 'IPv4 addresses',
  ipv6: 'IPv6 addresses',
  ssn: 'US social security numbers (###-##-####)',
  ssn_digits: 'digit-only US social security numbers (9 digits)',
  uuid: 'UUID-like device ids',
  hex_id: 'hex device fingerprints',
  card: 'card numbers (13–19 digits, Luhn-valid)',
  long_digits: 'card numbers (13–19 digits)',
  short_ssn: 'social security numbers stored as numbers (leading zeros lost)',
  date: 'dates',
  number: 'numbers',
  phone: 'phone numbers',
  phone_digits: 'digit-only phone numbers',
  street: 'street addresses',
  person: 'person names',
  free_text: 'free text',
}

/** What a type is called when values of several shapes make it up (`phone` and `phone_digits`). */
export const TYPE_LABEL: Readonly<Record<PiiType, string>> = {
  email: 'email addresses',
  person_name: 'person names',
  phone: 'phone numbers',
  national_id: 'national id numbers',
  ip_address: 'IP addresses',
  street_address: 'street addresses',
  card_number: 'card numbers',
  device_id: 'device ids',
  free_text: 'free text',
}

/**
 * Values that stand for "no value": they say nothing about a column's shape, so shares are measured without
 * them (a contact column of 75 % emails and 25 % "unknown" is an email column).
 */
const PLACEHOLDERS = new Set([
  '',
  '-',
  '--',
  '---',
  '?',
  '.',
  '*',
  'n/a',
  'na',
  'n.a.',
  'none',
  'null',
  'nil',
  'nan',
  'unknown',
  'unk',
  'missing',
  'undefined',
  'not available',
  'not provided',
  'not applicable',
  'no data',
  'tbd',
  'tba',
  'redacted',
  'withheld',
  'declined',
  '(none)',
  '(null)',
  '(blank)',
  '<null>',
  '#n/a',
])

export function isPlaceholder(raw: string): boolean {
  return PLACEHOLDERS.has(raw.trim().toLowerCase())
}

const EMAIL =
  /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}$/
const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/
const SSN = /^\d{3}-\d{2}-\d{4}$/
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const HEX_ID = /^[0-9a-f]{16,128}$/i
const CARD = /^\d(?:[ -]?\d){12,18}$/
const DATE =
  /^(?:\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?|\d{1,2}\/\d{1,2}\/\d{2,4})$/
const NUMBER = /^[+-]?(?:\d+(?:[.,]\d+)?|\d{1,3}(?:,\d{3})+(?:\.\d+)?)(?:[eE][+-]?\d+)?$/
const PHONE =
  /^(?:\+\d{1,3}[\s.-]?)?(?:\(\d{1,5}\)[\s.-]?)?\d{1,5}(?:[\s.-]\d{1,5}){0,4}(?:\s*(?:x|ext\.?)\s*\d{1,6})?$/i
const STREET =
  /^\d{1,6}[A-Za-z]?\s+(?:[A-Za-z0-9.'-]+\s+){0,5}(?:street|st|avenue|ave|road|rd|boulevard|blvd|lane|ln|drive|dr|court|ct|way|place|pl|terrace|ter|circle|cir|parkway|pkwy|highway|hwy|square|sq|trail|trl|alley|crescent|close|row|walk|loop|plaza)\b\.?(?:[\s,].*)?$/i
// Two to five words, each capitalized except name particles ("Guido van Rossum", "Mary-Jane O'Neil").
const PERSON =
  /^[A-Z][a-zA-Z'’-]*\.? (?:(?:[A-Z][a-zA-Z'’-]*\.?|van|von|de|da|del|der|di|du|la|le|bin|al) ){0,3}[A-Z][a-zA-Z'’-]+$/
// North American numbers as digits only: area code and exchange start with 2–9 (NANP), with or without the 1.
const NANP_DIGITS = /^1?[2-9]\d{2}[2-9]\d{6}$/
// International numbers written as digits with their + or national trunk 0 (`+447911123456`, `07911123456`).
const INTL_DIGITS = /^(?:\+[1-9]\d{7,14}|0[1-9]\d{8,10})$/
const DIGITS = /^\d+$/

/**
 * Classifies one value by its shape (never stores it). Numbers read as numbers (`numeric`) can only be
 * digit-only identifiers: card numbers, phone numbers, social security numbers.
 */
export function valueShape(raw: string, numeric = false): ValueShape | undefined {
  const value = raw.trim()
  if (value === '') return undefined
  if (numeric || DIGITS.test(value) || value.startsWith('+')) {
    const digits = digitShape(value, numeric)
    if (digits !== undefined || numeric) return digits
  }
  if (value.includes('@')) return EMAIL.test(value) ? 'email' : undefined
  if (IPV4.test(value)) return 'ipv4'
  if (value.includes(':') && isIPv6(value)) return 'ipv6'
  if (SSN.test(value)) return 'ssn'
  if (UUID.test(value)) return 'uuid'
  if (HEX_ID.test(value) && /[a-f]/i.test(value) && /\d/.test(value)) return 'hex_id'
  if (CARD.test(value)) return luhnValid(value.replace(/[ -]/g, '')) ? 'card' : 'long_digits'
  if (DATE.test(value)) return 'date'
  if (NUMBER.test(value)) return 'number'
  if (isPhone(value)) return 'phone'
  if (STREET.test(value)) return 'street'
  if (isPersonName(value)) return 'person'
  if (isFreeText(value)) return 'free_text'
  return undefined
}

/** Card (13–19 digits), phone (NANP or international with + / 0) or SSN (9 digits, issuable) written as digits. */
function digitShape(value: string, numeric: boolean): ValueShape | undefined {
  if (INTL_DIGITS.test(value)) return 'phone_digits'
  if (!DIGITS.test(value)) return undefined
  const n = value.length
  if (n >= 13 && n <= 19) return luhnValid(value) ? 'card' : 'long_digits'
  if (NANP_DIGITS.test(value)) return 'phone_digits'
  if (n === 9 && isIssuableSsn(value)) return 'ssn_digits'
  // Read as a number, an SSN starting with 0 loses its leading zeros.
  if (numeric && (n === 7 || n === 8) && isIssuableSsn(value.padStart(9, '0'))) return 'short_ssn'
  return undefined
}

/** Area 001–899 except 666, group 01–99, serial 0001–9999 (the SSA's rules since 2011). */
function isIssuableSsn(digits: string): boolean {
  const area = Number(digits.slice(0, 3))
  return area > 0 && area < 900 && area !== 666 && digits.slice(3, 5) !== '00' && digits.slice(5) !== '0000'
}

/** Two to five capitalized words none of which is a place, product or label word (`New York`, `Gold Plan`). */
function isPersonName(value: string): boolean {
  if (value.length > 60 || !PERSON.test(value)) return false
  for (const word of value.toLowerCase().split(/[\s.]+/)) if (NON_NAME_WORDS.has(word)) return false
  return true
}

/** Whether a person-shaped value starts with a common given name. */
export function startsWithGivenName(value: string): boolean {
  const first = value
    .trim()
    .split(/[\s-]+/)[0]
    ?.toLowerCase()
  return first !== undefined && GIVEN_NAMES.has(first)
}

function isPhone(value: string): boolean {
  if (!PHONE.test(value)) return false
  const digits = value.replace(/(?:x|ext\.?)\s*\d+$/i, '').replace(/\D/g, '').length
  if (digits < 7 || digits > 15) return false
  const groups = value.split(/[\s.-]+/).length
  return value.startsWith('+') || value.includes('(') || groups >= 3
}

function isFreeText(value: string): boolean {
  const words = value.split(/\s+/).length
  return (words >= 6 && value.length >= 30) || (words >= 3 && value.length >= 60)
}
