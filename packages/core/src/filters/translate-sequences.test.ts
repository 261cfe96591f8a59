import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { translateSequences } from './translate-sequences.js';

describe('translateSequences (laitos vectors)', () => {
  const seq = [
    ['abc', '123'],
    ['def', '456'],
  ] as const;
  it('replaces every occurrence of each pair, in order', () => {
    assert.equal(translateSequences('', seq), '');
    assert.equal(translateSequences(' abc def abc ', seq), ' 123 456 123 ');
    assert.equal(translateSequences(' ghi ', seq), ' ghi ');
    assert.equal(
      translateSequences('ab', [
        ['a', 'b'],
        ['b', 'c'],
      ]),
      'cc',
    );
  });
});
