import { TrafficError } from '../errors.js'

/** An http(s) URL, or `MG_LOAD_BAD_TARGET` (the message never repeats a password). */
export function parseTarget(text: string): URL {
  let url: URL
  try {
    url = new URL(text)
  } catch {
    throw new TrafficError('MG_LOAD_BAD_TARGET', `the target "${redactText(text)}" is not a URL.`, {
      hint: 'Give the full URL, e.g. http://127.0.0.1:8080/predict.',
    })
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new TrafficError('MG_LOAD_BAD_TARGET', `the target ${redactUrl(url)} is not http:// or https://.`)
  return url
}

/** The URL without `user:password@`. */
export function redactUrl(url: URL): string {
  const copy = new URL(url.href)
  copy.username = ''
  copy.password = ''
  return copy.href
}

function redactText(text: string): string {
  return text.replace(/\/\/[^/@]*@/, '//').slice(0, 200)
}
