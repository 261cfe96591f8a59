import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { MAX_MESSAGE_LENGTH, splitMessage } from './split-message.js';

/** How the text continued after a chunk: line breaks the splitter dropped, or a hard cut. */
type Boundary = 'lineBreak' | 'cut' | 'end';

/**
 * Walks the chunks through the text, putting back the line breaks dropped around each one.
 * Fails if a chunk is not where the text says it should be.
 */
function rebuild(
  text: string,
  chunks: readonly string[],
): { text: string; boundaries: Boundary[] } {
  let at = 0;
  let out = '';
  const boundaries: Boundary[] = [];
  for (const chunk of chunks) {
    // A chunk of a cut text never starts with a line break, so these were dropped.
    while (text[at] === '\n' && !text.startsWith(chunk, at)) {
      out += '\n';
      at++;
    }
    assert.ok(text.startsWith(chunk, at), `chunk not found at ${at}`);
    out += chunk;
    at += chunk.length;
    boundaries.push(at === text.length ? 'end' : text[at] === '\n' ? 'lineBreak' : 'cut');
  }
  assert.match(text.slice(at), /^\n*$/);
  return { text: out + text.slice(at), boundaries };
}

const isHigh = (code: number): boolean => code >= 0xd800 && code <= 0xdbff;
const isLow = (code: number): boolean => code >= 0xdc00 && code <= 0xdfff;

/** Text with many line breaks and astral characters (surrogate pairs) to split around. */
const texts = fc.string({
  unit: fc.oneof(
    fc.constantFrom('\n', 'a', ' ', '😀', '𝄞', 'é'),
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }),
  ),
  maxLength: 300,
});

describe('splitMessage', () => {
  it('leaves a short text whole, and gives nothing for an empty one', () => {
    assert.deepEqual(splitMessage('hello\nworld'), ['hello\nworld']);
    assert.deepEqual(splitMessage(''), []);
    assert.deepEqual(splitMessage('x'.repeat(MAX_MESSAGE_LENGTH)), [
      'x'.repeat(MAX_MESSAGE_LENGTH),
    ]);
  });

  it('splits at the last line break that fits, dropping it', () => {
    assert.deepEqual(splitMessage('aaa\nbbb\ncc', 8), ['aaa\nbbb', 'cc']);
    assert.deepEqual(splitMessage('aaaa\nbbbb', 4), ['aaaa', 'bbbb']);
    assert.deepEqual(splitMessage('aaa\n\nbbb', 3), ['aaa', 'bbb']);
  });

  it('cuts a line that is too long, but never inside a surrogate pair', () => {
    assert.deepEqual(splitMessage('abcdefg', 3), ['abc', 'def', 'g']);
    assert.deepEqual(splitMessage('ab😀cd', 3), ['ab', '😀c', 'd']);
  });

  it('measures in UTF-16 code units: 4096 emoji take two messages', () => {
    const chunks = splitMessage('😀'.repeat(4096));
    assert.deepEqual(
      chunks.map((c) => c.length),
      [4096, 4096],
    );
  });

  it('keeps every chunk within the limit, non-empty, with whole surrogate pairs', () => {
    fc.assert(
      fc.property(texts, fc.integer({ min: 2, max: 40 }), (text, max) => {
        const chunks = splitMessage(text, max);
        for (const chunk of chunks) {
          assert.ok(chunk.length > 0 && chunk.length <= max);
          if (chunks.length > 1) assert.ok(!chunk.startsWith('\n') && !chunk.endsWith('\n'));
          assert.ok(!isHigh(chunk.charCodeAt(chunk.length - 1)), 'ends with a high surrogate');
          assert.ok(!isLow(chunk.charCodeAt(0)), 'starts with a low surrogate');
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('gives back the text when the dropped line breaks are put back', () => {
    fc.assert(
      fc.property(texts, fc.integer({ min: 2, max: 40 }), (text, max) => {
        assert.equal(rebuild(text, splitMessage(text, max)).text, text);
      }),
      { numRuns: 2000 },
    );
  });

  it('splits only at line breaks when every line fits', () => {
    const lines = fc.array(fc.string({ unit: fc.constantFrom('a', 'b', '😀'), maxLength: 20 }), {
      minLength: 1,
      maxLength: 30,
    });
    fc.assert(
      fc.property(lines, (parts) => {
        const { boundaries } = rebuild(parts.join('\n'), splitMessage(parts.join('\n'), 20));
        assert.ok(!boundaries.includes('cut'));
      }),
    );
  });

  it('refuses a limit that cannot hold a surrogate pair', () => {
    assert.throws(() => splitMessage('abc', 1), RangeError);
  });
});
