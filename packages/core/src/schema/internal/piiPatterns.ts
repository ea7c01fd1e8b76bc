import { isIPv6 } from 'node:net'
import type { PiiType } from '../Schema.js'
import { GIVEN_NAMES, NON_NAME_WORDS } from './nameWords.js'

/** Splits a column name into lower-case words: `userEmail_2` → ["user", "email", "2"]. */
function nameTokens(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((t) => t !== '')
}

interface NameRule {
  readonly type: PiiType
  /** Each pattern is a word sequence; it matches when the name's words contain it contiguously. */
  readonly contains: readonly string[]
  /** Each pattern matches only the whole name, or its end (`billing_first_name`). */
  readonly endsWith?: readonly string[]
}

// Order matters: `ip_address` and `email_address` are not street addresses, `card_holder_name` is a name.
const NAME_RULES: readonly NameRule[] = [
  { type: 'email', contains: ['email', 'e mail', 'emailaddress', 'email address', 'mail address'] },
  {
    type: 'ip_address',
    contains: ['ip', 'ipv4', 'ipv6', 'ip address', 'ipaddress', 'ipaddr', 'ip addr', 'remote addr', 'client ip'],
  },
  {
    type: 'device_id',
    contains: [
      'device id',
      'deviceid',
      'device fingerprint',
      'fingerprint',
      'idfa',
      'idfv',
      'gaid',
      'aaid',
      'imei',
      'udid',
      'android id',
      'advertising id',
      'mac address',
      'mac addr',
      'device uuid',
    ],
  },
  {
    type: 'national_id',
    contains: [
      'ssn',
      'national id',
      'nationalid',
      'social security',
      'tax id',
      'taxid',
      'passport',
      'passport number',
      'nino',
    ],
  },
  {
    type: 'card_number',
    contains: [
      'card number',
      'cardnumber',
      'cc num',
      'ccnum',
      'cc number',
      'credit card',
      'creditcard',
      'card no',
      'card num',
      'pan',
    ],
    endsWith: ['card'],
  },
  {
    type: 'phone',
    contains: [
      'phone',
      'mobile',
      'telephone',
      'tel',
      'msisdn',
      'cellphone',
      'cell phone',
      'fax',
      'phonenumber',
      'mobile number',
    ],
  },
  {
    type: 'person_name',
    contains: [
      'first name',
      'firstname',
      'last name',
      'lastname',
      'full name',
      'fullname',
      'given name',
      'family name',
      'middle name',
      'maiden name',
      'surname',
      'person name',
      'customer name',
      'client name',
      'patient name',
      'employee name',
      'contact name',
      'cardholder name',
      'card holder name',
      'holder name',
      'owner name',
      'recipient name',
      'sender name',
      'applicant name',
      'member name',
      'beneficiary name',
    ],
    endsWith: ['name'],
  },
  {
    type: 'street_address',
    contains: ['street', 'address', 'addr', 'street address', 'address line', 'home address', 'postal address'],
  },
  {
    type: 'free_text',
    contains: ['comment', 'comments', 'note', 'notes', 'free text', 'freetext', 'remarks', 'feedback'],
  },
]

export interface NameMatch {
  readonly type: PiiType
  /** The name pattern that matched, as shown in reasons (`email`, `first_name`). */
  readonly pattern: string
}

/**
 * Last words that make a PII-sounding name a measure or attribute of it rather than the value itself:
 * `email_count`, `phone_type`, `email_domain`, `ip_country`, `address_verified`.
 */
const ATTRIBUTE_WORDS = new Set([
  'count',
  'cnt',
  'total',
  'rate',
  'ratio',
  'score',
  'len',
  'length',
  'pct',
  'percent',
  'share',
  'days',
  'hours',
  'minutes',
  'age',
  'flag',
  'verified',
  'valid',
  'attempts',
  'changes',
  'type',
  'kind',
  'category',
  'status',
  'domain',
  'provider',
  'country',
  'region',
  'city',
  'version',
  'present',
  'missing',
  'changed',
  'opt',
  'consent',
])

/** Which PII type a column name suggests, if any. */
export function piiFromName(name: string): NameMatch | undefined {
  const tokens = nameTokens(name)
  if (tokens.length === 0) return undefined
  if (tokens.length > 1 && ATTRIBUTE_WORDS.has(tokens[tokens.length - 1] as string)) return undefined
  for (const rule of NAME_RULES) {
    // Longest pattern first, so that `ip_address` is reported as such rather than as `ip`.
    const patterns = [...rule.contains].sort((a, b) => b.split(' ').length - a.split(' ').length)
    for (const pattern of patterns) {
      const words = pattern.split(' ')
      if (containsSequence(tokens, words)) return { type: rule.type, pattern: words.join('_') }
    }
    for (const pattern of rule.endsWith ?? []) {
      // `name` alone or at the end after a person word (`customer_name`) — not `file_name` or `model_name`.
      if (tokens.length === 1 && tokens[0] === pattern) return { type: rule.type, pattern }
    }
  }
  return undefined
}

function containsSequence(tokens: readonly string[], words: readonly string[]): boolean {
  outer: for (let i = 0; i + words.length <= tokens.length; i++) {
    for (let j = 0; j < words.length; j++) if (tokens[i + j] !== words[j]) continue outer
    return true
  }
  return false
}

const DIGEST_WORDS = new Set(['hash', 'sha', 'sha1', 'sha256', 'sha512', 'md5', 'checksum', 'digest', 'etag', 'commit'])

/** `payload_sha256`, `checksum`, `etag`: hex that fingerprints content, not a device. */
export function isDigestName(name: string): boolean {
  return nameTokens(name).some((t) => DIGEST_WORDS.has(t))
}

const ID_WORDS = new Set(['id', 'uuid', 'guid', 'key', 'pk', 'uid'])

/** `id`, `order_id`, `customerId`, `uuid`, `request_key` … */
export function isIdLikeName(name: string): boolean {
  const tokens = nameTokens(name)
  const last = tokens[tokens.length - 1]
  if (last === undefined) return false
  return (
    ID_WORDS.has(last) ||
    /^(?:user|customer|order|account|client|session|request|transaction|txn|device|event|record|row|item|product|member|patient|trace|span)(?:id|uuid|key)$/.test(
      last,
    )
  )
}

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

/**
 * Name words that are no PII name on their own (`cc` is also a country code, `contact` may be an email or a
 * phone, `customer` an id) but make a matching value shape count from a lower share, and let 13–19 digit
 * values failing the Luhn check count as card numbers (made-up test cards often fail it).
 */
const HINT_WORDS: Readonly<Record<PiiType, readonly string[]>> = {
  card_number: ['cc', 'ccn', 'card', 'cards', 'pan', 'cardno', 'credit', 'debit', 'payment'],
  national_id: [
    'ssn',
    'taxpayer',
    'tin',
    'tax',
    'sin',
    'nin',
    'social',
    'fiscal',
    'cpf',
    'aadhaar',
    'nif',
    'nino',
    'national',
    'passport',
    'identity',
  ],
  phone: ['phone', 'contact', 'cell', 'tel', 'mobile', 'whatsapp', 'sms', 'callback', 'landline'],
  email: ['contact', 'mail', 'login', 'username', 'recipient', 'sender'],
  person_name: [
    'customer',
    'client',
    'holder',
    'cardholder',
    'owner',
    'patient',
    'employee',
    'member',
    'user',
    'author',
    'recipient',
    'sender',
    'payee',
    'payer',
    'beneficiary',
    'applicant',
    'guest',
    'passenger',
    'driver',
    'contact',
    'person',
    'buyer',
    'seller',
    'agent',
    'signatory',
    'tenant',
    'student',
    'who',
  ],
  free_text: [
    'memo',
    'note',
    'notes',
    'comment',
    'comments',
    'message',
    'msg',
    'body',
    'text',
    'remarks',
    'details',
    'narrative',
    'feedback',
    'review',
  ],
  street_address: ['address', 'addr', 'street', 'location', 'residence'],
  ip_address: ['ip', 'host', 'origin', 'remote', 'client'],
  device_id: ['device', 'fingerprint', 'hardware'],
}

/** PII types whose hint words the column name contains (see HINT_WORDS). */
export function hintedTypes(name: string): Set<PiiType> {
  const tokens = nameTokens(name)
  const out = new Set<PiiType>()
  for (const [type, words] of Object.entries(HINT_WORDS) as [PiiType, readonly string[]][])
    if (tokens.some((t) => words.includes(t))) out.add(type)
  return out
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

/** The Luhn checksum used by payment card numbers. */
function luhnValid(digits: string): boolean {
  let sum = 0
  let double = false
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48
    if (d < 0 || d > 9) return false
    if (double) {
      d *= 2
      if (d > 9) d -= 9
    }
    sum += d
    double = !double
  }
  return sum % 10 === 0
}
