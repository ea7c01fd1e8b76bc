/** Query keys whose values are credentials (matched anywhere in the key, case-insensitively). */
const SECRET_KEY = /(?:token|key|secret|password|passwd|pwd|signature|sig|auth|credential|session|cookie)/i

// `scheme://user:password@host` (any userinfo), also inside a longer text.
const USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^/?#@\s]*@/gi
// `?name=value` / `&name=value` pairs whose name says credential.
const QUERY_PAIR = /([?&;])([^=&#\s]*)=([^&#\s]*)/g

/**
 * A URL fit to print, log or store: without its `user:password@` and with the values of credential-like query keys
 * (`token`, `api_key`, `password`, `sig`, …) replaced by `[redacted]`. Works on unparsable text too (string rules,
 * no URL parser), and on every URL inside a longer text.
 */
export function redactUrl(text: string): string {
  return text.replace(USERINFO, '$1').replace(QUERY_PAIR, (pair, sep: string, key: string, value: string) => {
    if (value === '' || !SECRET_KEY.test(decodeKey(key))) return pair
    return `${sep}${key}=[redacted]`
  })
}

function decodeKey(key: string): string {
  try {
    return decodeURIComponent(key)
  } catch {
    return key
  }
}
