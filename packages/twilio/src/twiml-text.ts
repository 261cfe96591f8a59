/**
 * Text made safe for a TwiML element. twiml.ts escapes `<>&`, but characters that XML 1.0
 * forbids (control characters, lone surrogates) cannot be escaped at all, and an app's output
 * may hold them when a config turns keepVisible7BitCharOnly off.
 */

/** Characters XML 1.0 does not allow (§2.2 Char), lone surrogates included. */
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** `text` with XML-forbidden characters as `?` (as lintText does for non-7-bit ones), capped. */
export function twimlText(text: string, maxChars: number): string {
  const safe = text.replace(NOT_XML_CHAR, '?');
  const chars = Array.from(safe);
  return chars.length <= maxChars ? safe : chars.slice(0, maxChars).join('');
}
