import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { plainText, textOfHtml } from './feed-text.js';

/** Text as a feed escapes it into HTML. */
const escapeHtml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
/** What a reader sees of `s`: whitespace runs as one space, no control characters, trimmed. */
const squeezed = (s: string): string =>
  s
    // eslint-disable-next-line no-control-regex
    .replace(/[\s\u0000-\u001f\u007f]+/g, ' ')
    .trim();

const tag = fc.constantFrom('p', 'b', 'i', 'a href="https://example.com/?a=1&amp;b=2"', 'span');

describe('text of HTML', () => {
  it('gives back any text that was escaped and wrapped in tags', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), tag, (text, t) => {
        const name = t.split(' ')[0] ?? '';
        assert.equal(textOfHtml(`<${t}>${escapeHtml(text)}</${name}>`), squeezed(text));
      }),
    );
  });

  it('leaves no tag, no run of spaces, no control character, nothing at the ends', () => {
    fc.assert(
      fc.property(fc.string(), (html) => {
        const text = textOfHtml(html);
        // eslint-disable-next-line no-control-regex
        assert.doesNotMatch(text, /\s\s|^\s|\s$|[\u0000-\u0008\u000e-\u001f\u007f]|\n|\t/);
        assert.doesNotMatch(textOfHtml(`<p>${escapeHtml(html)}</p><br/>`), /<br|<\/?p>/);
      }),
    );
  });

  it('removes tags, comments, scripts and styles, and decodes entities', () => {
    const cases: [string, string][] = [
      ['<p>Hello <b>world</b></p><p>again</p>', 'Hello world again'],
      ['a<br>b<br/>c', 'a b c'],
      ['caf&eacute; &amp; cr&#232;me&nbsp;br&#xFB;l&eacute;e &hellip;', 'café & crème brûlée …'],
      ['x <!-- a comment <b>y</b> --> z', 'x z'],
      ['x<script>alert("<b>")</script>y<STYLE>p{}</STYLE>z', 'xyz'],
      ['&lt;script&gt;not a tag&lt;/script&gt;', '<script>not a tag</script>'],
      ['1 < 2 and 3 > 2', '1 < 2 and 3 > 2'],
      ['cut <img src="data:image/png;base64,AAAA', 'cut'],
      ['unclosed <script>var a = "<p>";', 'unclosed'],
      ['<![CDATA[kept]]>', 'kept'],
    ];
    for (const [html, text] of cases) assert.equal(textOfHtml(html), text, html);
  });

  it('stays linear on adversarial input', () => {
    const html = '<script'.repeat(50_000) + '<!--'.repeat(50_000) + '<a '.repeat(50_000);
    const started = performance.now();
    textOfHtml(html);
    assert.ok(performance.now() - started < 1000);
  });
});

describe('plain text', () => {
  it('keeps what looks like a tag, squeezing only spaces', () => {
    assert.equal(plainText('  a <b>\n c  '), 'a <b> c');
  });
});
