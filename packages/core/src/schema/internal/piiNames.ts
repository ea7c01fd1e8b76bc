import type { PiiType } from '../Schema.js'

// PII by column name: the name rules (`email`, `billing_first_name` …), words that only hint at a type, and the
// names of identifiers and digests.

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
