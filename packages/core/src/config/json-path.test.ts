import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatPath, locateJsonError, pointerToPath } from './json-path.js';
import { toJsonText } from './json-text.js';

describe('formatPath', () => {
  it('dots keys, brackets indexes and quotes odd keys', () => {
    assert.equal(formatPath([]), '(root)');
    assert.equal(
      formatPath(['filters', 'pinAndShortcuts', 'passwords', 0]),
      'filters.pinAndShortcuts.passwords[0]',
    );
    assert.equal(
      formatPath(['apps', 'twoFA', 'accounts', 'my bank']),
      'apps.twoFA.accounts["my bank"]',
    );
  });
});

describe('pointerToPath', () => {
  it('tells array indexes from numeric keys by looking at the data', () => {
    const data = { list: [{ '0': 'x' }], 'a/b': 1 };
    assert.deepEqual(pointerToPath('/list/0/0', data), ['list', 0, '0']);
    assert.deepEqual(pointerToPath('/a~1b', data), ['a/b']);
  });
});

describe('locateJsonError', () => {
  it('finds the first bad character', () => {
    assert.deepEqual(locateJsonError('{\n  "a": 1,\n}'), { line: 3, column: 1 });
    assert.deepEqual(locateJsonError('[1, 2,]'), { line: 1, column: 7 });
    assert.deepEqual(locateJsonError('{"a": "\\x"}'), { line: 1, column: 8 });
    assert.deepEqual(locateJsonError('{"a": 1} x'), { line: 1, column: 10 });
  });
});

describe('toJsonText', () => {
  it('prints objects expanded and short scalar arrays on one line', () => {
    assert.equal(
      toJsonText({ a: [1, 2], b: {}, c: [['x', 'y']], d: ['z'.repeat(100)] }),
      `{\n  "a": [1, 2],\n  "b": {},\n  "c": [\n    ["x", "y"]\n  ],\n  "d": [\n    "${'z'.repeat(100)}"\n  ]\n}\n`,
    );
  });
});
