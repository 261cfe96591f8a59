import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { entryOf, formatMatches, splitCommand } from './search-command.js';

const word = fc.string({ minLength: 1, maxLength: 12 }).filter((w) => !/\s/.test(w));
const space = fc.constantFrom(' ', '  ', '\t', ' \t ');
const text = fc.string({ minLength: 1, maxLength: 30 }).filter((t) => t.trim() === t && t !== '');

describe('splitCommand', () => {
  it('gives back the words and the text as typed, whatever the spacing (property)', () => {
    fc.assert(
      fc.property(
        fc.array(word, { minLength: 1, maxLength: 3 }),
        space,
        text,
        (words, gap, rest) => {
          const input = ` ${[...words, rest].join(gap)} `;
          assert.deepEqual(splitCommand(input, words.length), { words, text: rest });
        },
      ),
    );
  });

  it('needs every word and some text', () => {
    assert.equal(splitCommand('notes', 1), undefined);
    assert.equal(splitCommand('notes key', 2), undefined);
    assert.equal(splitCommand('   ', 1), undefined);
    assert.deepEqual(splitCommand('a-b.c  x  y ', 1), { words: ['a-b.c'], text: 'x  y' });
  });
});

describe('entryOf', () => {
  it('finds only configured shortcuts, not what every object has', () => {
    const files = { notes: '/n' };
    assert.equal(entryOf(files, 'notes'), '/n');
    for (const name of ['Notes', 'toString', '__proto__', 'hasOwnProperty']) {
      assert.throws(() => entryOf(files, name), { message: `no file "${name}"; shortcuts: notes` });
    }
  });
});

describe('formatMatches', () => {
  it('puts the count first, then one line per match', () => {
    assert.equal(formatMatches({ lines: [], more: false }), '0 matches');
    assert.equal(formatMatches({ lines: ['a'], more: false }), '1 match\na');
    assert.equal(
      formatMatches({ lines: ['a', 'b'], more: true }),
      'more than 2 matches, the first 2:\na\nb',
    );
  });
});
