import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { NotTextError, searchLines, type SearchLimits } from './line-search.js';

const LIMITS: SearchLimits = { maxMatches: 100, maxLineChars: 4096 };

/** `text`'s UTF-8 bytes, cut into chunks at `cuts` (byte offsets, any order). */
async function* chunksOf(
  text: string | Buffer,
  cuts: readonly number[] = [],
): AsyncGenerator<Buffer> {
  const bytes = Buffer.isBuffer(text) ? text : Buffer.from(text, 'utf8');
  const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  let from = 0;
  for (const to of [...at, bytes.length]) {
    if (to > from) yield bytes.subarray(from, to);
    from = to;
  }
  await Promise.resolve();
}

/** What the search should find, written the plain way: the whole text split at once. */
function expected(text: string, needle: string, limits: SearchLimits) {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const shown = lines
    .map((l) => l.replace(/\r$/, ''))
    .map((l) => {
      if (l.length <= limits.maxLineChars) return { text: l, cut: l };
      let end = limits.maxLineChars;
      if (/[\uD800-\uDBFF]/.test(l.charAt(end - 1))) end -= 1;
      return { text: `${l.slice(0, end)}…`, cut: l.slice(0, end) };
    })
    .filter((l) => l.cut.toLowerCase().includes(needle.toLowerCase()))
    .map((l) => l.text);
  return { lines: shown.slice(0, limits.maxMatches), more: shown.length > limits.maxMatches };
}

// laitos' TextSearch test file (reference §13.4), no trailing newline.
const MANUAL = [
  'where The volume button is',
  'and Then How the Hinge works',
  'and How to get help With the New surface',
  'Where is the USB type C port',
].join('\n');

describe('searchLines', () => {
  it('finds the lines that contain the text, ignoring case, without their newlines', async () => {
    assert.deepEqual(await searchLines(chunksOf(MANUAL), 'where', LIMITS), {
      lines: ['where The volume button is', 'Where is the USB type C port'],
      more: false,
    });
    assert.deepEqual(await searchLines(chunksOf(MANUAL), 'then how the', LIMITS), {
      lines: ['and Then How the Hinge works'],
      more: false,
    });
  });

  it('finds nothing in an empty file', async () => {
    assert.deepEqual(await searchLines(chunksOf(''), 'x', LIMITS), { lines: [], more: false });
  });

  it('drops the \\r of a CRLF line and finds text split across chunks', async () => {
    const text = 'one\r\ntwo words\r\nthree\r\n';
    assert.deepEqual(await searchLines(chunksOf(text, [6, 7, 8]), 'o w', LIMITS), {
      lines: ['two words'],
      more: false,
    });
  });

  it('decodes a character split across chunks', async () => {
    // "é" is two bytes in UTF-8: cut between them.
    assert.deepEqual(await searchLines(chunksOf('café au lait\n', [4]), 'CAFÉ', LIMITS), {
      lines: ['café au lait'],
      more: false,
    });
  });

  it('stops at maxMatches and says there were more', async () => {
    const text = Array.from({ length: 10 }, (_, i) => `match ${i}`).join('\n');
    assert.deepEqual(await searchLines(chunksOf(text), 'match', { ...LIMITS, maxMatches: 3 }), {
      lines: ['match 0', 'match 1', 'match 2'],
      more: true,
    });
  });

  it('stops reading once it has more than maxMatches', async () => {
    let read = 0;
    async function* endless(): AsyncGenerator<Buffer> {
      for (;;) {
        read += 1;
        yield Buffer.from('needle\n'.repeat(10));
        await Promise.resolve();
      }
    }
    const found = await searchLines(endless(), 'needle', { ...LIMITS, maxMatches: 25 });
    assert.deepEqual([found.lines.length, found.more, read], [25, true, 3]);
  });

  it('keeps only the first maxLineChars of a long line, searched and shown with …', async () => {
    const long = `${'a'.repeat(50)}needle`;
    const limits = { ...LIMITS, maxLineChars: 10 };
    assert.deepEqual(await searchLines(chunksOf(`${long}\nshort aaa\n`), 'aaa', limits), {
      lines: ['aaaaaaaaaa…', 'short aaa'],
      more: false,
    });
    assert.deepEqual(await searchLines(chunksOf(long), 'needle', limits), {
      lines: [],
      more: false,
    });
  });

  it('replaces bytes that are not UTF-8 unless asked for text', async () => {
    const bytes = Buffer.concat([Buffer.from('bad '), Buffer.from([0xff]), Buffer.from(' byte\n')]);
    assert.deepEqual(await searchLines(chunksOf(bytes), 'byte', LIMITS), {
      lines: ['bad \uFFFD byte'],
      more: false,
    });
    await assert.rejects(
      searchLines(chunksOf(bytes), 'byte', { ...LIMITS, text: true }),
      NotTextError,
    );
  });

  it('refuses control characters and reads to the end when asked for text', async () => {
    let ended = false;
    async function* garbage(): AsyncGenerator<Buffer> {
      yield Buffer.from('fine\n\u0001\n');
      yield Buffer.from('more');
      await Promise.resolve();
      ended = true;
    }
    await assert.rejects(searchLines(garbage(), 'fine', { ...LIMITS, text: true }), NotTextError);
    assert.equal(ended, true);
    assert.deepEqual(
      await searchLines(chunksOf('tab\there\fform feed\r\n'), 'here', { ...LIMITS, text: true }),
      { lines: ['tab\there\fform feed'], more: false },
    );
  });

  it('reads to the end when asked for text, even past maxMatches', async () => {
    let ended = false;
    async function* lines(): AsyncGenerator<Buffer> {
      yield Buffer.from('x\nx\nx\n');
      await Promise.resolve();
      ended = true;
    }
    const limits = { ...LIMITS, maxMatches: 1, text: true };
    assert.deepEqual(await searchLines(lines(), 'x', limits), { lines: ['x'], more: true });
    assert.equal(ended, true);
  });

  it('finds what splitting the whole text finds, however it is chunked (property)', async () => {
    const line = fc.string({ unit: 'grapheme', maxLength: 30 });
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(line, fc.constantFrom('\n', '\r\n', 'ab', 'AB', '\r')), {
          maxLength: 30,
        }),
        fc.oneof(fc.constantFrom('a', 'ab', 'b\r', 'é'), fc.string({ minLength: 1, maxLength: 3 })),
        fc.array(fc.nat(), { maxLength: 8 }),
        fc.record({
          maxMatches: fc.integer({ min: 1, max: 5 }),
          maxLineChars: fc.integer({ min: 1, max: 12 }),
        }),
        async (parts, needle, cuts, limits) => {
          const text = parts.join('');
          assert.deepEqual(
            await searchLines(chunksOf(text, cuts), needle, limits),
            expected(text, needle, limits),
          );
        },
      ),
    );
  });
});
