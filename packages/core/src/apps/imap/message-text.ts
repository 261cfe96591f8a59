/**
 * The readable text of one mail, for `.ir`: mailparser decodes the transfer encodings
 * (quoted-printable, base64), the charsets and nested multiparts, and gives the text of an
 * HTML-only mail without its tags. Where laitos decodes only quoted-printable in top-level
 * parts, this is what a reader expects (docs/apps.md).
 */

/** The most characters of a body `.ir` gives; the rest is cut, with a note saying how much. */
export const MAX_BODY_CHARS = 65_536;

/** The plain text of the mail in `raw`, at most MAX_BODY_CHARS characters and a note. */
export async function messageText(raw: Buffer): Promise<string> {
  // Loaded at first use: the daemon's idle memory is a tracked budget.
  const { simpleParser } = await import('mailparser');
  const parsed = await simpleParser(raw, { skipTextToHtml: true, skipTextLinks: true });
  const text = (parsed.text ?? '')
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  const chars = Array.from(text);
  if (chars.length <= MAX_BODY_CHARS) return text;
  const rest = chars.length - MAX_BODY_CHARS;
  return `${chars.slice(0, MAX_BODY_CHARS).join('')}\n[cut: ${String(rest)} more characters]`;
}
