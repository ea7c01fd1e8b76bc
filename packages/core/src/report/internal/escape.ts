/** Escapes text for HTML/XML element content and attribute values (double- or single-quoted). */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&#39;',
  )
}

/** Removes characters XML 1.0 does not allow at all (control characters other than tab, LF, CR; lone surrogates). */
const XML_FORBIDDEN =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: these are exactly the characters XML forbids
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g

function stripInvalidXmlChars(text: string): string {
  return text.replace(XML_FORBIDDEN, '\uFFFD')
}

export function xmlText(text: string): string {
  return escapeXml(stripInvalidXmlChars(text))
}
