/**
 * Writes the labelled PII-detection corpus, packages/core/test/fixtures/pii-corpus/:
 * - generated.csv: 200 rows of made-up PII in many shapes (formatted and digit-only phones, dashed and digit-only
 *   SSNs, Luhn-valid and Luhn-failing card numbers, names with low and high distinct ratios, free text repeated or
 *   not, placeholders such as "unknown") beside look-alikes that are not PII (epoch timestamps, ZIP codes,
 *   product codes and barcodes, city and state names, plans, job titles, counters, hashes);
 * - adult.csv: the first 200 rows of UCI Adult (Becker & Kohavi 1996, CC BY 4.0), from test/data/adult.csv;
 * - transactions.csv: the first 200 rows of examples/data/transactions.csv (made-up, this repository);
 * - labels.json: for every column of every file, its PII type or null.
 * No generated value belongs to a real person: surnames are invented, phones use 555, emails reserved domains.
 * Deterministic (core's createRandom, fixed seed):  node --import tsx scripts/make-pii-corpus.ts
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createRandom, luhnValid } from '../packages/core/src/index.js'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const out = join(root, 'packages/core/test/fixtures/pii-corpus')
const ROWS = 200

const random = createRandom('pii corpus')
const next = (): number => random.uniform()
const int = (lo: number, hi: number): number => lo + Math.floor(next() * (hi - lo + 1))
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] as T
const digits = (n: number): string => Array.from({ length: n }, () => String(int(0, 9))).join('')
const hex = (n: number): string => Array.from({ length: n }, () => '0123456789abcdef'[int(0, 15)]).join('')
const maybe = (p: number, placeholder: string, value: () => string): string => (next() < p ? placeholder : value())

const FIRST = [
  'Alice',
  'Mohammed',
  'Priya',
  'Wei',
  'Olga',
  'Kwame',
  'Sofia',
  'Hiroshi',
  'Fatima',
  'Lucas',
  'Chidi',
  'Ingrid',
  'Mateo',
  'Aylin',
  'Dmitri',
  'Grace',
  'Rahul',
  'Yuki',
  'Camila',
  'Tobias',
  'Zainab',
  'Pierre',
  'Mei',
  'Oscar',
]
const RARE_FIRST = ['Brixton', 'Oluwaseun', 'Thandiwe', 'Eirlys', 'Kaiden', 'Saoirse', 'Tjarda', 'Nnamdi']
const LAST = [
  'Zorblax',
  'Quenwick',
  'Ashdrova',
  'Pellimore',
  'Okonkwo-Bray',
  'Tranh Vo',
  'Vantrosk',
  'Halloran',
  'Meyerbeck',
  'Castellano',
  'Nakamura-Lee',
  'Dubrovsky',
  'Fairweather',
  "O'Dunleavy",
  'Lindqvist',
  'Abernathy',
]
const PARTICLE_LAST = ['van Rossum', 'de la Cruz', 'von Hagen', 'da Silva', 'bin Salleh', 'del Rey']
const STREETS = ['Main St', 'Oak Avenue', 'Elm Street', 'Sunset Blvd', 'Maple Rd', 'Harbor Lane', 'Mill Road']
const DOMAINS = ['example.com', 'example.org', 'mail.test', 'corp.example.net']
const US_CITIES = [
  'New York',
  'Los Angeles',
  'Chicago',
  'Houston',
  'Phoenix',
  'Philadelphia',
  'San Antonio',
  'San Diego',
  'Dallas',
  'Austin',
  'Jacksonville',
  'Columbus',
  'Charlotte',
  'Indianapolis',
  'Seattle',
  'Denver',
  'Boston',
  'Nashville',
  'Baton Rouge',
  'Des Moines',
  'Corpus Christi',
  'Kansas City',
  'Salt Lake City',
  'Las Vegas',
  'Fort Worth',
  'El Paso',
  'Virginia Beach',
  'Colorado Springs',
]
const WORLD_CITIES = [
  'London',
  'Paris',
  'Berlin',
  'Hong Kong',
  'Sao Paulo',
  'Buenos Aires',
  'Kuala Lumpur',
  'Tel Aviv',
  'Cape Town',
  'Mexico City',
  'Rio de Janeiro',
  'Abu Dhabi',
  'Ho Chi Minh City',
  'Tokyo',
  'Lagos',
  'Mumbai',
]
const STATES = [
  'California',
  'Texas',
  'New York',
  'North Carolina',
  'West Virginia',
  'Rhode Island',
  'South Dakota',
  'New Jersey',
  'Ohio',
  'Florida',
  'New Mexico',
  'Georgia',
]
const COUNTRIES = ['United States', 'Germany', 'South Africa', 'New Zealand', 'Sri Lanka', 'Costa Rica', 'Brazil']
const PLANS = ['Gold Plan', 'Basic', 'Pro Annual', 'Premium Monthly', 'Free Trial', 'Silver Plan']
const TITLES = ['Software Engineer', 'Data Scientist', 'Product Manager', 'Sales Director', 'Nurse', 'Accountant']
const DEPARTMENTS = ['Human Resources', 'Customer Support', 'Finance', 'Legal', 'Research and Development']
const ADJ = ['Ergonomic', 'Handcrafted', 'Small', 'Rustic', 'Sleek', 'Practical', 'Gorgeous', 'Refined']
const MATERIAL = ['Steel', 'Granite', 'Cotton', 'Rubber', 'Wooden', 'Bronze', 'Plastic', 'Frozen']
const THING = ['Chair', 'Keyboard', 'Towels', 'Pizza', 'Gloves', 'Lamp', 'Table', 'Shoes']
const CANNED = [
  'Card was declined by the issuing bank',
  'Payment accepted',
  'Awaiting confirmation from the payment provider',
  'Refund issued to the original payment method',
]
const TOPICS = [
  'called about a late delivery',
  'asked to change the billing address after moving',
  'disputed the second charge on the statement',
  'wants a callback before noon next Tuesday',
  'reported the parcel was left with a neighbour',
]

const nanp = (): string => `${int(2, 9)}${digits(2)}555${digits(4)}`
const ssnDigits = (): string =>
  `${String(int(1, 665)).padStart(3, '0')}${String(int(1, 99)).padStart(2, '0')}${String(int(1, 9999)).padStart(4, '0')}`
const luhnDigit = (body: string): string => {
  for (let d = 0; d <= 9; d++) if (luhnValid(body + d)) return body + d
  throw new Error('unreachable')
}
const visa = (): string => luhnDigit(`4${digits(14)}`)
const badCard = (): string => {
  const valid = luhnDigit(`5${digits(14)}`)
  return `${valid.slice(0, 15)}${(Number(valid[15]) + 3) % 10}`
}
const amex = (): string => luhnDigit(`3${pick(['4', '7'])}${digits(12)}`)
const ean13 = (): string => {
  const body = `${int(1, 9)}${digits(11)}`
  let sum = 0
  for (let i = 0; i < 12; i++) sum += Number(body[i]) * (i % 2 === 0 ? 1 : 3)
  return body + String((10 - (sum % 10)) % 10)
}
const person = (): string => `${pick(FIRST)} ${pick(LAST)}`
const email = (): string =>
  `${pick(FIRST).toLowerCase()}.${pick(LAST)
    .toLowerCase()
    .replace(/[^a-z]/g, '')}${int(1, 99)}@${pick(DOMAINS)}`
const sentence = (): string =>
  `${pick(FIRST)} ${pick(TOPICS)} and said the order number was ${digits(6)}; follow up by email`

// Thirty repeated customers for the low-distinct columns (the shape).
const customers = Array.from({ length: 30 }, () => ({ name: person(), memo: sentence(), phone: nanp() }))
const start = Date.UTC(2026, 0, 1)

const pii: Record<string, [string, () => string]> = {}
const notPii: Record<string, () => string> = {}
const rowState = { customer: customers[0] as (typeof customers)[number] }
const define = (name: string, type: string, value: () => string): void => {
  pii[name] = [type, value]
}
// PII: emails
define('email', 'email', email)
define('contact', 'email', () => maybe(0.25, 'unknown', email))
define('UserLogin', 'email', () => email().replace('.', '+').toUpperCase())
define('e', 'email', () => maybe(0.4, 'n/a', email))
define('reply_to', 'email', () => maybe(0.5, '-', email))
// phones
define('tel', 'phone', () => `(${int(200, 989)}) 555-${digits(4)}`)
define('mobile_intl', 'phone', () => `+44 7${digits(3)} ${digits(6)}`)
define('contact_num', 'phone', () => rowState.customer.phone)
define('callback', 'phone', () => `1${nanp()}`)
define('msisdn', 'phone', () => `+49151${digits(8)}`)
define('reach', 'phone', nanp)
define('alt_phone', 'phone', () => maybe(0.3, 'none', () => `${int(200, 989)}.555.${digits(4)}`))
// national ids
define('ssn', 'national_id', () => `${int(100, 665)}-${digits(2)}-${digits(4)}`)
define('taxpayer', 'national_id', () => ssnDigits().replace(/^0/, '1'))
define('tin', 'national_id', ssnDigits)
define('ref_a', 'national_id', () => `${int(100, 665)}${String(int(1, 99)).padStart(2, '0')}${digits(3)}${int(1, 9)}`)
define('tax_ref', 'national_id', () => `${int(100, 665)}-${digits(2)}-${digits(4)}`)
// cards
define('card_number', 'card_number', () => visa().replace(/(\d{4})(?=\d)/g, '$1 '))
define('cc', 'card_number', badCard)
define('pan', 'card_number', visa)
define('payment_card', 'card_number', amex)
define('pay_ref', 'card_number', visa)
// names
define('full_name', 'person_name', person)
define('customer', 'person_name', () => rowState.customer.name)
define('holder', 'person_name', () => `${pick(FIRST)} ${pick(PARTICLE_LAST)}`)
define('passenger', 'person_name', () => `${pick([...FIRST, ...RARE_FIRST])} ${pick(LAST)}`)
define('signed_by', 'person_name', () => `${pick(FIRST)} ${String.fromCharCode(int(65, 90))}. ${pick(LAST)}`)
define('first_name', 'person_name', () => pick([...FIRST, ...RARE_FIRST]))
define('surname', 'person_name', () => pick(LAST))
define('guest', 'person_name', () => maybe(0.2, 'unknown', person))
// addresses, network and devices
define('street_address', 'street_address', () => `${int(1, 9999)} ${pick(STREETS)}`)
define('addr2', 'street_address', () => `${int(1, 999)} ${pick(STREETS)}, Apt ${int(1, 40)}`)
define('location', 'street_address', () => `${int(10, 9999)} ${pick(STREETS)}, ${pick(US_CITIES)}`)
define('ip', 'ip_address', () => `${int(1, 223)}.${int(0, 255)}.${int(0, 255)}.${int(1, 254)}`)
define('client_ip', 'ip_address', () =>
  next() < 0.5 ? `2001:db8:${hex(4)}:${hex(4)}::${hex(3)}` : `10.${int(0, 255)}.${int(0, 255)}.${int(1, 254)}`,
)
define('device_id', 'device_id', () => `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`)
define('fingerprint', 'device_id', () => hex(40))
define('aid', 'device_id', () => `${hex(8)}-${hex(4)}-4${hex(3)}-b${hex(3)}-${hex(12)}`)
// free text
define('memo', 'free_text', () => rowState.customer.memo)
define('notes', 'free_text', sentence)
define('feedback', 'free_text', () => maybe(0.5, 'none', sentence))
define('body', 'free_text', () => `${sentence()} — ${pick(TOPICS)} again`)

// Look-alikes: not PII.
notPii.created_ms = () => String(start + int(0, 180 * 86_400_000))
notPii.event_ts = () => String(Math.floor(start / 1000) + int(0, 180 * 86_400))
notPii.zip = () => String(int(1001, 99950)).padStart(5, '0')
notPii.zip_plus4 = () => `${String(int(1001, 99950)).padStart(5, '0')}-${digits(4)}`
notPii.product_code = () => `SKU-${int(10000, 99999)}`
notPii.part_no = () => `${pick(['AB', 'XK', 'QT'])}-${digits(4)}-${pick(['X', 'R', 'S'])}`
notPii.upc = () => `${int(1, 9)}${digits(11)}`
notPii.ean = ean13
notPii.product_name = () => `${pick(ADJ)} ${pick(MATERIAL)} ${pick(THING)}`
notPii.city = () => pick(US_CITIES)
notPii.destination = () => pick(WORLD_CITIES)
notPii.state = () => pick(STATES)
notPii.country = () => pick(COUNTRIES)
notPii.plan = () => pick(PLANS)
notPii.job_title = () => pick(TITLES)
notPii.department = () => pick(DEPARTMENTS)
notPii.status_message = () => pick(CANNED)
let counter = 0
notPii.order_number = () => String(2_000_000_000 + counter * 7)
notPii.invoice_seq = () => String(400_000_000 + counter * 3)
notPii.sku_number = () => String(int(10_000_000, 99_999_999))
notPii.amount = () => (Math.exp(3 + next()) + next()).toFixed(2)
notPii.quantity = () => String(int(1, 12))
notPii.version = () => `${int(1, 3)}.${int(0, 9)}.${int(0, 20)}`
notPii.hostname = () => `web-${String(int(1, 24)).padStart(2, '0')}.internal`
notPii.endpoint = () => pick(['/api/v1/orders', '/api/v1/payments', '/health', '/api/v2/score'])
notPii.currency = () => pick(['USD', 'EUR', 'GBP', 'JPY'])
notPii.locale = () => pick(['en-US', 'de-DE', 'fr-FR', 'pt-BR'])
notPii.payload_sha256 = () => hex(64)
notPii.latitude = () => (int(-90_000, 90_000) / 1000).toFixed(3)
notPii.card_type = () => pick(['visa', 'mastercard', 'amex'])
notPii.phone_verified = () => pick(['true', 'false'])
notPii.email_domain = () => pick(DOMAINS)
notPii.weight_g = () => String(int(50, 25_000))

const names = [...Object.keys(pii), ...Object.keys(notPii)]
const lines = [names.join(',')]
for (let r = 0; r < ROWS; r++) {
  rowState.customer = customers[r % customers.length] as (typeof customers)[number]
  const row = names.map((name) => (pii[name]?.[1] ?? (notPii[name] as () => string))())
  lines.push(row.map((v) => (/[",]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v)).join(','))
  counter++
}
mkdirSync(out, { recursive: true })
writeFileSync(join(out, 'generated.csv'), `${lines.join('\n')}\n`)

const firstRows = (path: string): string =>
  `${readFileSync(path, 'utf8')
    .split('\n')
    .slice(0, ROWS + 1)
    .join('\n')}\n`
const adult = firstRows(join(root, 'test/data/adult.csv'))
writeFileSync(join(out, 'adult.csv'), adult)
const transactions = firstRows(join(root, 'examples/data/transactions.csv'))
writeFileSync(join(out, 'transactions.csv'), transactions)

const TRANSACTION_PII: Record<string, string> = {
  email: 'email',
  phone: 'phone',
  ip: 'ip_address',
  device_id: 'device_id',
  card_number: 'card_number',
}
const labels = {
  'generated.csv': Object.fromEntries(names.map((n) => [n, pii[n]?.[0] ?? null])),
  'adult.csv': Object.fromEntries((adult.split('\n')[0] as string).split(',').map((n) => [n, null])),
  'transactions.csv': Object.fromEntries(
    (transactions.split('\n')[0] as string).split(',').map((n) => [n, TRANSACTION_PII[n] ?? null]),
  ),
}
writeFileSync(join(out, 'labels.json'), `${JSON.stringify(labels, null, 2)}\n`)
