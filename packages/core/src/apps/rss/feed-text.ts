/**
 * What a reader sees of a feed's text: HTML (RSS descriptions, Atom `type="html"`) without its
 * tags, comments, scripts and styles, entities decoded, on one line; and cut to a length.
 * Scanned once from left to right, so a hostile description cannot make it quadratic.
 */
import { decodeHTML } from 'entities';

/** A comment, an unterminated one, or a tag (perhaps cut off by the end of the text). */
const MARKUP =
  /<!--[\s\S]*?(?:-->|$)|<!\[CDATA\[|\]\]>|<(\/?)([a-z][a-z0-9:-]*)[^>]*(?:>|$)|<![^>]*(?:>|$)/gi;
/** Whose content is not text to show. */
const HIDDEN: ReadonlySet<string> = new Set(['script', 'style']);
/** Tags that separate words when rendered (the others, `<b>`, `<a>`, … run into their text). */
const BREAKS: ReadonlySet<string> = new Set(
  'address article aside blockquote br dd div dl dt figcaption figure footer h1 h2 h3 h4 h5 h6 header hr img li main nav ol p pre section table td th tr ul'.split(
    ' ',
  ),
);
// eslint-disable-next-line no-control-regex
const SPACES = /[\s\u0000-\u001f\u007f]+/g;

/** `html` as one line of text. */
export function textOfHtml(html: string): string {
  const markup = new RegExp(MARKUP.source, MARKUP.flags);
  const lower = html.toLowerCase();
  let text = '';
  let from = 0;
  for (let m = markup.exec(html); m !== null; m = markup.exec(html)) {
    text += html.slice(from, m.index);
    from = markup.lastIndex;
    const name = m[2]?.toLowerCase();
    if (name === undefined) continue;
    if (BREAKS.has(name)) text += ' ';
    if (m[1] === '' && HIDDEN.has(name)) {
      const end = lower.indexOf(`</${name}`, from);
      from = end < 0 ? html.length : end;
      markup.lastIndex = from;
    }
  }
  return plainText(decodeHTML(text + html.slice(from)));
}

/** Plain text (Atom `type="text"`) on one line: whitespace and control characters as one space. */
export function plainText(text: string): string {
  return text.replace(SPACES, ' ').trim();
}
