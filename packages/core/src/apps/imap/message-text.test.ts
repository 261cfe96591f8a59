import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { MAX_BODY_CHARS, messageText } from './message-text.js';

/** A mail of header lines and a body, with CRLF line ends as on the wire. */
function mail(headers: readonly string[], body: string): Buffer {
  return Buffer.from([...headers, '', body].join('\r\n'), 'latin1');
}

const FROM = 'From: Ann <ann@example.com>';

// Lines of words in several scripts (no trailing spaces or blank runs, which the text loses).
const word = fc
  .array(
    fc.constantFrom('a', 'Z', '0', '9', 'é', 'ß', 'Ж', 'ж', '漢', '字', '😀', '=', '.', '?', '_'),
    { minLength: 1, maxLength: 8 },
  )
  .map((chars) => chars.join(''));
const line = fc.array(word, { minLength: 1, maxLength: 8 }).map((words) => words.join(' '));
const text = fc.array(line, { minLength: 1, maxLength: 6 }).map((lines) => lines.join('\n'));

/** `value` as quoted-printable (RFC 2045 §6.7): bytes outside printable ASCII escaped. */
function quotedPrintable(value: string): string {
  return value
    .split('\n')
    .map((text) => {
      const tokens = Array.from(Buffer.from(text, 'utf8'), (byte) =>
        byte >= 0x21 && byte < 0x7f && byte !== 0x3d
          ? String.fromCharCode(byte)
          : `=${byte.toString(16).toUpperCase().padStart(2, '0')}`,
      );
      // Soft line breaks between whole tokens keep each line within 76 characters.
      const lines: string[] = [];
      let current = '';
      for (const token of tokens) {
        if (current.length + token.length > 72) {
          lines.push(current);
          current = '';
        }
        current += token;
      }
      return [...lines, current].join('=\r\n');
    })
    .join('\r\n');
}

describe('the text of a message', () => {
  it('is the body of a plain mail', async () => {
    const raw = mail([FROM, 'Subject: hi'], 'Hello,\r\nsee you at 8.\r\n');
    assert.equal(await messageText(raw), 'Hello,\nsee you at 8.');
  });

  it('decodes quoted-printable and base64 bodies in their charset', async () => {
    const qp = mail(
      [
        FROM,
        'Content-Type: text/plain; charset=utf-8',
        'Content-Transfer-Encoding: quoted-printable',
      ],
      'Caf=C3=A9 at 8, a long line that is soft=\r\n-wrapped.',
    );
    assert.equal(await messageText(qp), 'Café at 8, a long line that is soft-wrapped.');
    const b64 = mail(
      [FROM, 'Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: base64'],
      Buffer.from('Grüße aus Köln').toString('base64'),
    );
    assert.equal(await messageText(b64), 'Grüße aus Köln');
  });

  it('gives back any text sent in base64 or quoted-printable', async () => {
    await fc.assert(
      fc.asyncProperty(text, fc.boolean(), async (value, base64) => {
        const body = base64
          ? Buffer.from(value.replace(/\n/g, '\r\n')).toString('base64')
          : quotedPrintable(value);
        const raw = mail(
          [
            FROM,
            'Content-Type: text/plain; charset=utf-8',
            `Content-Transfer-Encoding: ${base64 ? 'base64' : 'quoted-printable'}`,
          ],
          body,
        );
        assert.equal(await messageText(raw), value);
      }),
      { numRuns: 200 },
    );
  });

  it('converts a non-UTF-8 charset', async () => {
    const latin1 = mail(
      [FROM, 'Content-Type: text/plain; charset=iso-8859-1', 'Content-Transfer-Encoding: 8bit'],
      'Ol\xe1, at\xe9 amanh\xe3',
    );
    assert.equal(await messageText(latin1), 'Olá, até amanhã');
    const koi8 = mail(
      [FROM, 'Content-Type: text/plain; charset=koi8-r', 'Content-Transfer-Encoding: base64'],
      Buffer.from([0xf0, 0xd2, 0xc9, 0xd7, 0xc5, 0xd4]).toString('base64'),
    );
    assert.equal(await messageText(koi8), 'Привет');
  });

  it('takes the plain part of multipart/alternative, nested in multipart/mixed', async () => {
    const raw = mail(
      [FROM, 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="outer"'],
      [
        '--outer',
        'Content-Type: multipart/alternative; boundary="inner"',
        '',
        '--inner',
        'Content-Type: text/plain; charset=utf-8',
        'Content-Transfer-Encoding: quoted-printable',
        '',
        'The plain text=2E',
        '--inner',
        'Content-Type: text/html; charset=utf-8',
        '',
        '<p>The <b>HTML</b> text.</p>',
        '--inner--',
        '--outer',
        'Content-Type: application/pdf; name="a.pdf"',
        'Content-Disposition: attachment; filename="a.pdf"',
        'Content-Transfer-Encoding: base64',
        '',
        Buffer.from('%PDF-1.4 not text').toString('base64'),
        '--outer--',
        '',
      ].join('\r\n'),
    );
    assert.equal(await messageText(raw), 'The plain text.');
  });

  it('gives the text of an HTML-only mail, without tags', async () => {
    const raw = mail(
      [FROM, 'Content-Type: text/html; charset=utf-8'],
      '<html><head><style>p{color:red}</style></head><body><p>Meeting <b>moved</b> to 9.</p>' +
        '<script>alert(1)</script></body></html>',
    );
    const text = await messageText(raw);
    assert.match(text, /Meeting moved to 9\./);
    assert.doesNotMatch(text, /[<>]|color|alert/);
  });

  it(`is cut after ${String(MAX_BODY_CHARS)} characters, saying so`, async () => {
    const raw = mail([FROM], 'x'.repeat(MAX_BODY_CHARS + 500));
    const text = await messageText(raw);
    assert.ok(text.startsWith('x'.repeat(MAX_BODY_CHARS)));
    assert.equal(text.slice(MAX_BODY_CHARS), '\n[cut: 500 more characters]');
  });
});
