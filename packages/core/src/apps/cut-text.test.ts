import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { cutTo } from './cut-text.js';

describe('cutting text', () => {
  it('keeps text that fits, else cuts at a character and ends with …, never longer', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.integer({ min: 1, max: 50 }), (s, max) => {
        const cut = cutTo(s, max);
        const chars = Array.from(cut);
        assert.ok(chars.length <= max);
        if (Array.from(s).length <= max) assert.equal(cut, s);
        else {
          assert.equal(chars.at(-1), '…');
          assert.ok(s.startsWith(chars.slice(0, -1).join('')));
        }
      }),
    );
  });
});
